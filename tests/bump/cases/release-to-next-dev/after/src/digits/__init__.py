"""Digits: a reproducible model."""

__version__ = "0.1.1.dev0"  # set by mltool bump-version

"""Digits: a reproducible model."""

__version__ = "0.1.0.dev0"  # set by mltool bump-version

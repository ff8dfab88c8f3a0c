"""Digits: a reproducible model."""

__version__ = "1.0.0"  # set by mltool bump-version

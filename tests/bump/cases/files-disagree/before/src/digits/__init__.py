"""Digits: a reproducible model."""

__version__ = "0.0.9"  # set by mltool bump-version

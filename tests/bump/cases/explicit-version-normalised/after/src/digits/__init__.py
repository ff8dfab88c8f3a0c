"""Digits: a reproducible model."""

__version__ = "1.0.0rc1"  # set by mltool bump-version

"""mltool: create, lint, sync and version reproducible machine-learning projects."""

__version__ = "0.1.0"

"""Sphinx configuration for mltool's documentation."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

from mltool import __version__  # noqa: E402

project = "mltool"
author = "mltool developers"
copyright = "2026, mltool developers"
release = __version__
version = __version__
extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon", "mltool_cli"]
html_theme = "furo"
exclude_patterns = ["_build"]
smartquotes = False  # keep --options and quotes as typed

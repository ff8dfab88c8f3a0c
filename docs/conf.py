"""Sphinx configuration for mltool's documentation."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "docs"))

from mltool import __version__  # noqa: E402

project = "mltool"
author = "mltool developers"
copyright = "2026, mltool developers"
release = __version__
version = __version__
extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinx.ext.intersphinx"]
intersphinx_mapping: dict[str, tuple[str, None]] = {}
html_theme = "furo"
exclude_patterns = ["_build"]
nitpicky = False

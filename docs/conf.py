"""Sphinx configuration for the o2c documentation."""

from __future__ import annotations

from pathlib import Path

import o2c

#: The clone's root: the quickstart's doctest reads the sample files in examples/.
REPO_ROOT = Path(__file__).resolve().parent.parent

project = "o2c"
author = "o2c developers"
copyright = "2026, o2c developers"
release = o2c.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
    "myst_parser",
    "sphinx_click",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = "o2c"
# A wider text column and smaller code, so terminal tables fit (see _static/o2c.css).
html_static_path = ["_static"]
html_css_files = ["o2c.css"]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
# deflist: "Term\n: definition" paragraphs (architecture, billing) render as definition lists.
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
nitpicky = False
suppress_warnings = ["myst.xref_missing"]
# Docstring examples run under pytest --doctest-modules with their module's globals;
# the doctest builder runs the ``doctest`` blocks of the guides.
doctest_test_doctest_blocks = ""
# O2C_REPO_ROOT: where examples/ is; pandas: None without the frames extra, so that the
# analysis guide's pandas examples skip (`:skipif: pandas is None`).
doctest_global_setup = f"""
O2C_REPO_ROOT = {str(REPO_ROOT)!r}
try:
    import pandas
except ImportError:
    pandas = None
"""
# No "smart" typography: docutils would turn the ``--book`` of the CLI reference (click's
# help text, rendered by sphinx-click as plain reST) into an en dash and straight quotes
# into curly ones, and a command copied from the page would then fail in a shell.
# tests/docs/test_cli_reference.py checks the rendered reference.
smartquotes = False
# `single backquotes` in click help and docstrings are code (a command, an option), as in
# Markdown, not reST's default "title reference" (rendered in italics).
default_role = "literal"

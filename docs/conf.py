"""Sphinx configuration for the o2c documentation."""

from __future__ import annotations

import o2c

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
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3
nitpicky = False
suppress_warnings = ["myst.xref_missing"]
# Docstring examples run under pytest --doctest-modules with their module's globals;
# the doctest builder runs the ``doctest`` blocks of the guides.
doctest_test_doctest_blocks = ""

"""The CLI reference renders options as they are typed: ``--book``, not ``–book``.

sphinx-click hands click's help text to docutils as reST, and docutils' "smart quotes"
turned every ``--`` of it into an en dash (and straight quotes into curly ones), so a
command copied from the page failed in a shell. ``docs/conf.py`` turns smart quotes off;
this builds the reference page with the docs' own configuration and reads the HTML.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest

from tests.docs.shell_blocks import REPO_ROOT

sphinx_application = pytest.importorskip("sphinx.application")
# sphinx-click reads BuildEnvironment.app, deprecated in Sphinx 9 (not ours to fix).
pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::PendingDeprecationWarning"),
]
pytest.importorskip("sphinx_click")

PAGE = """\
# CLI

```{eval-rst}
.. click:: o2c.cli:cli
   :prog: o2c
   :nested: full
```
"""


@pytest.fixture(scope="module")
def reference_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("cli-reference")
    source = root / "source"
    source.mkdir()
    (source / "index.md").write_text(PAGE, encoding="utf-8")
    app = sphinx_application.Sphinx(
        srcdir=str(source),
        confdir=str(REPO_ROOT / "docs"),
        outdir=str(root / "html"),
        doctreedir=str(root / "doctrees"),
        buildername="html",
        confoverrides={"html_theme": "basic", "extensions": ["myst_parser", "sphinx_click"]},
        status=io.StringIO(),
        warning=io.StringIO(),
        freshenv=True,
    )
    app.build()
    markup = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_the_cli_reference_shows_double_hyphen_options_not_en_dashes(reference_text: str) -> None:
    assert "o2c demo --book demo.db" in reference_text
    assert "Replace the --output file if it exists." in reference_text
    dashed = re.findall(r".{0,30}\u2013[a-z].{0,20}", reference_text)
    assert dashed == []


def test_the_cli_reference_keeps_straight_quotes_in_examples(reference_text: str) -> None:
    assert '--name "Tortillería La Esperanza SA de CV"' in reference_text
    assert "\u201c" not in reference_text
    assert "\u201d" not in reference_text

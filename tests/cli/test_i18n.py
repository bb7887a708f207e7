"""CLI messages in the user's language (issue 25): Spanish under es_MX, English otherwise."""

from __future__ import annotations

import ast
import inspect
import json
import re
import string
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Final

import click
import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from o2c.cli import _messages_es as es
from o2c.cli import cli
from o2c.cli._i18n import (
    LANGUAGE_VARIABLES,
    TranslatingContext,
    catalog,
    gettext,
    language,
    ngettext,
    short_help,
    template_pattern,
    translate_error,
)

#: A Mexican specialist's shell: nothing but LANG says the language.
SPANISH: Final = {"O2C_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "es_MX.UTF-8"}
ENGLISH: Final = {"O2C_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"}


def _run(book_path: Path, env: Mapping[str, str | None], *args: str) -> Result:
    head = ["--book", str(book_path), "--actor", "ana"]
    return CliRunner().invoke(cli, [*head, *args], env=dict(env), prog_name="o2c")


@pytest.fixture
def clean_language(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in LANGUAGE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


# -- the user's language -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"LANG": "es_MX.UTF-8"}, "es_MX"),
        ({"LANG": "es_ES.UTF-8@euro"}, "es_ES"),
        ({"LANG": "de_DE.UTF-8", "LC_MESSAGES": "es_MX.UTF-8"}, "es_MX"),
        ({"LC_MESSAGES": "es_MX.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en_US"),
        ({"LANG": "es_MX.UTF-8", "O2C_LANG": "en"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": ""}, "en"),
        ({}, "en"),
    ],
)
def test_the_language_is_the_first_locale_variable_set(
    clean_language: pytest.MonkeyPatch, variables: dict[str, str], expected: str
) -> None:
    for name, value in variables.items():
        clean_language.setenv(name, value)
    assert language() == expected


def test_mexican_spanish_reads_its_own_words_then_spanish(
    clean_language: pytest.MonkeyPatch,
) -> None:
    clean_language.setenv("LANG", "es_MX.UTF-8")
    assert gettext("Voided {number}") == "Cancelada {number}"
    assert gettext("Issued {number}") == "Emitida {number}"  # from es
    clean_language.setenv("LANG", "es_ES.UTF-8")
    assert gettext("Voided {number}") == "Anulada {number}"


def test_a_language_without_a_catalog_is_english(clean_language: pytest.MonkeyPatch) -> None:
    clean_language.setenv("LANG", "de_DE.UTF-8")
    assert catalog("de_DE") is None
    assert gettext("Issued {number}") == "Issued {number}"
    assert translate_error("customer C-9 not found") == "customer C-9 not found"


def test_plural_forms(clean_language: pytest.MonkeyPatch) -> None:
    clean_language.setenv("LANG", "es_MX.UTF-8")
    assert ngettext("yes", "no", 1) == "sí"
    assert ngettext("yes", "no", 2) == "no"
    clean_language.setenv("LANG", "C")
    assert ngettext("yes", "no", 1) == "yes"


# -- commands under LANG=es_MX.UTF-8 --------------------------------------------------------


def test_help_is_spanish_under_a_mexican_locale(tmp_path: Path) -> None:
    result = _run(tmp_path / "b.db", SPANISH, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Uso: o2c [OPTIONS] COMMAND [ARGS]...\n")
    assert "Opciones:" in result.stdout
    assert "Comandos:" in result.stdout
    assert "Muestra este mensaje y termina." in result.stdout
    # the short help of a command not imported yet, translated before it is shortened
    assert "Facture un periodo; revise lo que no se pudo facturar." in result.stdout
    assert "[por omisión: ./o2c.db]" in " ".join(result.stdout.split())


def test_option_help_and_required_mark_are_spanish(tmp_path: Path) -> None:
    result = _run(tmp_path / "b.db", SPANISH, "invoice", "void", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "Cancela el documento emitido DOCUMENT que nada pagó ni acreditó" in text
    assert "Por qué se cancela (queda en la bitácora de auditoría). [obligatorio]" in text


def test_help_without_a_translation_stays_english(clean_language: pytest.MonkeyPatch) -> None:
    # every o2c command is translated (see test_every_help_text_of_the_tree_is_spanish), so
    # the fallback is shown on a stand-in command whose help the catalog does not hold
    english_help = "Render a thing o2c has no Spanish for."
    command = click.Command(
        "thing",
        help=english_help,
        params=[click.Option(["--shape"], help="A shape nobody translated.")],
    )
    clean_language.setenv("LANG", "es_MX.UTF-8")
    spanish = command.get_help(TranslatingContext(command, info_name="thing"))
    assert spanish.startswith("Uso: thing [OPTIONS]")
    assert english_help in spanish
    assert "A shape nobody translated." in spanish
    assert "Muestra este mensaje y termina." in spanish
    clean_language.setenv("LANG", "C.UTF-8")
    english = command.get_help(TranslatingContext(command, info_name="thing"))
    assert english.startswith("Usage: thing [OPTIONS]")
    assert "Uso:" not in english


def test_english_help_is_unchanged_by_the_catalog(tmp_path: Path) -> None:
    english = _run(tmp_path / "b.db", ENGLISH, "--help")
    assert english.stdout.startswith("Usage: o2c [OPTIONS] COMMAND [ARGS]...\n")
    assert "Run the bill for a period; look at what could not be billed." in english.stdout
    assert "Facture" not in english.stdout


def test_a_domain_error_is_one_spanish_line(tmp_path: Path) -> None:
    book = tmp_path / "b.db"
    assert _run(book, ENGLISH, "init").exit_code == 0
    result = _run(book, SPANISH, "customer", "show", "C-NOPE")
    assert result.exit_code == 1
    assert result.stderr == "Error: no existe el cliente C-NOPE\n"
    assert _run(book, ENGLISH, "customer", "show", "C-NOPE").stderr == (
        "Error: customer C-NOPE not found\n"
    )


def test_a_missing_book_error_is_spanish_clause_by_clause(tmp_path: Path) -> None:
    result = _run(tmp_path / "none.db", SPANISH, "invoice", "list")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: no existe el libro {tmp_path / 'none.db'}; créelo con o2c init o Book.init()\n"
    )


def test_an_untranslated_error_falls_back_to_english(tmp_path: Path) -> None:
    book = tmp_path / "b.db"
    assert _run(book, ENGLISH, "init").exit_code == 0
    added = _run(book, ENGLISH, "customer", "add", "C1", "--name", "Uno", "--country", "MX",
                 "--currency", "MXN")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    result = _run(book, SPANISH, "payment", "record", "--customer", "C1", "--amount", "100 USD")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: payment refused: 100.00 USD from customer C1 is in USD, but C1 is billed in "
        "MXN; o2c has no currency conversion (FX) yet: record the payment in MXN\n"
    )


def test_a_usage_error_is_spanish_with_exit_code_2(tmp_path: Path) -> None:
    result = _run(tmp_path / "b.db", SPANISH, "payment", "record")
    assert result.exit_code == 2
    assert result.stderr == (
        "Uso: o2c payment record [OPTIONS]\n"
        "Pruebe 'o2c payment record --help' para ver la ayuda.\n"
        "\n"
        "Error: Falta la opción '--customer'.\n"
    )


def test_a_click_error_of_a_command_is_translated(tmp_path: Path) -> None:
    book = tmp_path / "b.db"
    assert _run(book, ENGLISH, "init").exit_code == 0
    target = tmp_path / "periods.csv"
    target.write_text("keep me")
    result = _run(book, SPANISH, "period", "list", "--format", "csv", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {target} ya existe; use --force para reemplazarlo\n"
    assert target.read_text() == "keep me"


def test_outcome_lines_and_table_headings_are_spanish_json_keys_are_not(
    tmp_path: Path,
) -> None:
    book = tmp_path / "b.db"
    init = _run(book, SPANISH, "init")
    assert init.exit_code == 0
    assert init.stdout.splitlines()[0] == "Libro listo"
    assert "zona_horaria" in init.stdout
    added = _run(book, ENGLISH, "customer", "add", "C1", "--name", "Uno", "--country", "MX",
                 "--currency", "MXN")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    paid = _run(book, SPANISH, "payment", "record", "--customer", "C1", "--amount", "1160",
                "--date", "2026-10-20", "--id", "P-1")  # fmt: skip
    assert paid.exit_code == 0, paid.stderr
    assert paid.stdout.splitlines()[0] == "Pago P-1 registrado"
    assert re.search(r"^importe\s+1160\.00 MXN$", paid.stdout, re.M)
    listed = _run(book, SPANISH, "payment", "list")
    assert listed.stdout.splitlines()[0].split() == [
        "id", "cliente", "fecha", "importe", "forma", "referencia"
    ]  # fmt: skip
    as_json = _run(book, SPANISH, "--format", "json", "payment", "list")
    assert json.loads(as_json.stdout)[0]["amount"] == {"amount": "1160.00", "currency": "MXN"}
    empty = _run(book, SPANISH, "period", "list")
    assert empty.stdout == "(ninguno)\n"


# -- the catalog is kept -------------------------------------------------------------------


def _help_texts(command: click.Command, ctx: click.Context) -> Iterator[str]:
    if command.help:
        for paragraph in inspect.cleandoc(command.help).partition("\f")[0].split("\n\n"):
            yield " ".join(paragraph.split())
    if command.short_help:
        yield " ".join(command.short_help.split())
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            yield " ".join(param.help.split())
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                yield from _help_texts(sub, ctx)


def _string_literals() -> set[str]:
    folder = Path(inspect.getfile(es)).parent
    found: set[str] = set()
    for path in folder.glob("*.py"):
        if path.name.startswith("_messages_es"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


#: Texts click prints (its own gettext messages) and field names of tables.
_CLICK: Final = {
    "Usage:", "Options", "Commands", "Show this message and exit.", "Show the version and exit.",
    "required", "default: {value}", "env var: {value}", "Try '{command} {option}' for help.",
}  # fmt: skip


def test_every_catalog_message_is_still_used_by_the_cli() -> None:
    with click.Context(cli) as ctx:
        helps = set(_help_texts(cli, ctx))
    literals = _string_literals()
    columns = set(es._COLUMNS)
    territory = {key for messages, _errors in es.TERRITORIES.values() for key in messages}
    stale = [
        key
        for key in [*es.MESSAGES, *territory]
        if key not in helps and key not in literals and key not in columns and key not in _CLICK
    ]
    assert stale == []


def _names(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_translations_keep_their_placeholders() -> None:
    territory = [pair for messages, errors in es.TERRITORIES.values() for pair in
                 [*messages.items(), *errors.items()]]  # fmt: skip
    for english, spanish in [*es.MESSAGES.items(), *es.ERRORS.items(), *territory]:
        assert _names(spanish) <= _names(english), english
        if english in es.MESSAGES:
            assert _names(spanish) == _names(english), english


def test_error_templates_name_each_value_once() -> None:
    for template in es.ERRORS:
        names = re.findall(r"\{([a-z_]+)\}", template)
        assert len(names) == len(set(names)), template


_VALUES: Final = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters=";"), min_size=1, max_size=12
).filter(lambda value: value.strip() == value and value != "")


@given(customer=_VALUES, hint_kept=st.booleans())
def test_a_template_translates_any_value_and_keeps_it_verbatim(
    customer: str, hint_kept: bool
) -> None:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("O2C_LANG", "es_MX")
        message = f"customer {customer} not found"
        assert translate_error(message) == f"no existe el cliente {customer}"
        # a clause without a translation keeps the whole message English
        mixed = f"{message}; call {customer} first" if hint_kept else message
        if hint_kept:
            assert translate_error(mixed) == mixed


@given(text=st.text(max_size=40))
def test_a_message_outside_the_catalog_is_returned_unchanged(text: str) -> None:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("O2C_LANG", "es_MX")
        known = catalog("es_MX")
        assert known is not None
        if known.lookup(text) is None and not any(
            pattern.fullmatch(part) for part in text.split("; ") for pattern, _ in known.matchers()
        ):
            assert translate_error(text) == text
            assert gettext(text) == text


def test_a_template_pattern_matches_only_its_own_text() -> None:
    pattern = template_pattern("cannot allocate {amount} to {document}: only {open} is open")
    match = pattern.fullmatch("cannot allocate 5.00 USD to INV-1: only 2.00 USD is open")
    assert match is not None
    assert match.groupdict() == {"amount": "5.00 USD", "document": "INV-1", "open": "2.00 USD"}
    assert pattern.fullmatch("cannot allocate 5.00 USD to INV-1") is None


# -- every help page of the tree reads in Spanish (issue 25) --------------------------------

#: Help texts that read the same in Spanish: a command line, SAT catalogue codes, a range.
SAME_IN_SPANISH: Final = frozenset(
    {
        "`o2c contract add K-1 --customer C-US-1 --ratecard saas-2026 --start 2026-10-01 "
        "--recurring platform --recurring seats:25 --usage api_calls --time consulting`",
        "c_UsoCFDI (G03, G01, S01...).",
        "c_ClaveProdServ (80101500...).",
        "0-100.",
    }
)


def _tree(
    command: click.Command, ctx: click.Context, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None, (*path, name)
            yield from _tree(sub, ctx, (*path, name))


def _page_texts(command: click.Command) -> Iterator[tuple[str, str]]:
    """What a help page shows of ``command``: (where, text with whitespace collapsed)."""
    for paragraph in inspect.cleandoc(command.help or "").partition("\f")[0].split("\n\n"):
        if paragraph.strip() and not paragraph.startswith("\b"):
            yield "help", " ".join(paragraph.split())
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            yield f"option {param.opts[-1]}", " ".join(param.help.split())


def test_every_help_text_of_the_tree_is_spanish(clean_language: pytest.MonkeyPatch) -> None:
    found = catalog("es_MX")
    assert found is not None
    untranslated: list[str] = []
    with click.Context(cli) as ctx:
        commands = list(_tree(cli, ctx))
    assert len(commands) > 150  # the whole tree, groups and leaves
    for path, command in commands:
        # the short help a group's page lists the command with
        english = command.get_short_help_str(limit=1_000_000)
        clean_language.setenv("LANG", "es_MX.UTF-8")
        listed = short_help(command, 1_000_000)
        clean_language.delenv("LANG")
        if path and listed == english:
            untranslated.append(f"o2c {' '.join(path)} (short help): {english}")
        for where, text in _page_texts(command):
            if text in SAME_IN_SPANISH:
                continue
            spanish = found.lookup(text)
            if spanish is None or spanish == text:
                untranslated.append(f"o2c {' '.join(path)} ({where}): {text}")
    assert untranslated == []


def test_the_allow_list_holds_only_texts_the_tree_still_shows() -> None:
    with click.Context(cli) as ctx:
        shown = {text for _path, command in _tree(cli, ctx) for _w, text in _page_texts(command)}
    assert shown >= SAME_IN_SPANISH
    known = catalog("es_MX")
    assert known is not None
    assert all(known.lookup(text) is None for text in SAME_IN_SPANISH)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("invoice",), "Liste, consulte, explique, emita, cancele y genere facturas"),
        (("invoice", "void"), "Cancela el documento emitido DOCUMENT"),
        (("cfdi", "stamp"), "Sella el DOCUMENT emitido, lo hace timbrar por el PAC"),
        (("cfdi", "stamp"), "Timbra cada factura emitida de esta corrida de facturación."),
        (("inquiry", "open"), "Abre una consulta de CUSTOMER"),
        (("promise", "add"), "Registra la promesa de CUSTOMER de pagar a más tardar el --by"),
        (("report", "aging"), "Antigüedad a esta fecha (por omisión: hoy)."),
        (("debit-note", "create"), "Cobra un cargo adicional sobre INVOICE"),
        # a group's list: the translation's first sentence, never cut at "p. ej."
        (("period",), "close Cierra MONTH (p. ej. 2026-10); las correcciones"),
        (("debit-note",), "create Cobra un cargo adicional sobre INVOICE, p. ej."),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else "",
)
def test_a_help_page_reads_in_mexican_spanish(
    tmp_path: Path, path: tuple[str, ...], expected: str
) -> None:
    result = _run(tmp_path / "b.db", SPANISH, *path, "--help")
    assert result.exit_code == 0, result.stderr
    assert expected in " ".join(result.stdout.split())
    assert "Opciones:" in result.stdout

"""CLI messages in the user's language: ``from o2c.cli._i18n import _``.

A command module marks what a person reads with ``_()``, the usual gettext name::

    from o2c.cli._i18n import _

    obj.note(_("wrote {path}").format(path=output))

and the message is printed in the language of the user's locale. The language comes from
the first of ``O2C_LANG``, ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set (POSIX
order, with ``O2C_LANG`` first so a user can pick o2c's language alone): ``es_MX.UTF-8``
reads the ``es_MX`` catalog, then ``es``; ``C``, ``POSIX`` or a language without a catalog
is English. A message missing from the catalog is printed in English (gettext's rule), so
an untranslated message is never lost. The locale is read on each call (a few environment
look-ups), not once at import, so a long-lived process or a test runner that changes it
sees the change.

The catalogs are Python mappings in :mod:`o2c.cli._messages_es` (English message id ->
translation), as the document catalogs of :mod:`o2c.io` are: an editable install, a wheel
and a checkout read them with no ``.po``/``.mo`` build step, and ruff and mypy check them.
:class:`Catalog` is a :class:`gettext.NullTranslations`, so ``gettext``, ``ngettext`` and
``add_fallback`` behave as the standard library documents, without loading babel at
start-up.

Three places translate for every command, so a module adds nothing for them:

* help pages (:class:`HelpFormatter`): headings, usage, command and option help, click's
  own texts (``Show this message and exit.``); help texts are looked up per paragraph with
  their whitespace collapsed, so rewrapping a docstring does not lose its translation;
* errors (:func:`translate_error`): the one line the house error handler prints. Domain
  errors are built in the core as English sentences with values in them, so the Spanish
  catalog holds templates (``customer {key} not found``) matched against the whole
  message, or else against each of its ``; ``-separated clauses; unless every clause has
  a translation the message stays English, never half translated;
* click's usage errors (a missing option, a bad value): their frame (``Uso:``, the
  ``--help`` hint) and their message, by the same templates.
"""

from __future__ import annotations

import functools
import gettext as _gettext
import inspect
import os
import re
import textwrap
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any, Final

import click

__all__ = [
    "LANGUAGE_VARIABLES",
    "Catalog",
    "HelpFormatter",
    "TranslatedUsageError",
    "TranslatingContext",
    "_",
    "catalog",
    "gettext",
    "language",
    "ngettext",
    "short_help",
    "translate_error",
]

#: Where the user's language is read from, first set wins.
LANGUAGE_VARIABLES: Final = ("O2C_LANG", "LC_ALL", "LC_MESSAGES", "LANG")

_ENGLISH: Final = "en"


def language() -> str:
    """The user's language and territory, e.g. ``es_MX`` or ``en`` (the default).

    Example:
        >>> import os
        >>> os.environ["O2C_LANG"] = "es_MX.UTF-8"
        >>> language()
        'es_MX'
        >>> os.environ["O2C_LANG"] = "C"
        >>> language()
        'en'
        >>> del os.environ["O2C_LANG"]
    """
    for name in LANGUAGE_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value:
            return _normalize(value)
    return _ENGLISH


def _normalize(value: str) -> str:
    # "es_MX.UTF-8@euro" -> "es_MX"; LANGUAGE-style lists ("es_MX:en") take the first.
    code = value.split(":", 1)[0].split(".", 1)[0].split("@", 1)[0].replace("-", "_")
    if code in ("", "C", "POSIX"):
        return _ENGLISH
    head, _sep, territory = code.partition("_")
    return f"{head.lower()}_{territory.upper()}" if territory else head.lower()


class Catalog(_gettext.NullTranslations):
    """One language's messages; a message it lacks goes to its fallback (English last).

    Args:
        messages: English message id -> translation.
        templates: English error templates with ``{name}`` placeholders -> translation
            (see :func:`translate_error`).
        fallback: The catalog asked for what this one lacks (``es`` behind ``es_MX``).
    """

    def __init__(
        self,
        messages: Mapping[str, str],
        templates: Mapping[str, str] | None = None,
        fallback: Catalog | None = None,
    ) -> None:
        super().__init__()
        self.messages: Final = messages
        self.templates: Final = templates or {}
        self.fallback: Final = fallback

    def gettext(self, message: str) -> str:
        """Return the translation of ``message`` (``message`` itself if there is none)."""
        found = self.lookup(message)
        return message if found is None else found

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        """Return the singular or plural form for ``n`` (English and Spanish: ``n != 1``)."""
        return self.gettext(msgid1 if n == 1 else msgid2)

    def lookup(self, message: str) -> str | None:
        """The translation of ``message`` in this catalog or its fallbacks, else ``None``."""
        found = self.messages.get(message)
        if found is None and self.fallback is not None:
            return self.fallback.lookup(message)
        return found

    def matchers(self) -> tuple[tuple[re.Pattern[str], str], ...]:
        """The error templates of this catalog and its fallbacks as compiled patterns."""
        own = _compiled(tuple(self.templates.items()))
        return own if self.fallback is None else (*own, *self.fallback.matchers())


@functools.cache
def _compiled(templates: tuple[tuple[str, str], ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((template_pattern(english), translated) for english, translated in templates)


_PLACEHOLDER: Final = re.compile(r"\{([a-z_]+)\}")


def template_pattern(template: str) -> re.Pattern[str]:
    """The regular expression that matches messages made from ``template``.

    Each ``{name}`` matches any text (as little as possible); the rest literally.

    Example:
        >>> template_pattern("customer {key} not found").fullmatch("customer C9 not found")
        <re.Match object; span=(0, 21), match='customer C9 not found'>
    """
    parts: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[position : match.start()]))
        parts.append(f"(?P<{match.group(1)}>.+?)")
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts), re.DOTALL)


def _load(code: str) -> Catalog | None:
    if code == "es" or code.startswith("es_"):
        from o2c.cli import _messages_es

        base = Catalog(_messages_es.MESSAGES, _messages_es.ERRORS)
        overrides = _messages_es.TERRITORIES.get(code)
        if overrides is None:
            return base
        messages, templates = overrides
        return Catalog(messages, templates, fallback=base)
    return None


@functools.cache
def catalog(code: str) -> Catalog | None:
    """The catalog of language ``code`` (``es_MX``, ``es``), ``None`` for English."""
    return _load(code)


def _current() -> Catalog | None:
    return catalog(language())


def gettext(message: str) -> str:
    """Return ``message`` in the user's language (English when it has no translation)."""
    found = _current()
    return message if found is None else found.gettext(message)


#: The conventional short name: ``_("wrote {path}").format(path=...)``.
_: Final[Callable[[str], str]] = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """Return the form of a message for ``n`` things in the user's language."""
    found = _current()
    if found is None:
        return singular if n == 1 else plural
    return found.ngettext(singular, plural, n)


def _translate_one(text: str, found: Catalog) -> str | None:
    exact = found.lookup(text)
    if exact is not None:
        return exact
    for pattern, translated in found.matchers():
        match = pattern.fullmatch(text)
        if match is not None:
            return translated.format(**match.groupdict())
    return None


def translate_error(message: str) -> str:
    """Return an error message in the user's language, or unchanged (English).

    The whole message is looked up first (an exact message or a template), then each of
    its ``"; "``-separated clauses; a message is translated only if all its clauses are.

    Example:
        >>> import os
        >>> os.environ["O2C_LANG"] = "es"
        >>> translate_error("customer C-9 not found")
        'no existe el cliente C-9'
        >>> translate_error("customer C-9 not found; a sentence with no translation")
        'customer C-9 not found; a sentence with no translation'
        >>> del os.environ["O2C_LANG"]
    """
    found = _current()
    if found is None or not message:
        return message
    whole = _translate_one(message, found)
    if whole is not None:
        return whole
    clauses = message.split("; ")
    if len(clauses) == 1:
        return message
    translated = [_translate_one(clause, found) for clause in clauses]
    if any(t is None for t in translated):
        return message
    return "; ".join(t for t in translated if t is not None)


def _help_text(text: str) -> str:
    """A help text translated paragraph by paragraph (whitespace collapsed for the look-up)."""
    found = _current()
    if found is None:
        return text
    paragraphs = text.split("\n\n")
    out: list[str] = []
    for paragraph in paragraphs:
        if paragraph.startswith("\b"):
            out.append(paragraph)  # a click literal block (examples): kept as written
            continue
        key = " ".join(paragraph.split())
        exact = found.lookup(key)
        out.append(paragraph if exact is None else exact)
    return "\n\n".join(out)


_EXTRA: Final = re.compile(r"^(?P<help>.*?)\s*\[(?P<extra>[^\[\]]*)\]$", re.DOTALL)


def _option_help(text: str) -> str:
    # click appends "  [default: x; required]" to an option's help.
    match = _EXTRA.match(text)
    if match is None:
        return _help_text(text)
    head = _help_text(match.group("help")) if match.group("help") else ""
    extras = "; ".join(_extra(item) for item in match.group("extra").split("; "))
    return f"{head}  [{extras}]" if head else f"[{extras}]"


def _extra(item: str) -> str:
    for label in ("default", "env var"):
        if item.startswith(f"{label}: "):
            return gettext(f"{label}: {{value}}").format(value=item[len(label) + 2 :])
    return gettext(item)


class HelpFormatter(click.HelpFormatter):
    """Click's help formatter, writing headings and help texts in the user's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """Write the usage line, its ``Usage:`` translated."""
        if prefix is None:
            prefix = gettext("Usage:") + " "
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        """Write a section heading (``Options``, ``Commands``) translated."""
        super().write_heading(gettext(heading))

    def write_text(self, text: str) -> None:
        """Write a help text translated by paragraph."""
        super().write_text(_help_text(text))

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        """Write option and command rows, their help translated."""
        super().write_dl([(term, _option_help(text)) for term, text in rows], col_max, col_spacing)


def short_help(command: click.Command, limit: int) -> str:
    """A command's short help in the user's language, shortened to ``limit`` afterwards.

    Translating before shortening keeps a long help's translation (click cuts a short
    help that does not fit with ``...``, and a cut English text has no catalog entry).
    When click's short help is only the first sentence of the help's first paragraph (or
    ends at an abbreviation, ``e.g.``), the paragraph is translated and the translation's
    first sentence is shown. Without a translation it is exactly click's short help.
    """
    found = _current()
    if found is None:
        return command.get_short_help_str(limit)
    full = command.get_short_help_str(limit=_UNLIMITED)
    translated = found.lookup(" ".join(full.split()))
    if translated is None and not command.short_help and command.help:
        paragraph = inspect.cleandoc(command.help).partition("\f")[0].partition("\n\n")[0]
        whole = found.lookup(" ".join(paragraph.split()))
        translated = whole
    if translated is None:
        return command.get_short_help_str(limit)
    return _shortened(translated, limit)


#: Words whose period ends no sentence (click's rule alone ends one at ``p. ej. 2026``).
_ABBREVIATIONS: Final = frozenset({"p.", "ej.", "e.g.", "i.e.", "EE."})


def _shortened(text: str, limit: int) -> str:
    # click's rule (the first sentence, then cut to the limit with "..."), abbreviations kept
    words = text.split()
    for i, word in enumerate(words):
        ends = i == len(words) - 1 or not words[i + 1][0].islower()
        if word.endswith(".") and word not in _ABBREVIATIONS and ends:
            words = words[: i + 1]
            break
    sentence = " ".join(words)
    if len(sentence) <= limit:
        return sentence
    if limit < len("..."):
        return "..."
    return textwrap.shorten(sentence, limit, placeholder="...", break_on_hyphens=False)


_UNLIMITED: Final = 1_000_000


class TranslatingContext(click.Context):
    """A click context whose help pages are written in the user's language."""

    formatter_class = HelpFormatter


class TranslatedUsageError(click.UsageError):
    """A click usage error shown in the user's language (exit code 2, as click's)."""

    def __init__(self, error: click.UsageError) -> None:
        super().__init__(translate_error(error.format_message()), error.ctx)

    def show(self, file: IO[Any] | None = None) -> None:
        """Print the usage, the ``--help`` hint and the error line, translated."""
        lines: list[str] = []
        if self.ctx is not None:
            lines.append(self.ctx.get_usage())
            names = self.ctx.command.get_help_option_names(self.ctx)
            if names and self.ctx.command.get_help_option(self.ctx) is not None:
                hint = gettext("Try '{command} {option}' for help.")
                lines.append(hint.format(command=self.ctx.command_path, option=max(names, key=len)))
            lines.append("")
        lines.append(gettext("Error: {message}").format(message=self.format_message()))
        click.echo("\n".join(lines), err=file is None, file=file)

"""The book's rendering settings: the folder of its own document templates.

A book may keep its own templates (``document.html``, ``document.txt``,
``statement.html``...) in a folder, the ``render.templates`` setting; rendering looks there
before the bundled templates, after a folder given for one call (``o2c invoice render
--templates DIR``). :class:`RenderingMixin` is their group on the :class:`o2c.Book`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from o2c.book._area import Area
from o2c.book._session import Session, Touched
from o2c.errors import ValidationError

__all__ = ["TEMPLATES_SETTING", "RenderingMixin", "render_templates", "set_render_templates"]

#: The book setting that names the book's template folder.
TEMPLATES_SETTING: Final = "render.templates"


def render_templates(session: Session) -> Path | None:
    """The book's template folder (``Book.render_templates``), or ``None``."""
    text = session.setting(TEMPLATES_SETTING)
    return Path(text) if text else None


def set_render_templates(
    session: Session,
    folder: Path | str | None,
    *,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Path | None:
    """Use ``folder`` for the book's templates, or the bundled ones again with ``None``.

    Raises:
        ValidationError: ``folder`` is not an existing folder (nothing is changed).
    """
    chosen: Path | None = None
    if folder is not None and str(folder).strip():
        chosen = Path(folder).expanduser().resolve()
        if not chosen.is_dir():
            raise ValidationError("templates", str(folder), "an existing folder of templates")

    def body(touched: Touched) -> dict[str, Any]:
        session.set_setting(TEMPLATES_SETTING, "" if chosen is None else str(chosen))
        touched.add(TEMPLATES_SETTING)
        return {}

    session.run(
        "set_render_templates",
        actor=actor,
        key=idempotency_key,
        args={"templates": None if chosen is None else str(chosen)},
        body=body,
    )
    return chosen


class RenderingMixin(Area):
    """The book's document templates."""

    def render_templates(self) -> Path | None:
        """The folder of the book's own document templates; ``None`` for the bundled ones."""
        return render_templates(self._session)

    def set_render_templates(
        self,
        folder: Path | str | None,
        *,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Path | None:
        """Render this book's documents with the templates in ``folder`` first (a template
        missing there comes from the bundled ones); ``None`` goes back to the bundled ones.

        Returns:
            The folder, as an absolute path, or ``None``.

        Raises:
            ValidationError: ``folder`` is not an existing folder (nothing is changed).
        """
        return set_render_templates(
            self._session, folder, actor=actor, idempotency_key=idempotency_key
        )

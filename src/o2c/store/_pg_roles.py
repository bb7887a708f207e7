"""Database roles for a PostgreSQL book, and the triggers that keep its records append-only.

On SQLite anyone who can write the file can change anything in it; on PostgreSQL the
server can enforce who may do what. :func:`install_postgres_roles` creates four group
roles for the book (``NOLOGIN``: grant them to your users' login roles):

``<prefix>_reader``
    reads the book (reports, exports, the audit trail) and nothing else;
``<prefix>_writer``
    runs o2c commands: reads, and inserts and updates rows as the Book does;
``<prefix>_approver``
    a writer who decides approvals (the four-eyes rules in the book name who may);
``<prefix>_owner``
    owns the schema: migrations, and the only role that may correct a record by hand.

where ``<prefix>`` is ``o2c_<schema>`` (``o2c`` for a book in the default schema), so
books in different schemas of one database have roles of their own.

Triggers refuse, for everyone but the owner (and superusers), any ``UPDATE`` or ``DELETE``
of the journal, the audit trail and its seals, and document lines and taxes; and of a
document once issued, except the one change o2c makes to it, voiding it (status,
``voided_at``, ``void_reason``). A team member with ``psql`` and a writer's role can no
longer edit an issued invoice.

From then on the book's actor is the database role a command runs as (``current_user``:
the login role, or the role an application chose with ``SET ROLE``); an ``actor=`` an
application passes is recorded beside it in the audit trail (``app_identity``), never
instead of it, so four-eyes rules hold between database roles.

Opening an up-to-date book needs no privilege beyond the reader's (the schema version is
read, not written; the schema is created only when missing).
"""

from __future__ import annotations

from typing import Final

from o2c.errors import StoreError
from o2c.store._base import Store

__all__ = [
    "APPEND_ONLY_TABLES",
    "IDENTITY_SETTING",
    "ROLE_KINDS",
    "install_postgres_roles",
    "postgres_role_names",
]

#: The kinds of role a book has, from least to most.
ROLE_KINDS: Final = ("reader", "writer", "approver", "owner")

#: Tables whose rows nobody but the owner may update or delete.
APPEND_ONLY_TABLES: Final = (
    "document_lines",
    "document_taxes",
    "journal_entries",
    "journal_lines",
    "audit_events",
    "audit_seals",
)

#: The book setting that says who the actor is: ``database`` once the roles are installed.
IDENTITY_SETTING: Final = "identity.source"

#: The columns o2c changes when it voids an issued document: the only update allowed.
_VOID_COLUMNS: Final = "'{status,voided_at,void_reason}'::text[]"

_FUNCTION: Final = f"""
CREATE OR REPLACE FUNCTION o2c_append_only() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF pg_has_role(current_user, TG_ARGV[0], 'MEMBER') THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    -- (Nested IFs: PL/pgSQL does not promise to skip OLD.status on other tables.)
    IF TG_TABLE_NAME = 'documents' THEN
        IF OLD.status = 'draft' THEN
            RETURN COALESCE(NEW, OLD);
        END IF;
        IF TG_OP = 'UPDATE' THEN
            IF OLD.status = 'issued' AND NEW.status = 'void'
               AND (to_jsonb(OLD) - {_VOID_COLUMNS}) = (to_jsonb(NEW) - {_VOID_COLUMNS}) THEN
                RETURN NEW;
            END IF;
        END IF;
    END IF;
    RAISE EXCEPTION 'o2c: % of % refused: issued documents, the journal and the audit '
        'trail are append-only; correct with a new document (only % may edit rows)',
        TG_OP, TG_TABLE_NAME, TG_ARGV[0]
        USING ERRCODE = 'insufficient_privilege';
END
$body$
"""


def postgres_role_names(schema: str | None) -> dict[str, str]:
    """The book's role names by kind, for a book in ``schema`` (None: the default).

    Example:
        >>> postgres_role_names("acme")["writer"]
        'o2c_acme_writer'
        >>> postgres_role_names(None)["reader"]
        'o2c_reader'
    """
    prefix = f"o2c_{schema}" if schema else "o2c"
    return {kind: f"{prefix}_{kind}" for kind in ROLE_KINDS}


def install_postgres_roles(store: Store) -> dict[str, str]:
    """Create (or bring up to date) the book's roles, grants and append-only triggers.

    Run it once as a user who may create roles (``CREATEROLE``) and owns the book's
    tables (whoever created the book), and again after an upgrade of o2c added tables.
    Existing roles are kept; grants and triggers are re-applied.

    Returns:
        The role names by kind.

    Raises:
        StoreError: The store is not PostgreSQL, or the server refused (no privilege).
    """
    from o2c.store._postgres import PostgresStore

    if not isinstance(store, PostgresStore):
        raise StoreError("database roles exist on PostgreSQL books only; a SQLite book is a file")
    names = postgres_role_names(store.schema)
    with store.transaction():
        row = store.query_one("SELECT current_schema()")
        assert row is not None
        schema = f'"{row[0]}"'
        for kind in ROLE_KINDS:
            name = names[kind]
            store.execute(
                "DO $do$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
                f"'{name}') THEN CREATE ROLE \"{name}\" NOLOGIN; END IF; END $do$"
            )
        reader, writer, approver, owner = (f'"{names[k]}"' for k in ROLE_KINDS)
        for statement in (
            f"GRANT {reader} TO {writer}",
            f"GRANT {writer} TO {approver}",
            f"GRANT {approver} TO {owner}",
            f"GRANT USAGE ON SCHEMA {schema} TO {reader}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {reader}",
            f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {writer}",
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {writer}",
            f"GRANT ALL ON SCHEMA {schema} TO {owner}",
            f"GRANT ALL ON ALL TABLES IN SCHEMA {schema} TO {owner}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT ON TABLES TO {reader}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema}"
            f" GRANT INSERT, UPDATE, DELETE ON TABLES TO {writer}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema}"
            f" GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {writer}",
            _FUNCTION,
        ):
            store.execute(statement)
        # From now on the book's actor is the database role (o2c.book reads this).
        store.execute(
            "INSERT INTO settings (key, value) VALUES (?, 'database')"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (IDENTITY_SETTING,),
        )
        for table in (*APPEND_ONLY_TABLES, "documents"):
            store.execute(f"DROP TRIGGER IF EXISTS o2c_append_only ON {table}")
            store.execute(
                f"CREATE TRIGGER o2c_append_only BEFORE UPDATE OR DELETE ON {table}"
                f" FOR EACH ROW EXECUTE FUNCTION o2c_append_only('{names['owner']}')"
            )
    return names

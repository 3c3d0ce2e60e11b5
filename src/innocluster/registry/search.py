# ruff: noqa: S608  (SQL built from table names read from the models; user text is a parameter)
"""The register's search index and tallies: the only engine-specific SQL of the registry.

Why here and like this:

* **What is indexed** is ``registry_participant.search_text``: the member's names in every language,
  case-folded in Python when the entry is written (``models.search_text_for``), so Kazakh and
  Russian letters fold the same on every engine. The column belongs to the registry and sits on the
  register's own table, so nothing here names the organisations' or individuals' tables: moving
  those models to another app changes nothing in the index. A rename of a member reaches the column
  through ``registry.signals`` (one UPDATE), and the index follows the column.
* **SQLite**: an external-content FTS5 table ``<participant table>_search`` with the ``trigram``
  tokenizer (case-sensitive, since the text is folded already): a phrase query of three or more
  characters matches exactly the rows whose ``search_text`` contains it, the same rows a
  ``LIKE '%text%'`` scan finds, read from the index. Triggers on the participant table keep it in
  step in the writer's transaction (inserts, deletes and updates of ``search_text``, whatever code
  writes them, the bulk seeder included).
* **PostgreSQL**: a ``pg_trgm`` GIN index on ``search_text``; the query stays the plain
  ``LIKE '%text%'`` of ``search_text__contains``, which the planner answers from the index.
* Shorter texts (one or two characters) have no trigram: they fall back to the plain ``LIKE``,
  which gives the same rows, only without the index.
* **Tallies** (``RegisterTally``): how many entries have each (status, category, region), kept by
  triggers on the participant table in the same transaction as the row they count, so the figures
  are exact for every writer. On PostgreSQL the trigger locks the two rows of a move in key order,
  so two opposite status changes cannot deadlock.

A schema change that makes SQLite rebuild ``registry_participant`` (Django copies the table and
drops the old one) drops its triggers: such a migration must call :func:`install` and
:func:`rebuild` again. ``tests/registry/test_register_index.py`` fails if the triggers are missing.
"""

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

# Fewer characters than this have no trigram to look up.
MIN_INDEXED = 3


def _names(participant_table: str, tally_table: str) -> dict[str, str]:
    return {"p": participant_table, "fts": f"{participant_table}_search", "t": tally_table}


_SQLITE_TALLY_KEY = (
    "status = {row}.status AND category_id = {row}.category_id AND region_id = COALESCE({row}.region_id, 0)"
)
# Templates of DDL, formatted with table names read from the models, never with user input.
_SQLITE_TALLY_ADD = (
    "INSERT OR IGNORE INTO {t} (status, category_id, region_id, n)"
    " VALUES ({row}.status, {row}.category_id, COALESCE({row}.region_id, 0), 0);"
    " UPDATE {t} SET n = n + 1 WHERE " + _SQLITE_TALLY_KEY + ";"
)
_SQLITE_TALLY_SUB = "UPDATE {t} SET n = n - 1 WHERE " + _SQLITE_TALLY_KEY + ";"

SQLITE_INSTALL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5("
    "search_text, content='{p}', content_rowid='id', tokenize='trigram case_sensitive 1')",
    "CREATE TRIGGER IF NOT EXISTS {p}_search_insert AFTER INSERT ON {p} BEGIN"
    " INSERT INTO {fts} (rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS {p}_search_delete AFTER DELETE ON {p} BEGIN"
    " INSERT INTO {fts} ({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS {p}_search_update AFTER UPDATE OF search_text ON {p} BEGIN"
    " INSERT INTO {fts} ({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text);"
    " INSERT INTO {fts} (rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS {p}_tally_insert AFTER INSERT ON {p} BEGIN "
    + _SQLITE_TALLY_ADD.replace("{row}", "new")
    + " END",
    "CREATE TRIGGER IF NOT EXISTS {p}_tally_delete AFTER DELETE ON {p} BEGIN "
    + _SQLITE_TALLY_SUB.replace("{row}", "old")
    + " END",
    "CREATE TRIGGER IF NOT EXISTS {p}_tally_update AFTER UPDATE OF status, category_id, region_id ON {p} BEGIN "
    + _SQLITE_TALLY_SUB.replace("{row}", "old")
    + " "
    + _SQLITE_TALLY_ADD.replace("{row}", "new")
    + " END",
]
SQLITE_REBUILD = ["INSERT INTO {fts} ({fts}) VALUES ('rebuild')"]
SQLITE_UNINSTALL = [
    *(
        f"DROP TRIGGER IF EXISTS {{p}}_{name}"
        for name in (
            "search_insert",
            "search_delete",
            "search_update",
            "tally_insert",
            "tally_delete",
            "tally_update",
        )
    ),
    "DROP TABLE IF EXISTS {fts}",
]

_PG_KEY = "(status, category_id, region_id) = ({row}.status, {row}.category_id, COALESCE({row}.region_id, 0))"
POSTGRESQL_INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS {p}_search_trgm ON {p} USING gin (search_text gin_trgm_ops)",
    """CREATE OR REPLACE FUNCTION {p}_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.status = OLD.status AND NEW.category_id = OLD.category_id
       AND COALESCE(NEW.region_id, 0) = COALESCE(OLD.region_id, 0) THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO {t} (status, category_id, region_id, n)
        VALUES (NEW.status, NEW.category_id, COALESCE(NEW.region_id, 0), 0)
        ON CONFLICT (status, category_id, region_id) DO NOTHING;
    END IF;
    -- Lock the rows of a move in key order: two opposite moves cannot deadlock.
    PERFORM 1 FROM {t}
     WHERE (TG_OP <> 'DELETE' AND """
    + _PG_KEY.replace("{row}", "NEW")
    + """)
        OR (TG_OP <> 'INSERT' AND """
    + _PG_KEY.replace("{row}", "OLD")
    + """)
     ORDER BY status, category_id, region_id FOR UPDATE;
    IF TG_OP <> 'INSERT' THEN
        UPDATE {t} SET n = n - 1 WHERE """
    + _PG_KEY.replace("{row}", "OLD")
    + """;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE {t} SET n = n + 1 WHERE """
    + _PG_KEY.replace("{row}", "NEW")
    + """;
    END IF;
    RETURN NULL;
END $$""",
    "DROP TRIGGER IF EXISTS {p}_tally ON {p}",
    "CREATE TRIGGER {p}_tally AFTER INSERT OR DELETE OR UPDATE OF status, category_id, region_id"
    " ON {p} FOR EACH ROW EXECUTE FUNCTION {p}_tally()",
]
POSTGRESQL_REBUILD: list[str] = []
POSTGRESQL_UNINSTALL = [
    "DROP TRIGGER IF EXISTS {p}_tally ON {p}",
    "DROP FUNCTION IF EXISTS {p}_tally()",
    "DROP INDEX IF EXISTS {p}_search_trgm",
]

TALLY_REBUILD = [
    "DELETE FROM {t}",
    "INSERT INTO {t} (status, category_id, region_id, n)"
    " SELECT status, category_id, COALESCE(region_id, 0), COUNT(*) FROM {p}"
    " GROUP BY status, category_id, COALESCE(region_id, 0)",
]

_STATEMENTS = {
    "sqlite": (SQLITE_INSTALL, SQLITE_REBUILD, SQLITE_UNINSTALL),
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_REBUILD, POSTGRESQL_UNINSTALL),
}


def _run(conn, statements: list[str], participant_table: str, tally_table: str) -> None:
    names = _names(participant_table, tally_table)
    with conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.format(**names))


def install(conn, participant_table: str, tally_table: str) -> None:
    """Create the index and the triggers (idempotent). Other engines get no index: the search
    then runs as a plain ``LIKE`` and the tallies are not kept, so :func:`rebuild` must follow."""
    if conn.vendor in _STATEMENTS:
        _run(conn, _STATEMENTS[conn.vendor][0], participant_table, tally_table)


def rebuild(conn, participant_table: str, tally_table: str) -> None:
    """Fill the index and the tallies from the rows already in the register."""
    statements = _STATEMENTS.get(conn.vendor, ([], [], []))[1]
    _run(conn, [*statements, *TALLY_REBUILD], participant_table, tally_table)


def uninstall(conn, participant_table: str, tally_table: str) -> None:
    if conn.vendor in _STATEMENTS:
        _run(conn, _STATEMENTS[conn.vendor][2], participant_table, tally_table)


_TRIGGERS = {
    "sqlite": "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
    "postgresql": "SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = %s::regclass",
}
_EXPECTED_TRIGGERS = {"sqlite": 6, "postgresql": 1}


def ensure(conn, participant_table: str, tally_table: str) -> bool:
    """Install the index and the triggers and rebuild both when a trigger is missing (say a later
    migration made SQLite rebuild the participant table, which drops its triggers); ``True`` if it
    had to. Run after every ``migrate`` (``registry.signals``): one query when all is in place."""
    if conn.vendor not in _STATEMENTS:
        return False
    tables = set(conn.introspection.table_names())
    if participant_table not in tables or tally_table not in tables:
        return False
    with conn.cursor() as cursor:
        cursor.execute(_TRIGGERS[conn.vendor], [participant_table])
        (triggers,) = cursor.fetchone()
    if triggers >= _EXPECTED_TRIGGERS[conn.vendor]:
        return False
    install(conn, participant_table, tally_table)
    rebuild(conn, participant_table, tally_table)
    return True


def names_containing(text: str, participant_table: str) -> Q:
    """Participants whose ``search_text`` contains ``text`` (case-folded already), through the
    engine's index where it has one."""
    if connection.vendor == "sqlite" and len(text) >= MIN_INDEXED:
        phrase = '"' + text.replace('"', '""') + '"'
        fts = _names(participant_table, "")["fts"]
        # The table name comes from the model; the text is a parameter.
        return Q(pk__in=RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [phrase]))  # noqa: S611
    return Q(search_text__contains=text)

"""The ledger's protection in the database itself, so that no code path (a shell, a raw UPDATE, a
future module that forgets the commands) can change what was posted.

- A journal line is never updated or deleted, and never added to a posted entry.
- A journal entry is never deleted, never inserted as posted, and never changed once posted.
- An entry becomes posted only if it has two lines or more, its debits equal its credits, and its
  period is open. On PostgreSQL the period row is read ``FOR SHARE``: a period being closed waits
  for the postings in flight, and a posting waits for a close in flight (then sees it closed).

Violations raise ``IntegrityError`` on both engines. Table names come from the models (the
migration passes the historical ones)."""

_SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS {line}_no_update BEFORE UPDATE ON {line}
       BEGIN SELECT RAISE(ABORT, 'finance: a journal line is never changed'); END""",
    """CREATE TRIGGER IF NOT EXISTS {line}_no_delete BEFORE DELETE ON {line}
       BEGIN SELECT RAISE(ABORT, 'finance: a journal line is never deleted'); END""",
    """CREATE TRIGGER IF NOT EXISTS {line}_not_into_posted BEFORE INSERT ON {line}
       WHEN (SELECT status FROM {entry} WHERE id = NEW.entry_id) = 'posted'
       BEGIN SELECT RAISE(ABORT, 'finance: no line is added to a posted entry'); END""",
    """CREATE TRIGGER IF NOT EXISTS {entry}_no_delete BEFORE DELETE ON {entry}
       BEGIN SELECT RAISE(ABORT, 'finance: a journal entry is never deleted'); END""",
    """CREATE TRIGGER IF NOT EXISTS {entry}_not_born_posted BEFORE INSERT ON {entry}
       WHEN NEW.status = 'posted'
       BEGIN SELECT RAISE(ABORT, 'finance: an entry is posted only once its lines are written'); END""",
    """CREATE TRIGGER IF NOT EXISTS {entry}_posted_frozen BEFORE UPDATE ON {entry}
       WHEN OLD.status = 'posted'
       BEGIN SELECT RAISE(ABORT, 'finance: a posted entry is never changed'); END""",
    """CREATE TRIGGER IF NOT EXISTS {entry}_post_check BEFORE UPDATE OF status ON {entry}
       WHEN NEW.status = 'posted'
       BEGIN
         SELECT RAISE(ABORT, 'finance: an entry needs two lines or more')
          WHERE (SELECT count(*) FROM {line} WHERE entry_id = NEW.id) < 2;
         SELECT RAISE(ABORT, 'finance: debits and credits differ')
          WHERE abs((SELECT coalesce(sum(debit), 0) - coalesce(sum(credit), 0)
                     FROM {line} WHERE entry_id = NEW.id)) >= 0.005;
         SELECT RAISE(ABORT, 'finance: the period is closed')
          WHERE (SELECT status FROM {period} WHERE id = NEW.period_id) <> 'open';
       END""",
]

_SQLITE_NAMES = [
    "{line}_no_update",
    "{line}_no_delete",
    "{line}_not_into_posted",
    "{entry}_no_delete",
    "{entry}_not_born_posted",
    "{entry}_posted_frozen",
    "{entry}_post_check",
]

_POSTGRES = [
    """CREATE OR REPLACE FUNCTION {line}_guard() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'UPDATE' THEN
           RAISE EXCEPTION 'finance: a journal line is never changed' USING ERRCODE = '23000';
         ELSIF TG_OP = 'DELETE' THEN
           RAISE EXCEPTION 'finance: a journal line is never deleted' USING ERRCODE = '23000';
         END IF;
         IF (SELECT status FROM {entry} WHERE id = NEW.entry_id) = 'posted' THEN
           RAISE EXCEPTION 'finance: no line is added to a posted entry' USING ERRCODE = '23000';
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE OR REPLACE FUNCTION {entry}_guard() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE
         n integer;
         difference numeric;
         period_status text;
       BEGIN
         IF TG_OP = 'DELETE' THEN
           RAISE EXCEPTION 'finance: a journal entry is never deleted' USING ERRCODE = '23000';
         END IF;
         IF TG_OP = 'INSERT' AND NEW.status = 'posted' THEN
           RAISE EXCEPTION 'finance: an entry is posted only once its lines are written' USING ERRCODE = '23000';
         END IF;
         IF TG_OP = 'UPDATE' AND OLD.status = 'posted' THEN
           RAISE EXCEPTION 'finance: a posted entry is never changed' USING ERRCODE = '23000';
         END IF;
         IF TG_OP = 'UPDATE' AND NEW.status = 'posted' THEN
           SELECT count(*), coalesce(sum(debit), 0) - coalesce(sum(credit), 0)
             INTO n, difference FROM {line} WHERE entry_id = NEW.id;
           IF n < 2 THEN
             RAISE EXCEPTION 'finance: an entry needs two lines or more' USING ERRCODE = '23000';
           END IF;
           IF difference <> 0 THEN
             RAISE EXCEPTION 'finance: debits and credits differ' USING ERRCODE = '23000';
           END IF;
           SELECT status INTO period_status FROM {period} WHERE id = NEW.period_id FOR SHARE;
           IF period_status <> 'open' THEN
             RAISE EXCEPTION 'finance: the period is closed' USING ERRCODE = '23000';
           END IF;
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE OR REPLACE TRIGGER {line}_guard BEFORE INSERT OR UPDATE OR DELETE ON {line}
       FOR EACH ROW EXECUTE FUNCTION {line}_guard()""",
    """CREATE OR REPLACE TRIGGER {entry}_guard BEFORE INSERT OR UPDATE OR DELETE ON {entry}
       FOR EACH ROW EXECUTE FUNCTION {entry}_guard()""",
]


def _tables(entry: str, line: str, period: str) -> dict[str, str]:
    return {"entry": entry, "line": line, "period": period}


def install(connection, entry: str, line: str, period: str) -> None:
    statements = _POSTGRES if connection.vendor == "postgresql" else _SQLITE
    names = _tables(entry, line, period)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.format(**names))


def uninstall(connection, entry: str, line: str, period: str) -> None:
    names = _tables(entry, line, period)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS {line}_guard ON {line}".format(**names))
            cursor.execute("DROP TRIGGER IF EXISTS {entry}_guard ON {entry}".format(**names))
            cursor.execute("DROP FUNCTION IF EXISTS {line}_guard()".format(**names))
            cursor.execute("DROP FUNCTION IF EXISTS {entry}_guard()".format(**names))
        else:
            for name in _SQLITE_NAMES:
                cursor.execute("DROP TRIGGER IF EXISTS " + name.format(**names))


def _model_tables() -> tuple[str, str, str]:
    from innocluster.finance.models import JournalEntry, JournalLine, Period

    return JournalEntry._meta.db_table, JournalLine._meta.db_table, Period._meta.db_table


def install_models(connection) -> None:
    """:func:`install` for the current models' tables (idempotent)."""
    install(connection, *_model_tables())


def uninstall_models(connection) -> None:
    """Lift the protection: only for a test database about to be emptied (see the root conftest)."""
    uninstall(connection, *_model_tables())

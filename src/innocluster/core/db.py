"""Talking to the database with less machinery where it is measured to matter.

Reads: :func:`fetch_chunks`, many rows of a query in chunks, straight from the driver (exports).
Writes: :func:`insert`, :func:`update` and :func:`update_many`, the statements of a hot path
(posting to the journal, appending an audit event) with their SQL built once per model instead of
compiled by the ORM on every call: at a thousand postings a second the compiler, not the database,
was most of the cost. :func:`build` makes the instances those statements write without
``Model.__init__`` (same values, fewer steps).


``QuerySet.iterator()`` hands out one row at a time through a few generators per row, and on
PostgreSQL it reads through a server-side cursor: declared ``WITH HOLD`` outside a transaction,
the whole result is first copied into a store on the server, under a plan chosen for the first
rows (nested loops over indexes), then fetched a chunk per round trip. For an export of 100,000
rows that is a good part of its time. :func:`fetch_chunks` runs the same SQL (compiled by the ORM)
and hands out the driver's chunks (lists of tuples) as they are:

* on SQLite through an ordinary cursor, ``fetchmany`` a chunk at a time;
* on PostgreSQL through psycopg's ``Cursor.stream`` in chunked-rows mode (libpq 17 or later): one
  ordinary query under the plan for the whole result, its rows arriving ``size`` at a time, so
  memory stays bounded. With an older libpq, the rows come through ``QuerySet.iterator()``.
"""

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import batched
from operator import attrgetter

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.backends.utils import CursorWrapper
from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from django.db.models.sql.constants import MULTI

# Rows per chunk: 2,000 fetched fastest on both engines (bigger lists cost more to build).
CHUNK = 2000


def _streams_in_chunks(connection) -> bool:
    """Whether this PostgreSQL connection can stream a result in chunks (psycopg 3, libpq >= 17)."""
    try:
        import psycopg
    except ImportError:  # psycopg2
        return False
    return psycopg.pq.version() >= 170000 and hasattr(psycopg.Cursor, "stream")


def fetch_chunks(queryset: QuerySet, size: int | None = None) -> Iterator[list[tuple] | tuple[tuple, ...]]:
    """The rows of ``queryset`` (a ``values_list``) as tuples, in chunks of up to ``size`` (by
    default :data:`CHUNK`), the query run when the first chunk is asked for. Values the ORM would
    convert in Python (say dates on SQLite) are converted, so the rows are those of ``queryset``."""
    size = size or CHUNK
    compiler = queryset.query.get_compiler(using=queryset.db)
    connection = connections[queryset.db]
    if connection.vendor == "postgresql" and _streams_in_chunks(connection):
        yield from _streamed(compiler, connection, size)
        return
    if connection.vendor == "postgresql":
        yield from batched(queryset.iterator(chunk_size=size), size)
        return
    chunks = compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=size)
    converters = compiler.get_converters([s[0] for s in compiler.select[0 : compiler.col_count]])
    for chunk in chunks:
        yield [tuple(row) for row in compiler.apply_converters(chunk, converters)] if converters else chunk


def _streamed(compiler, connection, size: int) -> Iterator[tuple[tuple, ...]]:
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return
    converters = compiler.get_converters([s[0] for s in compiler.select[0 : compiler.col_count]])
    with connection.cursor() as cursor, connection.wrap_database_errors:
        # The driver's cursor (Django's wrapper has no stream()); its errors still become Django's.
        stream = cursor.cursor.stream(sql, params, size=size)
        try:
            rows = map(tuple, compiler.apply_converters(stream, converters)) if converters else stream
            chunks = batched(rows, size)
            log = getattr(cursor, "debug_sql", None)  # where Django logs queries (DEBUG, tests counting them)
            if log is not None:
                with log(sql, params):  # timed until the first chunk is in
                    first = next(chunks, None)
                if first is None:
                    return
                yield first
            yield from chunks
        finally:
            stream.close()  # a download abandoned half-way: psycopg cancels the query, the connection is free


_INSERTS: dict[tuple, tuple] = {}
_UPDATES: dict[tuple, tuple[str, list]] = {}
# Field types whose value goes to the driver as it is when it is a plain str, int, bool or None
# (``get_db_prep_save`` would return it unchanged, at a few microseconds a call).
_PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)
_PLAIN_VALUES = (str, int, bool, type(None))


def _internal_type(field) -> str:
    internal = field.get_internal_type()
    return field.target_field.get_internal_type() if internal == "ForeignKey" else internal


def _is_auto(field) -> bool:
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _passes(field) -> frozenset:
    """The types of value a column takes as they are: ``get_db_prep_save`` would return them
    unchanged (or, for a Decimal, an equal Decimal), so no call is made for them."""
    internal = _internal_type(field)
    if internal in _PLAIN_TYPES:
        return frozenset(_PLAIN_VALUES)
    if internal == "DecimalField":
        return frozenset((Decimal, type(None)))
    return frozenset((type(None),))


def _sqlite_instant(value: datetime, connection):
    """``adapt_datetimefield_value`` on SQLite for an aware datetime: UTC to UTC (the usual case:
    ``timezone.now()`` and a connection without its own time zone) is only dropping the zone."""
    if value.tzinfo is UTC and connection.timezone is UTC:
        return str(value.replace(tzinfo=None))
    return connection.ops.adapt_datetimefield_value(value)


def _preparer(field):
    """A function of a value and a connection: the value its column takes, as
    ``field.get_db_prep_save`` computes it, with shortcuts for the common types."""
    internal, prep = _internal_type(field), field.get_db_prep_save
    if internal == "DateField":
        # For a date, get_prep_value returns it unchanged: only the backend's adaptation is left.
        def day(value, connection):
            return (
                connection.ops.adapt_datefield_value(value)
                if type(value) is date
                else prep(value, connection)
            )

        return day
    if internal == "DateTimeField":
        # An aware datetime passes get_prep_value unchanged (a naive one warns: the slow path).
        def instant(value, connection):
            if type(value) is datetime and value.tzinfo is not None:
                if connection.vendor == "sqlite":
                    return _sqlite_instant(value, connection)
                return connection.ops.adapt_datetimefield_value(value)
            return prep(value, connection)

        return instant
    return prep


def _row_of(fields):
    """A function of an instance and a connection: its column values in ``fields``' order, as
    ``bulk_create`` computes them (``pre_save`` of ``auto_now`` fields, then
    ``get_db_prep_save``). The values are read in one call and only those not of a type passed
    as it is go through a preparer (a call per column was a tenth of a posting)."""
    auto = [f for f in fields if _is_auto(f)]
    read = attrgetter(*(f.attname for f in fields))
    checks = [(_passes(f), _preparer(f)) for f in fields]

    def row(obj, connection):
        for f in auto:
            f.pre_save(obj, True)  # sets the attribute, as save() would
        values = read(obj)
        if len(checks) == 1:
            values = (values,)
        return [
            value if type(value) in ok else prepare(value, connection)
            for value, (ok, prepare) in zip(values, checks, strict=True)
        ]

    return row


_BUILDERS: dict[type, tuple] = {}


def _builder(model: type[Model]) -> tuple:
    if model not in _BUILDERS:
        static, dynamic, relations, attnames = {}, [], {}, set()
        for f in model._meta.concrete_fields:
            attnames.add(f.attname)
            if f.has_default() and callable(f.default):
                dynamic.append((f.attname, f.default))
            else:
                static[f.attname] = f.get_default()
            if f.is_relation:
                relations[f.name] = (f.attname, f.target_field.attname)
        signals = pre_init.has_listeners(model) or post_init.has_listeners(model)
        _BUILDERS[model] = static, tuple(dynamic), relations, frozenset(attnames), signals
    return _BUILDERS[model]


def build[M: Model](model: type[M], /, **values) -> M:
    """A new, unsaved instance, as ``model(**values)`` would make it — defaults applied, a related
    object given by field name cached on the instance, a key by ``<name>_id`` — for a hot path:
    at four instances a posting, ``Model.__init__`` and its descriptors were a fifth of
    ``journal.post``. Only concrete fields are accepted (an unknown name is a ``TypeError``, as
    with ``__init__``); a model with ``pre_init``/``post_init`` receivers is built by ``__init__``."""
    static, dynamic, relations, attnames, signals = _builder(model)
    if signals:
        return model(**values)
    obj = object.__new__(model)
    obj._state = ModelState()
    data = obj.__dict__
    data.update(static)
    for attname, default in dynamic:
        data[attname] = default()
    for name, value in values.items():
        relation = relations.get(name)
        if relation is not None:
            data[relation[0]] = None if value is None else getattr(value, relation[1])
            obj._state.fields_cache[name] = value
        elif name in attnames:
            data[name] = value
        else:
            raise TypeError(f"{model.__name__}() got an unexpected keyword argument '{name}'")
    return obj


class one_cursor:  # lower case: used like a function, ``with db.one_cursor():``
    """The statements :func:`insert`, :func:`update` and :func:`update_many` issue inside the
    block share one cursor of the connection (a posting's five statements: opening a cursor each
    time was a tenth of its cost). Nested blocks use the outer one. Kept on the connection
    object, which is the thread's own."""

    __slots__ = ("connection", "cursor")

    def __init__(self, using: str = "default"):
        self.connection, self.cursor = connections[using], None

    def __enter__(self) -> None:
        if getattr(self.connection, "_shared_cursor", None) is None:
            self.cursor = self.connection.cursor()
            self.connection._shared_cursor = self.cursor

    def __exit__(self, *exc) -> None:
        if self.cursor is not None:
            self.connection._shared_cursor = None
            self.cursor.close()


def _cursor(connection):
    shared = getattr(connection, "_shared_cursor", None)
    return nullcontext(shared) if shared is not None else connection.cursor()


class _Statement:
    """A statement's text, in Django's ``%s`` style and, on SQLite, in the driver's own ``?``
    style (what Django's SQLite cursor converts it to with a regular expression on every call)."""

    __slots__ = ("driver_sql", "sql")

    def __init__(self, sql: str, vendor: str):
        self.sql = sql
        self.driver_sql = sql
        if vendor == "sqlite":
            from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX

            self.driver_sql = FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")


def _execute(cursor, statement: _Statement, params, *, many=False, fetch: str = ""):
    """Run ``statement`` on Django's ``cursor`` and return ``fetch`` of it (``"all"``,
    ``"lastrowid"``, ``"rowcount"``) — through the driver's cursor, with Django's checks kept (a
    transaction already broken is refused, driver errors become Django's), but not its per-call
    layers. When anything is listening to queries (``DEBUG``, a test counting them, an execute
    wrapper) the cursor is Django's debug cursor or has wrappers, and the statement goes through
    them so that nothing goes unseen."""
    db = cursor.db
    if type(cursor) is not CursorWrapper or db.execute_wrappers:
        (cursor.executemany if many else cursor.execute)(statement.sql, params)
        driver = cursor.cursor
    else:
        db.validate_no_broken_transaction()
        driver = cursor.cursor
        with db.wrap_database_errors:
            if db.vendor == "sqlite":  # past Django's SQLiteCursorWrapper and its conversion
                (sqlite3.Cursor.executemany if many else sqlite3.Cursor.execute)(
                    driver, statement.driver_sql, params
                )
            else:
                (driver.executemany if many else driver.execute)(statement.sql, params)
    if not fetch:
        return None
    with db.wrap_database_errors:
        return driver.fetchall() if fetch == "all" else getattr(driver, fetch)


def insert(objs: Sequence[Model], using: str = "default") -> None:
    """INSERT new instances of one model in one statement and set their primary keys, as
    ``bulk_create`` would (defaults and ``auto_now_add`` applied, values prepared by each field
    for this database), the statement's text built once per model and row count. No signals,
    no ``save()``: for rows whose invariants the caller (and the database) check. The caller
    keeps a batch within the database's limit of parameters (SQLite: 32,766)."""
    if not objs:
        return
    model = type(objs[0])
    connection = connections[using]
    meta = model._meta
    key = (connection.vendor, model, len(objs))
    if key not in _INSERTS:
        quote = connection.ops.quote_name
        fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
        columns = ", ".join(quote(f.column) for f in fields)
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {', '.join([row] * len(objs))}"  # noqa: S608
        # One row on SQLite: its key is the cursor's lastrowid, without a RETURNING to fetch.
        fetch = ""
        if meta.auto_field is not None:
            fetch = "lastrowid" if connection.vendor == "sqlite" and len(objs) == 1 else "all"
        if fetch == "all":
            sql += f" RETURNING {quote(meta.auto_field.column)}"
        _INSERTS[key] = _Statement(sql, connection.vendor), _row_of(fields), fetch
    statement, row, fetch = _INSERTS[key]
    params = [value for obj in objs for value in row(obj, connection)]
    with _cursor(connection) as cursor:
        keys = _execute(cursor, statement, params, fetch=fetch)
    if fetch == "lastrowid":
        objs[0].pk = keys
    elif fetch:
        for obj, (pk,) in zip(objs, keys, strict=True):
            obj.pk = pk
    for obj in objs:
        obj._state.adding, obj._state.db = False, using


def _update_sql(connection, model: type[Model], names: tuple[str, ...]) -> tuple["_Statement", list]:
    key = (connection.vendor, model, names)
    if key not in _UPDATES:
        quote = connection.ops.quote_name
        fields = [model._meta.get_field(name) for name in names]
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        pk_column = quote(model._meta.pk.column)
        sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {pk_column} = %s"  # noqa: S608
        _UPDATES[key] = _Statement(sql, connection.vendor), [(_passes(f), _preparer(f)) for f in fields]
    return _UPDATES[key]


def update(model: type[Model], pk, using: str = "default", **values) -> int:
    """``UPDATE`` one row by primary key (``model.objects.filter(pk=pk).update(**values)`` for
    plain values; a foreign key by its ``_id``), the statement's text built once per model and
    set of fields. Returns the number of rows changed."""
    connection = connections[using]
    statement, checks = _update_sql(connection, model, tuple(values))
    params = [
        value if type(value) in ok else prepare(value, connection)
        for value, (ok, prepare) in zip(values.values(), checks, strict=True)
    ]
    params.append(pk)
    with _cursor(connection) as cursor:
        return _execute(cursor, statement, params, fetch="rowcount")


def update_many(
    model: type[Model], names: Sequence[str], rows: Sequence[tuple], using: str = "default"
) -> None:
    """The same ``UPDATE`` by primary key for many rows in one driver call (``executemany``):
    ``rows`` are ``(value of each of names..., pk)``."""
    if not rows:
        return
    connection = connections[using]
    statement, checks = _update_sql(connection, model, tuple(names))
    params = [
        [
            *(
                value if type(value) in ok else prepare(value, connection)
                for value, (ok, prepare) in zip(row[:-1], checks, strict=True)
            ),
            row[-1],
        ]
        for row in rows
    ]
    with _cursor(connection) as cursor:
        _execute(cursor, statement, params, many=True)

"""Talking to the database with less machinery where it is measured to matter.

Reads: :func:`fetch_chunks`, many rows of a query in chunks, straight from the driver (exports).
Writes: :func:`insert`, :func:`update` and :func:`update_many`, the statements of a hot path
(posting to the journal, appending an audit event) with their SQL built once per model instead of
compiled by the ORM on every call: at a thousand postings a second the compiler, not the database,
was most of the cost.


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

from collections.abc import Iterator, Sequence
from itertools import batched

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet
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


_INSERTS: dict[tuple, tuple[str, list]] = {}
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


def _preparer(field):
    """A function of a model instance and a connection: the value its column takes, as
    ``bulk_create`` would compute it (``pre_save`` for ``auto_now`` fields, then
    ``get_db_prep_save``)."""
    internal = field.get_internal_type()
    if internal == "ForeignKey":
        internal = field.target_field.get_internal_type()
    attname, prep = field.attname, field.get_db_prep_save
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj, connection: prep(field.pre_save(obj, True), connection)
    if internal in _PLAIN_TYPES:

        def plain(obj, connection):
            value = getattr(obj, attname)
            return value if type(value) in _PLAIN_VALUES else prep(value, connection)

        return plain
    return lambda obj, connection: prep(getattr(obj, attname), connection)


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
        if meta.auto_field is not None:
            sql += f" RETURNING {quote(meta.auto_field.column)}"
        _INSERTS[key] = sql, [_preparer(f) for f in fields]
    sql, preparers = _INSERTS[key]
    params = [prepare(obj, connection) for obj in objs for prepare in preparers]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = cursor.fetchall() if meta.auto_field is not None else ()
    for obj, (pk,) in zip(objs, keys, strict=False):
        obj.pk = pk
    for obj in objs:
        obj._state.adding, obj._state.db = False, using


def _update_sql(connection, model: type[Model], names: tuple[str, ...]) -> tuple[str, list]:
    key = (connection.vendor, model, names)
    if key not in _UPDATES:
        quote = connection.ops.quote_name
        fields = [model._meta.get_field(name) for name in names]
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        pk_column = quote(model._meta.pk.column)
        sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {pk_column} = %s"  # noqa: S608
        _UPDATES[key] = sql, fields
    return _UPDATES[key]


def update(model: type[Model], pk, using: str = "default", **values) -> int:
    """``UPDATE`` one row by primary key (``model.objects.filter(pk=pk).update(**values)`` for
    plain values; a foreign key by its ``_id``), the statement's text built once per model and
    set of fields. Returns the number of rows changed."""
    connection = connections[using]
    sql, fields = _update_sql(connection, model, tuple(values))
    params = [f.get_db_prep_save(value, connection) for f, value in zip(fields, values.values(), strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, pk])
        return cursor.rowcount


def update_many(
    model: type[Model], names: Sequence[str], rows: Sequence[tuple], using: str = "default"
) -> None:
    """The same ``UPDATE`` by primary key for many rows in one driver call (``executemany``):
    ``rows`` are ``(value of each of names..., pk)``."""
    if not rows:
        return
    connection = connections[using]
    sql, fields = _update_sql(connection, model, tuple(names))
    params = [
        [*(f.get_db_prep_save(value, connection) for f, value in zip(fields, row[:-1], strict=True)), row[-1]]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)

"""Many rows of a query in chunks, straight from the database driver: for exports.

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

from collections.abc import Iterator
from itertools import batched

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
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

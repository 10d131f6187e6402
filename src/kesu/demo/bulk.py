"""Writing demo rows fast: primary keys reserved up front, rows inserted with one prepared statement.

The demo generator walks complaints through the lifecycle steps before inserting them, and a merge
step records the primary complaint's id, so ids must be known first. ``ids_reserve`` takes them from
PostgreSQL's identity sequence (safe with concurrent writers) or, on SQLite, continues after the
highest id ever used inside the caller's write transaction (kesu opens SQLite transactions with
BEGIN IMMEDIATE, so no other writer can take the same ids before the insert).

``rows_insert`` writes what ``QuerySet.bulk_create`` would write — every concrete field converted by
the field's own ``get_db_prep_save`` — but with one ``executemany`` instead of Django's per-value
SQL compiler, which is most of the cost of a bulk insert.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router

from kesu.core.bulk import row_values


def ids_reserve(model: type[models.Model], count: int) -> list[int]:
    """``count`` unused primary keys of ``model``; insert the rows in the current transaction."""
    if count <= 0:
        return []
    database = connections[router.db_for_write(model)]
    table = model._meta.db_table
    column = model._meta.pk.column
    quote = database.ops.quote_name
    with database.cursor() as cursor:
        if database.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if not database.in_atomic_block:
            raise RuntimeError("ids_reserve must run inside the transaction that inserts the rows")
        highest = 0
        if database.vendor == "sqlite":  # AUTOINCREMENT never reuses the id of a deleted row
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            highest = row[0] if row else 0
        cursor.execute(f"SELECT MAX({quote(column)}) FROM {quote(table)}")
        highest = max(highest, cursor.fetchone()[0] or 0)
    return list(range(highest + 1, highest + 1 + count))


def rows_insert(model: type[models.Model], objs: Sequence[models.Model], *, batch_size: int = 5000) -> None:
    """INSERT ``objs`` as ``bulk_create`` would (no signals, no ``save()``), faster.

    Either every object has its primary key set (see ``ids_reserve``) or none has, and then the
    database assigns them (and they are not read back). A foreign key whose id is still empty takes
    the id of the related object it was given (saved meanwhile), as ``bulk_create`` does.
    """
    if not objs:
        return
    meta = model._meta
    with_pk = objs[0].pk is not None
    if any((obj.pk is not None) != with_pk for obj in objs):
        raise ValueError("give every object a primary key, or none")
    fields = [f for f in meta.concrete_fields if with_pk or f is not meta.pk]
    database = connections[router.db_for_write(model)]  # the real connection, not the thread-local proxy
    row = row_values(model, fields, database)
    quote = database.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    with database.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            cursor.executemany(sql, [row(obj) for obj in objs[start : start + batch_size]])

"""Writing many rows fast: one prepared statement run with ``executemany``.

``rows_update`` writes what ``QuerySet.bulk_update`` would write — each field converted by the
field's own ``get_db_prep_save`` — without Django's ``CASE WHEN`` expression per row and field,
which is most of the cost of a bulk update (the SLA sweep writes a chunk's deadlines with it).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router


def rows_update(model: type[models.Model], objs: Sequence[models.Model], fields: Sequence[str]) -> None:
    """UPDATE ``fields`` of each of ``objs`` (saved rows) by primary key, as ``bulk_update`` would
    (no signals, no ``save()``), with one ``executemany``."""
    if not objs:
        return
    meta = model._meta
    database = connections[router.db_for_write(model)]  # the real connection, not the thread-local proxy
    columns = [meta.get_field(name) for name in fields]
    quote = database.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(meta.db_table), ", ".join(f"{quote(f.column)} = %s" for f in columns), quote(meta.pk.column)
    )
    rows = [
        (*(f.get_db_prep_save(getattr(obj, f.attname), database) for f in columns), obj.pk) for obj in objs
    ]
    with database.cursor() as cursor:
        if len(rows) == 1:
            cursor.execute(sql, rows[0])
        else:
            cursor.executemany(sql, rows)


def rows_claim(model: type[models.Model], ids: Sequence[int], *, now, until) -> set[int]:
    """Take the rows among ``ids`` that are still ``pending`` and due at ``now`` for one attempt
    each, in one UPDATE: ``next_attempt_at`` becomes ``until`` (the lease) and ``attempts`` grows by
    one, as the one-row claim of the delivery modules does. Returns the ids taken (``RETURNING``: a
    row another consumer took meanwhile is not among them, so no two consumers send it)."""
    if not ids:
        return set()
    meta = model._meta
    database = connections[router.db_for_write(model)]
    quote = database.ops.quote_name
    next_at, attempts, state = (meta.get_field(name) for name in ("next_attempt_at", "attempts", "state"))
    pk = quote(meta.pk.column)
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {quote(next_at.column)} = %s, "
        f"{quote(attempts.column)} = {quote(attempts.column)} + 1 "
        f"WHERE {pk} IN ({', '.join(['%s'] * len(ids))}) AND {quote(state.column)} = %s "
        f"AND {quote(next_at.column)} <= %s RETURNING {pk}"
    )
    params = [next_at.get_db_prep_save(until, database), *ids, "pending", next_at.get_db_prep_save(now, database)]
    with database.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}

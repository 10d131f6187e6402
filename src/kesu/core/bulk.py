"""Writing rows fast: SQL built once, values converted by each field's own ``get_db_prep_save``.

``rows_update`` writes what ``QuerySet.bulk_update`` would write without Django's ``CASE WHEN``
expression per row and field, which is most of the cost of a bulk update (the SLA sweep writes a
chunk's deadlines with it). ``rows_create`` writes what ``bulk_create`` would write (the primary
keys read back) without Django's insert compiler, which cost intake a fifth of its CPU for its
complaint, customer and events (issue 16). ``row_values`` is the conversion both share with the
demo's ``rows_insert``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, models, router
from django.db.models.constants import OnConflict

# field types whose Python value goes to the database unchanged (Django's conversion is the identity)
_AS_IS = frozenset(
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
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
)


def row_values(model: type[models.Model], fields: Sequence[models.Field], database: Any) -> Callable[[models.Model], tuple]:
    """A function giving an object's values of ``fields`` as ``bulk_create`` would write them: each
    converted by the field's ``get_db_prep_save`` (the identity for the types in ``_AS_IS``); a
    foreign key whose id is still empty takes the id of the related object it was given (saved
    meanwhile), and an unsaved one is an error. Fields the ORM fills on save (``auto_now``, files)
    are refused: use ``bulk_create``."""
    meta = model._meta
    plan = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) or isinstance(f, models.FileField) \
                or getattr(f, "generated", False) or f.db_default is not models.NOT_PROVIDED:
            raise ValueError(f"{meta.label}.{f.name} is filled on save; use bulk_create")
        if f.is_relation:
            plan.append((f.attname, f, "relation"))
        elif f.get_internal_type() in _AS_IS:
            plan.append((f.attname, f, "as-is"))
        else:
            plan.append((f.attname, f, "convert"))

    def values(obj: models.Model) -> tuple:
        row = []
        for attname, f, how in plan:
            value = getattr(obj, attname)
            if how == "relation":
                if value is None and f.is_cached(obj):
                    related = f.get_cached_value(obj)
                    if related is not None:
                        value = getattr(related, f.target_field.attname)
                        if value is None:
                            raise ValueError(f"{meta.label}.{f.name} refers to an unsaved object")
                        setattr(obj, attname, value)
            elif how == "convert":
                value = f.get_db_prep_save(value, database)
            row.append(value)
        return tuple(row)

    return values


_CREATE_PLANS: dict[tuple, tuple[str, str, Callable[[models.Model], tuple]]] = {}


def rows_create(model: type[models.Model], objs: Sequence[models.Model], *, ignore_conflicts: bool = False) -> None:
    """INSERT new ``objs`` (no primary key yet) as ``bulk_create`` would — no ``save()``, no signals —
    with the SQL built once per model: their primary keys are read back (``RETURNING``) and set, and
    they are marked saved. ``ignore_conflicts``: a row that breaks a unique constraint is skipped
    (as ``bulk_create(ignore_conflicts=True)``; the primary keys are then not read back)."""
    if not objs:
        return
    alias = router.db_for_write(model)
    database = connections[alias]  # the real connection, not the thread-local proxy
    meta = model._meta
    key = (model, alias, database.vendor, ignore_conflicts)
    plan = _CREATE_PLANS.get(key)
    if plan is None:
        fields = [f for f in meta.concrete_fields if f is not meta.pk]
        quote = database.ops.quote_name
        on_conflict = OnConflict.IGNORE if ignore_conflicts else None
        head = "{} {} ({}) VALUES ".format(
            database.ops.insert_statement(on_conflict=on_conflict), quote(meta.db_table),
            ", ".join(quote(f.column) for f in fields),
        )
        tail = database.ops.on_conflict_suffix_sql(fields, on_conflict, None, None) if ignore_conflicts else \
            f"RETURNING {quote(meta.pk.column)}"
        plan = _CREATE_PLANS[key] = (head, " " + tail if tail else "", row_values(model, fields, database))
    head, tail, values = plan
    if any(obj.pk is not None for obj in objs):
        raise ValueError(f"{meta.label}: rows_create writes new rows (no primary key yet)")
    width = len(meta.concrete_fields) - 1
    size = max(1, database.ops.bulk_batch_size([meta.pk] * width, objs))
    one = "(" + ", ".join(["%s"] * width) + ")"
    with database.cursor() as cursor:
        for start in range(0, len(objs), size):
            batch = objs[start:start + size]
            params = [value for obj in batch for value in values(obj)]
            cursor.execute(head + ", ".join([one] * len(batch)) + tail, params)
            if not ignore_conflicts:
                for obj, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                    obj.pk = pk
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias


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

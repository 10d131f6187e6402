"""Querysets compiled once per process: the hot reads of intake run the SQL Django built the first
time, with the new parameter values, and build their rows and model instances with Django's own
iterable. Building and compiling a queryset costs more CPU than SQLite takes to answer it (issue 16).

    _TOKEN = PreparedQuery(
        lambda digest: ApiToken.objects.select_related("user").filter(digest=digest).order_by("pk")[:1],
        digest=str,
    )
    token = _TOKEN.first(digest=token_digest(raw))

Each parameter is ``str``, ``int`` or ``list[int]`` (compiled once per length), and must reach
the SQL as exactly one value (or one run of values) that Django passes through unchanged. The first
call compiles the queryset with marker values and remembers where the markers landed; a marker that
is not found exactly once is a programming error (``ValueError``, raised on the first call, so a
test of the caller finds it). Everything else in the queryset must be constant: the SQL is the same
for the life of the process (a model's columns and the database's dialect do not change). A query
that locks (``select_for_update``) must run in a transaction, as with the ORM.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.db.models.sql.constants import MULTI
from django.db.transaction import TransactionManagementError

_INT_MARKERS = count(2_000_000_000, -7)  # inside every backend's integer range: a lookup keeps them


@dataclass
class _Compiled:
    compiler: Any  # the SQLCompiler after as_sql(): its select, klass_info and col_count are set
    sql: str
    params: list[Any]
    slots: dict[str, tuple[int, int]]  # parameter -> (first index in params, how many)


class _Shim:
    """Just enough of a QuerySet for ``ModelIterable`` to run a compiler it is handed."""

    _known_related_objects: dict = {}

    def __init__(self, db: str, compiler: Any) -> None:
        self.db = db
        self.query = self
        self._compiler = compiler

    def get_compiler(self, using: str | None = None) -> Any:
        return self._compiler


class PreparedQuery:
    def __init__(self, build: Callable[..., QuerySet], **kinds: Any) -> None:
        self.build = build
        self.kinds = kinds
        self._compiled: dict[tuple, _Compiled] = {}
        self._shape: tuple[Any, bool] | None = None  # the model and whether it locks: on first use

    def _model(self) -> tuple[Any, bool]:
        if self._shape is None:
            probe = self.build(**self._markers({name: [0] for name in self.kinds}))
            self._shape = (probe.model, bool(probe.query.select_for_update))
        return self._shape

    def _markers(self, values: dict[str, Any]) -> dict[str, Any]:
        markers: dict[str, Any] = {}
        for name, kind in self.kinds.items():
            if kind is str:
                markers[name] = f"\x00prepared:{name}\x00"
            elif kind is int:
                markers[name] = -next(_INT_MARKERS)
            else:  # list[int]: one marker per value
                markers[name] = [-next(_INT_MARKERS) for _ in values.get(name, ())]
        return markers

    def _compile(self, alias: str, values: dict[str, Any]) -> _Compiled:
        markers = self._markers(values)
        compiler = self.build(**markers).query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        params = list(params)
        slots = {}
        for name, marker in markers.items():
            run = marker if isinstance(marker, list) else [marker]
            found = [i for i in range(len(params) - len(run) + 1) if params[i:i + len(run)] == run
                     and all(type(p) is type(m) for p, m in zip(params[i:i + len(run)], run, strict=True))]
            if len(found) != 1:
                raise ValueError(f"prepared query on {self._model()[0].__name__}: parameter {name!r} "
                                 f"found {len(found)} times in the compiled SQL")
            slots[name] = (found[0], len(run))
        # the converters of the columns, as results_iter would look them up on every call (they read
        # only the backend's settings, not the connection's state)
        converters = compiler.get_converters([col[0] for col in compiler.select[0:compiler.col_count]])
        compiler.get_converters = lambda expressions: converters
        return _Compiled(compiler=compiler, sql=sql, params=params, slots=slots)

    def _compiler(self, values: dict[str, Any]) -> tuple[str, Any]:
        model, for_update = self._model()
        if any(not values[n] for n, k in self.kinds.items() if k not in (str, int)):
            raise ValueError("prepared query: an empty list (the ORM would not run the query either)")
        alias = router.db_for_write(model) if for_update else router.db_for_read(model)
        connection = connections[alias]
        if for_update and connection.get_autocommit():
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        key = (alias, *(len(values[n]) for n, k in self.kinds.items() if k not in (str, int)))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(alias, values)
        params = list(compiled.params)
        for name, (start, length) in compiled.slots.items():
            value = values[name]
            params[start:start + length] = list(value) if length != 1 or isinstance(value, list | tuple) else [value]
        compiler = copy.copy(compiled.compiler)  # per call: this thread's connection, these values
        compiler.connection = connection
        compiler.as_sql = lambda *args, **kwargs: (compiled.sql, tuple(params))
        return alias, compiler

    def all(self, **values: Any) -> list[Any]:
        """The model instances, as ``list(queryset)`` would give them."""
        alias, compiler = self._compiler(values)
        return list(ModelIterable(_Shim(alias, compiler)))  # type: ignore[arg-type]

    def first(self, **values: Any) -> Any | None:
        rows = self.all(**values)
        return rows[0] if rows else None

    def rows(self, **values: Any) -> list[tuple]:
        """The rows as tuples of Python values (for ``values_list`` / aggregate querysets)."""
        _alias, compiler = self._compiler(values)
        return [tuple(row) for row in compiler.results_iter(compiler.execute_sql(MULTI))]

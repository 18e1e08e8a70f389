"""Hot querysets compiled once per process: later runs put new values into the same SQL; and
``insert``, one row inserted by an INSERT written once.

Building and compiling a queryset costs the ORM 0.2–1.5 ms of CPU each time (a token lookup with its
joins and roles subquery ≈ 1.2 ms), while its SQL is the same on every request and only the values change.
``Compiled`` takes a function that builds the queryset from its arguments. On first use it builds it with
placeholder values, compiles it, and keeps the SQL, where each placeholder landed among the parameters,
and the compiler (its select list and related-object map). Later calls run that SQL with the new values
and make the rows into model instances exactly as the ORM does (``select_related``, annotations,
deferred fields); query counting and the debug cursor see them as usual.

The arguments may only be ``str`` or ``int`` used in exact lookups (``field=value``): the ORM hands those
to the database unchanged, so the placeholder's position is the value's position. A placeholder that
does not reach the parameters unchanged (``__startswith``, a date, a value used twice) is refused at the
first compile (``TypeError``), never guessed at. The function must depend on nothing but its arguments
(no clock, no settings that change): whatever it reads beside them is frozen in the first compile.

On PostgreSQL these statements also run as prepared statements (``hot_cursor``): the server parses and
plans each once per connection instead of on every request (the token lookup's joins cost it ≈ 0.5 ms to
plan). The switch is the connection's ``prepare_threshold`` (settings: ``ZHENWU_DB_PREPARED``); Django's
other statements stay unprepared, as they were.
"""

from __future__ import annotations

import contextlib
import copy
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet, signals
from django.db.models.query import ModelIterable, get_related_populators
from django.utils.connection import ConnectionProxy

M = TypeVar("M", bound=Model)
_TIMESTAMPTZ_OID, _TEXT = 1184, 0  # psycopg's loader key for timestamptz in text format
_SENTINEL_INT = -7_340_000_000_000
_PREPARED_CURSOR: tuple[Any, Any] | None = None


def _prepared_classes() -> tuple[Any, Any]:
    """Django's server-binding psycopg cursor asking for every statement to be prepared, and a debug wrapper
    for it that logs each statement with its values (Django's reads them back from a client-side cursor)."""
    global _PREPARED_CURSOR
    if _PREPARED_CURSOR is None:
        from django.db.backends.postgresql.base import CursorDebugWrapper, ServerBindingCursor

        class PreparedCursor(ServerBindingCursor):  # type: ignore[misc,valid-type]
            def execute(self, query: Any, params: Any = None, *, prepare: bool | None = True,
                        binary: bool | None = None) -> Any:
                return super().execute(query, params, prepare=prepare, binary=binary)  # type: ignore[misc]

        class LoggedCursor(CursorDebugWrapper):  # type: ignore[misc,valid-type]
            def debug_sql(self, sql: Any = None, params: Any = None, use_last_executed_query: bool = False,
                          many: bool = False) -> Any:
                if use_last_executed_query and not many:
                    sql = self.db.ops.compose_sql(sql, params)
                return super().debug_sql(sql, params, False, many)

        _PREPARED_CURSOR = (PreparedCursor, LoggedCursor)
    return _PREPARED_CURSOR


def _wrapper(conn: BaseDatabaseWrapper | None) -> BaseDatabaseWrapper:
    """The thread's own connection wrapper (default: the default database's). ``django.db.connection`` is a
    proxy that looks its wrapper up on every attribute access: resolved once here."""
    if conn is None:
        return connections["default"]
    if isinstance(conn, ConnectionProxy):
        return connections[conn.__dict__["_alias"]]
    return conn


@contextlib.contextmanager
def hot_cursor(conn: BaseDatabaseWrapper | None = None) -> Iterator[Any]:
    """``conn.cursor()`` for a statement run on every request: on PostgreSQL (with prepared statements on,
    see the module's text) it binds values on the server and prepares the statement once per connection;
    elsewhere it is the usual cursor.

    On PostgreSQL the psycopg cursor is kept with the connection and reused (``_LeanCursor``), without Django's
    wrapper around each statement: what that wrapper does which matters here stays (a statement in a broken
    transaction is refused, errors come as Django's), and when the statements are being logged or counted
    (``DEBUG``, ``CaptureQueriesContext``, ``assertNumQueries``) or an ``execute_wrapper`` is installed, it is
    Django's wrapper as before. Django's wrapper and a new cursor cost about 40 µs per statement on this path
    (118 against 78 µs for a one-row SELECT, measured on a slow 2-core machine)."""
    conn = _wrapper(conn)
    conn.close_if_health_check_failed()
    conn.ensure_connection()
    raw = conn.connection
    if conn.vendor != "postgresql" or getattr(raw, "prepare_threshold", None) is None:
        with conn.cursor() as cursor:
            yield cursor
        return
    conn.validate_thread_sharing()
    if conn.queries_logged or conn.execute_wrappers:
        created = _new_prepared(conn, raw)
        logged = _prepared_classes()[1]
        with logged(created, conn) if conn.queries_logged else conn.make_cursor(created) as cursor:
            yield cursor
        return
    # Django's connections are per thread, so this connection's idle cursors are this thread's alone; one in
    # use is off the list, so a statement run inside another's block gets a cursor of its own.
    kept = conn.__dict__.get("_zhenwu_idle_cursors")
    if kept is None or kept[0] is not raw:
        kept = conn.__dict__["_zhenwu_idle_cursors"] = (raw, [])
    idle: list[Any] = kept[1]
    zone = conn.timezone
    reused: Any = None
    while idle and reused is None:
        candidate, its_zone = idle.pop()
        if its_zone == zone and not candidate.closed:
            reused = candidate
    psycopg_cursor = reused if reused is not None else _new_prepared(conn, raw)
    try:
        yield _LeanCursor(conn, psycopg_cursor)
    finally:
        if not psycopg_cursor.closed:
            idle.append((psycopg_cursor, zone))


def _new_prepared(conn: BaseDatabaseWrapper, raw: Any) -> Any:
    with conn.wrap_database_errors:
        created = _prepared_classes()[0](raw)
        tz_loader = raw.adapters.get_loader(_TIMESTAMPTZ_OID, _TEXT)
        if conn.timezone != getattr(tz_loader, "timezone", conn.timezone):  # as Django's own create_cursor
            from django.db.backends.postgresql.psycopg_any import register_tzloader

            register_tzloader(conn.timezone, created)
    return created


class _LeanCursor:
    """A kept psycopg cursor, with what Django's cursor wrapper does per statement that matters for the hot
    statements: a statement in a transaction marked for rollback is refused (``TransactionManagementError``),
    and psycopg's errors come as Django's (``IntegrityError`` …, the connection's error flag set)."""

    __slots__ = ("_db", "_cursor")

    def __init__(self, db: BaseDatabaseWrapper, cursor: Any) -> None:
        self._db, self._cursor = db, cursor

    def execute(self, sql: str, params: Any = None) -> Any:
        self._db.validate_no_broken_transaction()
        with self._db.wrap_database_errors:
            return self._cursor.execute(sql, params)

    def fetchone(self) -> Any:
        with self._db.wrap_database_errors:
            return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        with self._db.wrap_database_errors:
            return list(self._cursor.fetchall())

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)


def _placeholder(kind: type, index: int) -> Any:
    if kind is int:
        return _SENTINEL_INT - index
    if kind is str:
        return f"\x1fzhenwu-param-{index}\x1f"
    raise TypeError(f"Compiled queries take str or int arguments, not {kind.__name__}")


@dataclass(frozen=True)
class _Plan:
    alias: str
    sql: str
    params: tuple[Any, ...]
    slots: tuple[int, ...]
    compiler: Any
    init_list: tuple[str, ...]
    model_fields: tuple[int, int]
    populators: tuple[Any, ...]
    annotations: tuple[tuple[str, int], ...]


class Compiled(Generic[M]):
    """``Compiled(lambda prefix: Token.objects.select_related("user").filter(prefix=prefix)[:1])``;
    ``.all("abc")`` runs it for ``prefix="abc"``, ``.first("abc")`` gives its first row or None."""

    def __init__(self, build: Callable[..., QuerySet[M]]) -> None:
        self._build = build
        self._plans: dict[tuple[type, ...], _Plan] = {}
        self._lock = threading.Lock()
        # per connection (one per thread) and plan: the plan's compiler bound to it, with its converters; the
        # entries go with the connection wrapper
        self._compilers: weakref.WeakKeyDictionary[BaseDatabaseWrapper, dict[str, Any]] = weakref.WeakKeyDictionary()

    def _plan(self, kinds: tuple[type, ...]) -> _Plan:
        plan = self._plans.get(kinds)
        if plan is not None:
            return plan
        with self._lock:
            placeholders = [_placeholder(kind, i) for i, kind in enumerate(kinds)]
            qs = self._build(*placeholders)
            if qs._iterable_class is not ModelIterable or qs._known_related_objects:  # type: ignore[attr-defined]
                raise TypeError("Compiled queries return model instances of a plain queryset")
            alias = qs.db
            compiler = qs.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            slots = []
            for p in placeholders:
                where = [i for i, value in enumerate(params) if type(value) is type(p) and value == p]
                if len(where) != 1:
                    raise TypeError("a Compiled argument must reach the SQL parameters once and unchanged "
                                    "(an exact lookup on a str or int field)")
                slots.append(where[0])
            select, klass_info = compiler.select, compiler.klass_info
            start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            plan = _Plan(alias=alias, sql=sql, params=tuple(params), slots=tuple(slots), compiler=compiler,
                         init_list=tuple(f[0].target.attname for f in select[start:end]), model_fields=(start, end),
                         populators=tuple(get_related_populators(klass_info, select, alias)),  # type: ignore[call-arg]
                         annotations=tuple((compiler.annotation_col_map or {}).items()))
            compiler.connection = None  # each run takes its own thread's; keep no thread's connection alive
            self._plans[kinds] = plan
            return plan

    def all(self, *args: str | int) -> list[M]:
        plan = self._plan(tuple(type(a) for a in args))
        params = list(plan.params)
        for slot, value in zip(plan.slots, args, strict=True):
            params[slot] = value
        conn = connections[plan.alias]
        with hot_cursor(conn) as cursor:
            cursor.execute(plan.sql, params)
            fetched = cursor.fetchall()
        mine = self._compilers.get(conn)
        if mine is None:
            mine = self._compilers[conn] = {}
        compiler = mine.get(plan.sql)
        if compiler is None:  # this thread's connection, its value converters worked out once (as results_iter)
            compiler = copy.copy(plan.compiler)
            compiler.connection = conn
            compiler.zhenwu_converters = compiler.get_converters([s[0] for s in compiler.select[:compiler.col_count]])
            mine[plan.sql] = compiler
        if compiler.has_extra_select:  # as execute_sql: the ordering's extra columns are not the rows'
            fetched = [r[:compiler.col_count] for r in fetched]
        converters = compiler.zhenwu_converters
        rows = compiler.apply_converters(fetched, converters) if converters else fetched
        model = plan.compiler.klass_info["model"]
        start, end = plan.model_fields
        out: list[M] = []
        for row in rows:
            obj = model.from_db(plan.alias, list(plan.init_list), row[start:end])
            for populator in plan.populators:
                populator.populate(row, obj)
            for name, pos in plan.annotations:
                setattr(obj, name, row[pos])
            out.append(obj)
        return out

    def first(self, *args: str | int) -> M | None:
        rows = self.all(*args)
        return rows[0] if rows else None


# ---------------------------------------------------------------- one row inserted by SQL written once

_INSERTS: dict[tuple[type[Model], str, bool], tuple[str, tuple[Any, ...]]] = {}


def insert(obj: Model) -> None:
    """``obj.save(force_insert=True)`` with its INSERT written once per model and database.

    The ORM builds the INSERT afresh on every save (0.3–0.5 ms of CPU for a case or an audit entry).
    Each value is prepared by its field exactly as ``save()`` prepares it (``pre_save`` fills
    ``auto_now_add``, ``get_db_prep_save`` adapts it); the new primary key comes back by ``RETURNING``.
    Anything this does not cover takes ``save(force_insert=True)`` instead: a model with ``pre_save`` /
    ``post_save`` receivers, a parent model, a field with its own SQL placeholder or an expression as value,
    a generated column, or a database without ``INSERT … RETURNING``.
    """
    prepared = _prepare_insert(obj)
    if prepared is None:
        obj.save(force_insert=True, using=router.db_for_write(type(obj), instance=obj))
        return
    _run_inserts(prepared[0], prepared[1], prepared[2], obj)


def insert_together(first: Model, second: Model) -> None:
    """``insert(first)`` then ``insert(second)``, in one statement where it can be: one round trip instead of
    two (a new case and the first entry of its audit chain, written while the day's counter is locked).

    On PostgreSQL, when ``first`` already has its key (``second`` may refer to it: Django's foreign keys
    there are checked at the commit) and both can be written by ``insert()``, the statement is
    ``WITH first AS (INSERT …) INSERT …``: PostgreSQL runs both, in order, as one. Otherwise the two inserts
    one after the other."""
    one = _prepare_insert(first) if first.pk is not None else None
    two = _prepare_insert(second) if one is not None else None
    if one is None or two is None or one[0] is not two[0] or one[0].vendor != "postgresql":
        insert(first)
        insert(second)
        return
    conn = one[0]
    _run_inserts(conn, f"WITH _zhenwu_first AS ({one[1]}) {two[1]}", [*one[2], *two[2]], second)
    first._state.adding, first._state.db = False, conn.alias


def _prepare_insert(obj: Model) -> tuple[BaseDatabaseWrapper, str, list[Any]] | None:
    """The connection, the INSERT and its values for ``insert(obj)``; None where it takes ``save()``."""
    model, meta = type(obj), obj._meta
    alias = router.db_for_write(model, instance=obj)
    conn = connections[alias]
    pk_set = obj.pk is not None
    # Besides the key, RETURNING brings back columns with a database default; when the value given is a
    # plain one (checked below: no expression), it is what the row holds and needs no reading back.
    returned = [f for f in meta.db_returning_fields if f is not meta.pk]
    if (meta.parents or signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model)
            or not conn.features.can_return_columns_from_insert
            or any(getattr(f, "generated", False) or not f.has_db_default() for f in returned)):
        return None
    plan = _INSERTS.get((model, conn.vendor, pk_set))
    if plan is None:
        fields = tuple(f for f in meta.local_concrete_fields
                       if (pk_set or f is not meta.auto_field) and not getattr(f, "generated", False))
        if any(hasattr(f, "get_placeholder") for f in fields):
            return None
        q = conn.ops.quote_name
        returning, _ = conn.ops.return_insert_columns([meta.pk])  # type: ignore[attr-defined]
        sql = (f"INSERT INTO {q(str(meta.db_table))} ({', '.join(q(str(f.column)) for f in fields)}) "
               f"VALUES ({', '.join(['%s'] * len(fields))}) {returning}")
        plan = _INSERTS[(model, conn.vendor, pk_set)] = (sql, fields)
    sql, fields = plan
    obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    values = [f.pre_save(obj, True) for f in fields]
    if any(hasattr(v, "resolve_expression") for v in values):
        return None
    return conn, sql, [f.get_db_prep_save(v, conn) for f, v in zip(fields, values, strict=True)]


def _run_inserts(conn: BaseDatabaseWrapper, sql: str, params: list[Any], last: Model) -> None:
    """Run an INSERT … RETURNING key: ``last``, the model written last, takes the key if it has none."""
    with transaction.mark_for_rollback_on_error(conn.alias), hot_cursor(conn) as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if last.pk is None:
        assert row is not None
        setattr(last, last._meta.pk.attname, row[0])
    last._state.adding, last._state.db = False, conn.alias


# ---------------------------------------------------------------- SQL over one model written by hand, once

def model_sql(cache: dict[str, str], model: type[Model], build: Callable[[Callable[[str], str], str], str],
              conn: BaseDatabaseWrapper | None = None) -> str:
    """A statement written by hand over ``model``'s table, built once per database vendor into ``cache``:
    ``build(column, table)`` gets the quoted column of a field name and the quoted table."""
    conn = _wrapper(conn)
    sql = cache.get(conn.vendor)
    if sql is None:
        meta, q = model._meta, conn.ops.quote_name
        sql = cache[conn.vendor] = build(lambda name: q(str(meta.get_field(name).column)),  # type: ignore[union-attr]
                                         q(str(meta.db_table)))
    return sql


# ---------------------------------------------------------------- whole rows from RETURNING

def returning_all(model: type[Model], conn: BaseDatabaseWrapper) -> str:
    """``RETURNING`` every concrete column of ``model``, for ``rows_to_instances``."""
    q = conn.ops.quote_name
    return "RETURNING " + ", ".join(q(str(f.column)) for f in model._meta.concrete_fields)


def rows_to_instances(model: type[M], conn: BaseDatabaseWrapper, rows: list[tuple[Any, ...]]) -> list[M]:
    """Rows of ``returning_all`` as model instances, each value converted as the ORM converts a read."""
    meta = model._meta
    fields = meta.concrete_fields
    cols = [f.get_col(str(meta.db_table)) for f in fields]
    converters = [(i, conn.ops.get_db_converters(col) + col.get_db_converters(conn), col)
                  for i, col in enumerate(cols)]
    converters = [c for c in converters if c[1]]
    names = [f.attname for f in fields]
    out: list[M] = []
    for row in rows:
        values = list(row)
        for i, funcs, col in converters:
            for func in funcs:
                values[i] = func(values[i], col, conn)
        out.append(model.from_db(conn.alias, names, values))
    return out


# ---------------------------------------------------------------- an UPDATE of fixed columns, written once

class Update:
    """``Model.objects.filter(a=…, b=…).update(x=…, y=…)`` for fixed column lists, its SQL written once per
    database (the ORM compiles an update afresh each time); values are prepared by their fields as
    ``update()`` prepares them (plain values only: an expression such as ``F()`` is the ORM's job).
    ``run`` returns the number of rows changed."""

    def __init__(self, model: type[Model], *, set: tuple[str, ...], where: tuple[str, ...]) -> None:
        meta = model._meta
        self.model = model
        self.set = tuple(meta.get_field(name) for name in set)
        self.where = tuple(meta.pk if name == "pk" else meta.get_field(name) for name in where)
        if any(hasattr(f, "get_placeholder") for f in self.set + self.where):
            raise TypeError("a field with its own SQL placeholder is the ORM's job")
        self._sql: dict[str, str] = {}

    def run(self, values: dict[str, Any], where: dict[str, Any]) -> int:
        if any(hasattr(v, "resolve_expression") for v in values.values()) or None in where.values():
            raise TypeError("Update takes plain values, and no None to compare with (= NULL is never true)")
        alias = router.db_for_write(self.model)
        conn = connections[alias]
        sql = self._sql.get(conn.vendor)
        if sql is None:
            q = conn.ops.quote_name
            sql = self._sql[conn.vendor] = (
                f"UPDATE {q(str(self.model._meta.db_table))} "
                f"SET {', '.join(f'{q(str(f.column))} = %s' for f in self.set)} "  # type: ignore[union-attr]
                f"WHERE {' AND '.join(f'{q(str(f.column))} = %s' for f in self.where)}")  # type: ignore[union-attr]
        params = [f.get_db_prep_save(values[f.name], conn) for f in self.set]  # type: ignore[union-attr]
        params += [f.get_db_prep_value(where["pk" if f is self.model._meta.pk else f.name], conn, prepared=False)  # type: ignore[union-attr]
                   for f in self.where]
        with transaction.mark_for_rollback_on_error(alias), hot_cursor(conn) as cursor:
            cursor.execute(sql, params)
            return int(cursor.rowcount)

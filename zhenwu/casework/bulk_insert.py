"""A fast bulk insert for hundreds of thousands of rows (the demo, and ``cases_bulk_write``).

Django's ``bulk_create`` compiles every value through the SQL compiler (about 5 µs a value) and, on
SQLite, in batches of 999 parameters; for the demo town that was most of the build. Here each field's
conversion is decided once per model, plain values (text, integers, booleans, foreign-key ids) are
passed through as they are, and the rows go to the driver in one ``executemany``. Primary keys are
assigned by us from the table's current maximum (the demo is the only writer while it runs) and the
id sequence is moved past them, so callers can point other rows at the new ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.management.color import no_style
from django.db import connections, models, router

PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.FloatField)
ADAPT: dict[type[Any], str] = {
    models.DateTimeField: "adapt_datetimefield_value", models.DateField: "adapt_datefield_value"}
Convert = Callable[[models.Model], Any]


def _converter(field: models.Field[Any, Any], connection: Any) -> Convert | None:
    """None when the driver takes the attribute as it is (text, numbers, booleans, ids whose field does
    not change them); else the field's own ``pre_save`` and conversion."""
    target: Any = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    own = type(target).get_prep_value in {cls.get_prep_value for cls in PLAIN}
    if isinstance(target, PLAIN) and own and not stamped:
        return None
    slow: Convert = lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)  # noqa: E731
    if type(field) in ADAPT and not stamped:  # aware datetimes and dates: the backend's own adapter directly
        adapt, name = getattr(connection.ops, ADAPT[type(field)]), field.attname

        def fast(obj: models.Model) -> Any:
            value = obj.__dict__[name]
            return None if value is None else adapt(value) if getattr(value, "tzinfo", True) else slow(obj)
        return fast
    if type(field) is models.JSONField and not stamped:  # None is SQL NULL, anything else the backend's JSON
        adapt_json, name, encoder = connection.ops.adapt_json_value, field.attname, field.encoder
        return lambda obj: None if (value := obj.__dict__[name]) is None else adapt_json(value, encoder)
    return slow


_ATTNAMES: dict[type[models.Model], list[str]] = {}


def instance(model: type[models.Model], values: dict[str, Any]) -> models.Model:
    """An unsaved instance from ``{attname: value}`` (a missing one is None), built positionally: Django's
    fast path, several times quicker than keyword arguments when drafting hundreds of thousands of rows."""
    names = _ATTNAMES.get(model)
    if names is None:
        names = _ATTNAMES[model] = [f.attname for f in model._meta.concrete_fields]
    return model(*[values.get(n) for n in names])


def insert(model: type[models.Model], objs: Sequence[models.Model], *, batch: int = 5000) -> None:
    """INSERT ``objs`` (unsaved instances, no ``auto_now`` fields expected to be stamped) and give each
    its primary key. Only for bulk loads where nothing else writes the table meanwhile."""
    if not objs:
        return
    db = router.db_for_write(model)
    connection = connections[db]
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    start = (model._default_manager.using(db).aggregate(m=models.Max("pk"))["m"] or 0) + 1
    for offset, obj in enumerate(objs):
        obj.pk = start + offset
        obj._state.adding, obj._state.db = False, db
    fields = list(meta.concrete_fields)
    converters = [_converter(f, connection) for f in fields]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(meta.db_table), ", ".join(quote(str(f.column)) for f in fields), ", ".join(["%s"] * len(fields)))
    names = [f.attname for f in fields]
    with connection.cursor() as cursor:
        for first in range(0, len(objs), batch):
            rows = []
            for obj in objs[first:first + batch]:
                values = obj.__dict__
                rows.append([values[n] if c is None else c(obj) for n, c in zip(names, converters, strict=True)])
            cursor.executemany(sql, rows)
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)
    # Keys this process reserved from a sequence and has not used yet (``case_opening``) may be among the ones
    # just given out, and the sequence was reset under them: they are dropped, and fresh ones are taken.
    from zhenwu.casework.services.cases import reserved_keys_forget

    reserved_keys_forget()


@contextmanager
def explicit_timestamps(*model_fields: tuple[type[models.Model], str]) -> Iterator[None]:
    """Let ``insert`` keep historical ``auto_now``/``auto_now_add`` values instead of stamping the run's time."""
    saved = []
    for model, name in model_fields:
        f: Any = model._meta.get_field(name)
        saved.append((f, f.auto_now, f.auto_now_add))
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add

"""Imports of medical-insurance settlements and life events: a file (xlsx, xls, ods or csv, read with the
registry's reader, so row numbers are those Excel shows) or the JSON API. All or nothing: with any bad row
nothing is written and the report names every bad row; the dry run writes nothing either way. A settlement
already imported (same number) is counted and skipped, so overlapping exports can be sent again. After an
import the spending rule runs for the people it touched, and each life event raises its warning.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as lazy_

from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict, scope_prefix
from zhenwu.assistance import policy_warnings as policy
from zhenwu.assistance.choices_warnings import ImportKind, ImportSource, LifeEventKind
from zhenwu.assistance.models import LifeEvent, Settlement, SettlementImport
from zhenwu.assistance.services.warnings import event_warnings_raise, warnings_scan
from zhenwu.errors import FieldError
from zhenwu.errors import gettext as _
from zhenwu.registry import cleaning
from zhenwu.registry.columns import Column, Kind
from zhenwu.registry.models import Resident
from zhenwu.registry.reading import cell_value, open_table

MAX_AMOUNT = Decimal("99999999.99")
CENT = Decimal("0.01")

SETTLEMENT_COLUMNS = (
    Column("结算单号", "number", True, "JS202603150001", aliases=("结算编号", "结算ID", "结算流水号", "单据号")),
    Column("身份证号", "id_number", True, "11010519491231002X", aliases=("公民身份号码", "身份证号码", "证件号码")),
    Column("姓名", "name", False, "李明", lazy_("Optional; when given it must match the registry.")),
    Column("结算日期", "date", True, "2026-03-15", aliases=("费用结算日期", "出院日期")),
    Column("医疗费用总额", "total", True, "12000.00", aliases=("总费用", "医疗总费用", "费用总额")),
    Column("个人自付", "out_of_pocket", True, "4800.00", aliases=("个人负担", "个人自付金额", "自付金额")),
)
EVENT_TERMS = {"死亡": LifeEventKind.DEATH, "去世": LifeEventKind.DEATH, "残疾": LifeEventKind.DISABILITY,
               "致残": LifeEventKind.DISABILITY, "收入骤减": LifeEventKind.INCOME_LOSS,
               "收入中断": LifeEventKind.INCOME_LOSS, "失业": LifeEventKind.INCOME_LOSS}
EVENT_COLUMNS = (
    Column("身份证号", "id_number", True, "11010519491231002X", aliases=("公民身份号码", "身份证号码", "证件号码")),
    Column("姓名", "name", False, "李明", lazy_("Optional; when given it must match the registry.")),
    Column("事件类型", "kind", True, "死亡", lazy_("死亡, 残疾 or 收入骤减"), ("事件", "类型")),
    Column("发生日期", "date", True, "2026-03-15", aliases=("日期", "事件日期")),
    Column("说明", "note", False, "家庭主要劳动力因病去世", aliases=("备注",)),
)


def parse_amount(raw: Any) -> Decimal:
    """Yuan with at most two decimals, not negative ("1,234.50", "¥1234.5元" and number cells accepted)."""
    if isinstance(raw, bool):
        raise cleaning.Invalid(_("Enter an amount in yuan, e.g. 1234.50."))
    text = str(raw).strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").removesuffix("元")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise cleaning.Invalid(_("Enter an amount in yuan, e.g. 1234.50.")) from exc
    if not value.is_finite():
        raise cleaning.Invalid(_("Enter an amount in yuan, e.g. 1234.50."))
    if value < 0:
        raise cleaning.Invalid(_("The amount cannot be negative."))
    if value > MAX_AMOUNT:
        raise cleaning.Invalid(_("The amount is too large."))
    if isinstance(raw, float):
        value = value.quantize(CENT)  # a number cell's binary fraction (0.1 + 0.2)
    if value != value.quantize(CENT):
        raise cleaning.Invalid(_("Enter at most two decimal places."))
    return value.quantize(CENT)


def parse_event_kind(raw: Any) -> str:
    text = str(raw).strip()
    if text in EVENT_TERMS:
        return EVENT_TERMS[text]
    return cleaning.choice(LifeEventKind)(text)


Parser = Callable[[Any], Any]
SETTLEMENT_PARSERS: dict[str, Parser] = {
    "number": cleaning.text(40), "id_number": cleaning.parse_id_number, "name": cleaning.text(50),
    "date": cleaning.parse_past_date, "total": parse_amount, "out_of_pocket": parse_amount}
EVENT_PARSERS: dict[str, Parser] = {
    "id_number": cleaning.parse_id_number, "name": cleaning.text(50), "kind": parse_event_kind,
    "date": cleaning.parse_past_date, "note": cleaning.text(200)}


def _row_clean(parsers: Mapping[str, Parser], columns: Sequence[Column],
               raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    values: dict[str, Any] = {}
    errors: list[tuple[str, Any]] = []
    for column in columns:
        cell = raw.get(column.field)
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            if column.required:
                errors.append((column.field, _("This field is required.")))
            values[column.field] = "" if column.field in ("name", "note") else None
            continue
        try:
            values[column.field] = parsers[column.field](cell)
        except cleaning.Invalid as exc:
            errors.append((column.field, exc.message))
    if not errors and "out_of_pocket" in values and values["out_of_pocket"] > values["total"]:
        errors.append(("out_of_pocket", _("The out-of-pocket amount cannot exceed the total cost.")))
    return values, errors


def _settlement_clean(raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    return _row_clean(SETTLEMENT_PARSERS, SETTLEMENT_COLUMNS, raw)


def _event_clean(raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    return _row_clean(EVENT_PARSERS, EVENT_COLUMNS, raw)


SETTLEMENT_KIND = Kind("settlements", lazy_("medical-insurance settlements"), Settlement, _settlement_clean,
                       ("number",), lazy_("This settlement number appears twice."), SETTLEMENT_COLUMNS)
EVENT_KIND = Kind("life-events", lazy_("life events"), LifeEvent, _event_clean, ("id_number", "kind", "date"),
                  lazy_("This event appears twice."), EVENT_COLUMNS)


@dataclass
class ImportReport:
    """What an import found: rows read, rows written, rows already there, warnings raised, every bad row."""

    kind: str
    rows: int = 0
    imported: int = 0
    duplicates: int = 0
    warnings_raised: int = 0
    dry_run: bool = True
    batch_id: int | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def reject(self, row: int, field_name: str, message: Any) -> None:
        with translation.override("zh-hans"):
            zh = str(message)
        with translation.override("en"):
            en = message.render("en") if hasattr(message, "render") else str(message)
        self.errors.append({"row": row, "column": self.headers.get(field_name, field_name), "field": field_name,
                            "message": zh, "message_en": en})


@dataclass
class _Good:
    row: int
    values: dict[str, Any]


def _rows_from_table(data: bytes, kind: Kind) -> list[tuple[int, dict[str, Any]]]:
    table = open_table(data, kind)
    columns = list(table.positions.items())
    out = []
    for number, cells in table.rows:
        raw = {name: cell_value(cells, index) for name, index in columns}
        if any(v is not None for v in raw.values()):
            out.append((number, raw))
    return out


def _clean_all(report: ImportReport, kind: Kind, rows: Sequence[tuple[int, Mapping[str, Any]]]) -> list[_Good]:
    good = []
    with cleaning.one_day():
        for number, raw in rows:
            report.rows += 1
            values, errors = kind.cleaner(raw)
            for f, m in errors:
                report.reject(number, f, m)
            if not errors:
                good.append(_Good(number, values))
    return good


def _persons(report: ImportReport, actor: User, good: list[_Good]) -> dict[str, Resident]:
    """ID number → resident of the importer's scope; a row for anyone else is rejected (the same message for
    an unknown person and one outside the scope: the import does not tell which people exist elsewhere)."""
    wanted = {g.values["id_number"] for g in good}
    found = {r.id_number: r for r in restrict(Resident.objects.filter(id_number__in=wanted), actor)
             .select_related("household")}
    for g in good:
        person = found.get(g.values["id_number"])
        if person is None:
            report.reject(g.row, "id_number", _("No resident with this ID number in your area."))
        elif g.values.get("name") and g.values["name"] != person.name:
            report.reject(g.row, "name", _("The name does not match the registry's for this ID number."))
    return found


def _check_size(rows: Sequence[object]) -> None:
    if len(rows) > settings.ASSISTANCE_IMPORT_MAX_ROWS:
        raise FieldError("file", _("At most %(n)d rows per import.") % {"n": settings.ASSISTANCE_IMPORT_MAX_ROWS})


def _batch(actor: User, kind: str, source: str, file_name: str, sha: str, report: ImportReport) -> SettlementImport:
    return SettlementImport.objects.create(kind=kind, source=source, file_name=file_name[:255], file_sha256=sha,
                                           area_code=scope_prefix(actor) or "", rows=report.rows,
                                           created_by=actor)


def settlements_import(*, actor: User, rows: Sequence[tuple[int, Mapping[str, Any]]], source: str = ImportSource.API,
                       file_name: str = "", sha: str = "", dry_run: bool = True) -> ImportReport:
    """Check settlement rows ((row number, raw cells by field)) and, unless ``dry_run`` or a row is bad,
    write the new ones and run the spending rule for their people."""
    policy.check_manager(actor)
    _check_size(rows)
    report = ImportReport(ImportKind.SETTLEMENTS, dry_run=dry_run,
                          headers={c.field: c.header for c in SETTLEMENT_COLUMNS})
    good = _clean_all(report, SETTLEMENT_KIND, rows)
    first: dict[str, int] = {}
    for g in good:
        seen = first.setdefault(g.values["number"], g.row)
        if seen != g.row:
            report.reject(g.row, "number", _("This settlement number appears twice (first in row %(row)d).")
                          % {"row": seen})
    people = _persons(report, actor, good)
    report.errors.sort(key=lambda e: e["row"])
    existing = set(Settlement.objects.filter(number__in=list(first)).values_list("number", flat=True))
    fresh = [g for g in good if g.values["number"] not in existing]
    report.duplicates = len(good) - len(fresh)
    if report.errors or dry_run:
        report.imported = len(fresh)
        return report
    with transaction.atomic():
        batch = _batch(actor, ImportKind.SETTLEMENTS, source, file_name, sha, report)
        Settlement.objects.bulk_create([Settlement(
            number=g.values["number"], person=people[g.values["id_number"]], date=g.values["date"],
            total=g.values["total"], out_of_pocket=g.values["out_of_pocket"], batch=batch) for g in fresh],
            batch_size=2000)
        report.imported = len(fresh)
        raised = warnings_scan(persons={people[g.values["id_number"]].pk for g in fresh}) if fresh else []
        report.warnings_raised = len(raised)
        batch.imported, batch.duplicates, batch.warnings_raised = report.imported, report.duplicates, len(raised)
        batch.save(update_fields=["imported", "duplicates", "warnings_raised"])
    report.batch_id = batch.pk
    return report


def events_import(*, actor: User, rows: Sequence[tuple[int, Mapping[str, Any]]], source: str = ImportSource.API,
                  file_name: str = "", sha: str = "", dry_run: bool = True) -> ImportReport:
    """Check life-event rows and, unless ``dry_run`` or a row is bad, write the new ones; each raises a warning."""
    policy.check_manager(actor)
    _check_size(rows)
    report = ImportReport(ImportKind.EVENTS, dry_run=dry_run, headers={c.field: c.header for c in EVENT_COLUMNS})
    good = _clean_all(report, EVENT_KIND, rows)
    people = _persons(report, actor, good)
    keys: dict[tuple[str, str, dt.date], int] = {}
    for g in good:
        key = (g.values["id_number"], g.values["kind"], g.values["date"])
        seen = keys.setdefault(key, g.row)
        if seen != g.row:
            report.reject(g.row, "kind", _("This event appears twice (first in row %(row)d).") % {"row": seen})
    report.errors.sort(key=lambda e: e["row"])
    known = {(p.id_number, k, d) for p, k, d in (
        (r.person, r.kind, r.date) for r in LifeEvent.objects.filter(
            person__in=[p for p in people.values()]).select_related("person"))}
    fresh = [g for g in good if (g.values["id_number"], g.values["kind"], g.values["date"]) not in known]
    report.duplicates = len(good) - len(fresh)
    report.imported = len(fresh)
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        batch = _batch(actor, ImportKind.EVENTS, source, file_name, sha, report)
        events = [LifeEvent.objects.create(person=people[g.values["id_number"]], kind=g.values["kind"],
                                           date=g.values["date"], note=g.values["note"] or "", batch=batch)
                  for g in fresh]
        report.warnings_raised = len(event_warnings_raise(events))
        batch.imported, batch.duplicates, batch.warnings_raised = report.imported, report.duplicates, \
            report.warnings_raised
        batch.save(update_fields=["imported", "duplicates", "warnings_raised"])
    report.batch_id = batch.pk
    return report


def import_file(*, actor: User, kind: str, data: bytes, file_name: str = "", dry_run: bool = True) -> ImportReport:
    """A settlements or life-events sheet, as offices send it."""
    policy.check_manager(actor)
    if kind not in ImportKind.values:
        raise FieldError("kind", _("Choose one of the allowed values."))
    spec = SETTLEMENT_KIND if kind == ImportKind.SETTLEMENTS else EVENT_KIND
    rows = _rows_from_table(data, spec)
    sha = hashlib.sha256(data).hexdigest()
    run = settlements_import if kind == ImportKind.SETTLEMENTS else events_import
    return run(actor=actor, rows=rows, source=ImportSource.FILE, file_name=file_name, sha=sha, dry_run=dry_run)

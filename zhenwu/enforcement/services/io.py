"""The power list as the county's 司法局 keeps it in Excel: import (with a dry run) and export.

One row per discretion band; the rows of one power share its code and repeat its name, department,
basis and parties (merged cells are filled down by the registry's reader). Responsibilities go in the
row of any band, one per row. The sheet is read with the registry's reader (``registry.reading``: xlsx,
xls, ods or csv, a title row above the header, full-width digits), so the row numbers in the report are
those Excel shows. Import is all or nothing: with any bad row nothing is written, and the report names
every bad row; the dry run writes nothing either way.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as lazy_
from openpyxl import Workbook

from zhenwu.accounts.models import User
from zhenwu.enforcement import policy
from zhenwu.enforcement.choices import BAND_TERMS, DEPARTMENT_TERMS, PARTY_TERMS, first_term
from zhenwu.enforcement.models import PenaltyPower
from zhenwu.enforcement.services.powers import (
    BandDraft,
    PowerDraft,
    amount_parse,
    band_errors,
    bands_overlap,
    power_head_errors,
    power_write,
)
from zhenwu.errors import gettext as _
from zhenwu.registry.columns import Column, Kind
from zhenwu.registry.reading import cell_value, open_table
from zhenwu.sheets import safe_row

HEAD_FIELDS = ("name", "department", "law", "article", "clause", "parties")


def _is_duty_only(row: Mapping[str, Any]) -> bool:
    """A row with a duty and no band: one more responsibility of the power (a power may have more duties
    than bands)."""
    return bool(row["duty"]) and not any(row[k] for k in ("level", "conditions", "other_penalty")) \
        and row["fine_min"] is None and row["fine_max"] is None


def _row_clean(raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    """One sheet row → its cleaned values and every (field, message) wrong with it."""
    errors: list[tuple[str, Any]] = []
    text = {k: "" if v is None else str(v).strip() for k, v in raw.items()}
    row: dict[str, Any] = {k: text.get(k, "") for k in ("code", "name", "law", "article", "clause", "conditions",
                                                          "other_penalty", "duty", "accountability")}
    row["department"] = DEPARTMENT_TERMS.get(text.get("department", ""), text.get("department", ""))
    row["parties"] = PARTY_TERMS.get(text.get("parties", ""), text.get("parties", ""))
    row["level"] = BAND_TERMS.get(text.get("level", ""), text.get("level", ""))
    for name in ("fine_min", "fine_max"):
        row[name], message = amount_parse(raw.get(name), name)
        if message:
            errors.append((name, message))
    head = PowerDraft(row["code"], row["name"], row["department"], row["law"], row["article"], row["clause"],
                      row["parties"])
    errors += power_head_errors(head)
    if not errors and not _is_duty_only(row):
        errors += band_errors(BandDraft(row["level"], row["conditions"], row["fine_min"], row["fine_max"],
                                        row["other_penalty"]))
    return row, errors


COLUMNS = (
    Column("权力编码", "code", True, "320000-CG-001", aliases=("事项编码", "编码")),
    Column("权力名称", "name", True, "擅自占用城市道路摆摊设点", aliases=("事项名称", "处罚事项")),
    Column("来源部门", "department", True, "城管", lazy_("城管, 应急/安监, 生态环境, 人社/劳动, 市场监管, 卫健, "
                                                      "自然资源, 住建, 水务, 农业农村, 文旅, 教育, …"),
           ("实施部门", "原部门")),
    Column("法律依据", "law", True, "城市市容和环境卫生管理条例", aliases=("依据法律", "法律法规")),
    Column("条", "article", True, "第三十六条", aliases=("条款",)),
    Column("款项", "clause", False, "第一款", aliases=("款",)),
    Column("适用对象", "parties", True, "公民、法人和其他组织", lazy_("公民, 法人和其他组织, or 公民、法人和其他组织")),
    Column("裁量等级", "level", True, "一般", lazy_("轻微, 一般, 较重 or 严重"), ("裁量档次",)),
    Column("适用情形", "conditions", True, "首次被发现，占道面积5平方米以下", aliases=("违法情节",)),
    Column("罚款下限（元）", "fine_min", False, "50", aliases=("罚款下限", "罚款下限(元)")),
    Column("罚款上限（元）", "fine_max", False, "200", aliases=("罚款上限", "罚款上限(元)")),
    Column("其他处罚", "other_penalty", False, "警告"),
    Column("责任事项", "duty", False, "依法立案调查，全面客观收集证据"),
    Column("追责情形", "accountability", False, "未依法回避的；超越裁量基准处罚的"),
)
SHEET_KIND = Kind("penalty-powers", lazy_("the penalty power list"), PenaltyPower, _row_clean, ("code",),
                  lazy_("A power with this code already exists."), COLUMNS)
HEADERS = {c.field: c.header for c in COLUMNS}


@dataclass
class ImportReport:
    """What an import found: rows read, powers, new versions written, and every bad row."""

    rows: int = 0
    powers: int = 0
    written: int = 0
    unchanged: int = 0
    dry_run: bool = True
    errors: list[dict[str, Any]] = field(default_factory=list)

    def reject(self, row: int, field_name: str, message: Any) -> None:
        with translation.override("zh-hans"):
            zh = str(message)
        with translation.override("en"):
            en = message.render("en") if hasattr(message, "render") else str(message)
        self.errors.append({"row": row, "column": HEADERS.get(field_name.split(".")[-1], field_name),
                            "field": field_name, "message": zh, "message_en": en})


@dataclass
class _Group:
    draft: PowerDraft
    first_row: int
    band_rows: list[int] = field(default_factory=list)  # the Excel row of each band, in order


def _group(report: ImportReport, table: Any) -> dict[str, _Group]:
    """Rows by power code; each good row's band (or duty) added to its power's draft."""
    groups: dict[str, _Group] = {}
    columns = list(table.positions.items())
    for number, cells in table.rows:
        raw = {name: cell_value(cells, index) for name, index in columns}
        if all(v is None for v in raw.values()):
            continue
        report.rows += 1
        row, errors = _row_clean(raw)
        for f, m in errors:
            report.reject(number, f, m)
        if not errors:
            _add_row(report, groups, number, row)
    return groups


def _add_row(report: ImportReport, groups: dict[str, _Group], number: int, row: dict[str, Any]) -> None:
    group = groups.get(row["code"])
    if group is None:
        group = groups[row["code"]] = _Group(PowerDraft(row["code"], *(row[f] for f in HEAD_FIELDS)), number)
    else:
        for f in HEAD_FIELDS:
            if getattr(group.draft, f) != row[f]:
                report.reject(number, f, _("Differs from the first row of power %(code)s.") % {"code": row["code"]})
                return
    if not _is_duty_only(row):
        group.draft.bands.append(BandDraft(row["level"], row["conditions"], row["fine_min"], row["fine_max"],
                                           row["other_penalty"]))
        group.band_rows.append(number)
    if row["duty"]:
        group.draft.responsibilities.append((row["duty"], row["accountability"]))


def _check_groups(report: ImportReport, groups: dict[str, _Group]) -> None:
    """Across the rows of one power: at least one band, no level twice, no overlapping fine ranges."""
    for code, group in groups.items():
        if not group.draft.bands:
            report.reject(group.first_row, "level", _("Power %(code)s has no discretion band.") % {"code": code})
        for index, message in bands_overlap(group.draft.bands):
            report.reject(group.band_rows[index], "fine_min", message)


def powers_import(*, actor: User, data: bytes, dry_run: bool = True) -> ImportReport:
    """Check a power-list sheet and, unless ``dry_run`` or a row is bad, write every power (new versions)."""
    policy.check_list_keeper(actor)
    table = open_table(data, SHEET_KIND)
    report = ImportReport(dry_run=dry_run)
    groups = _group(report, table)
    _check_groups(report, groups)
    report.errors.sort(key=lambda e: e["row"])
    report.powers = len(groups)
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        for group in groups.values():
            _power, changed = power_write(draft=group.draft, created_by=actor)
            report.written += changed
            report.unchanged += not changed
    return report


def powers_export() -> bytes:
    """The whole current list as an xlsx the import reads back (one row per band)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("权责清单")
    sheet.append([c.header for c in COLUMNS])
    powers = (PenaltyPower.objects.filter(active=True, current_version__isnull=False)
              .select_related("current_version").prefetch_related("current_version__bands",
                                                                   "current_version__responsibilities"))
    for power in powers:
        v = power.current_version
        assert v is not None
        duties = list(v.responsibilities.all())
        bands = list(v.bands.all())
        for i, band in enumerate(bands):
            duty = duties[i] if i < len(duties) else None
            sheet.append(safe_row(sheet, [
                power.code, v.name, first_term(DEPARTMENT_TERMS, v.department), v.law, v.article, v.clause,
                first_term(PARTY_TERMS, v.parties), first_term(BAND_TERMS, band.level), band.conditions,
                band.fine_min, band.fine_max, band.other_penalty, duty.duty if duty else "",
                duty.accountability if duty else ""]))
        for duty in duties[len(bands):]:  # more duties than bands: rows with the duty only
            sheet.append(safe_row(sheet, [
                power.code, v.name, first_term(DEPARTMENT_TERMS, v.department), v.law, v.article, v.clause,
                first_term(PARTY_TERMS, v.parties), "", "", None, None, "", duty.duty, duty.accountability]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

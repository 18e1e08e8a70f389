"""台账导出: registry ledgers as xlsx with the list pages' filters, masked by default; import templates.

An export uses the import columns (same Chinese headers and terms), so an unmasked export can be
edited and imported elsewhere. Full values need ``can_export_unmasked`` plus an explicit request,
and each such export writes an audit entry.
"""

from __future__ import annotations

import datetime
import io
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.masking import mask_id_number, mask_mobile, mask_name
from zhenwu.accounts.models import User
from zhenwu.errors import Forbidden
from zhenwu.registry import selectors
from zhenwu.registry.display import hide_credentials
from zhenwu.registry.importing import Kind, import_job_get, job_table, kind_get
from zhenwu.registry.policy import can_export_unmasked
from zhenwu.sheets import safe_row

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT_FORMAT = "@"  # Excel must keep 18-digit ID numbers and codes as text, not round them as numbers

# Personal values per kind and how they are masked (DOMAIN.md, display masking).
MASKS: dict[str, dict[str, Callable[[str], str]]] = {
    "residents": {"name": mask_name, "id_number": mask_id_number, "mobile": mask_mobile},
    "enterprises": {"legal_representative": mask_name, "mobile": mask_mobile},
    "places": {"contact_name": mask_name, "contact_mobile": mask_mobile},
    "cameras": {"stream_url": hide_credentials},
}
LISTS: dict[str, tuple[Callable[..., QuerySet[Any]], tuple[str, ...]]] = {
    "residents": (selectors.resident_list, ("grid", "status", "tag", "q")),
    "households": (selectors.household_list, ("grid", "kind", "q")),
    "enterprises": (selectors.enterprise_list, ("grid", "operating_status", "risk_level", "abnormal", "q")),
    "places": (selectors.place_list, ("grid", "kind", "q")),
    "cameras": (selectors.camera_list, ("grid", "source_system", "q")),
}
TEXT_FIELDS = {"id_number", "mobile", "grid", "uscc", "number", "household", "enterprise", "code",
               "contact_mobile"}


def _term(kind: Kind, field_name: str, value: str) -> str:
    """The Chinese term staff write for a choice value (the first synonym), else the value."""
    for term, choice in kind.synonyms(field_name).items():
        if choice == value:
            return term
    return value


def _cell(kind: Kind, row: Any, field_name: str) -> Any:
    if field_name == "grid":
        return row.area_code
    if field_name in ("household", "enterprise"):
        linked = getattr(row, field_name)
        return "" if linked is None else (linked.number if field_name == "household" else linked.uscc)
    if field_name == "tags":
        return "、".join(_term(kind, "tags", t.tag) for t in row.tags.all())
    value = getattr(row, field_name)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str) and kind.synonyms(field_name):
        return _term(kind, field_name, value)
    return value if isinstance(value, (int, float, datetime.date)) or value is None else str(value)


def _values(kind: Kind, row: Any, unmasked: bool) -> list[Any]:
    masks = {} if unmasked else MASKS.get(kind.slug, {})
    cells = []
    for column in kind.columns:
        value = _cell(kind, row, column.field)
        mask = masks.get(column.field)
        cells.append(mask(value) if mask and value else value)
    return cells


@dataclass
class Export:
    """A finished export: the workbook bytes, a file name and how many rows it holds."""

    content: bytes
    file_name: str
    rows: int


def _filters(kind: Kind, params: Mapping[str, Any]) -> dict[str, Any]:
    allowed = LISTS[kind.slug][1]
    filters: dict[str, Any] = {k: params.get(k) or None for k in allowed}
    if filters.get("abnormal") is not None:
        filters["abnormal"] = str(filters["abnormal"]).lower() in ("1", "true", "yes", "on", "是")
    return filters


def _queryset(kind: Kind, user: User | None, filters: dict[str, Any]) -> QuerySet[Any]:
    if user is None:  # the command line runs with database access: everything, filtered by grid only
        qs = kind.model._default_manager.all().order_by("-id")
        return qs.filter(area_code__startswith=filters["grid"]) if filters.get("grid") else qs
    return LISTS[kind.slug][0](user=user, **filters)


def _rows(kind: Kind, qs: QuerySet[Any]) -> Iterator[Any]:
    related = {"residents": ("household",), "places": ("enterprise",)}.get(kind.slug, ())
    if related:
        qs = qs.select_related(*related)
    if kind.slug == "residents":
        qs = qs.prefetch_related("tags")
    return qs.iterator(chunk_size=2000)


def ledger_export(*, user: User | None, kind: str, params: Mapping[str, Any], unmasked: bool = False,
                  request_id: str = "") -> Export:
    """The ledger of ``kind`` in the user's scope with the list filters in ``params``, as xlsx."""
    spec = kind_get(kind)
    if unmasked and user is not None and not can_export_unmasked(user):
        raise Forbidden(_("Only administrators may export unmasked personal data."))
    filters = _filters(spec, params)
    qs = _queryset(spec, user, filters)
    content, count = _write(spec, (_values(spec, r, unmasked) for r in _rows(spec, qs)))
    if unmasked:
        _audit(spec, user, filters, count, request_id)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M")
    return Export(content, f"{spec.slug}-{stamp}.xlsx", count)


def _audit(kind: Kind, user: User | None, filters: dict[str, Any], count: int, request_id: str) -> None:
    from zhenwu.casework.services import audit_record

    audit_record(subject=f"registry.export:{kind.slug}", actor=user, action="export_unmasked",
                 request_id=request_id, data={"filters": {k: v for k, v in filters.items() if v is not None},
                                              "rows": count})


def _sheet_title(kind: Kind) -> str:
    with translation.override("zh-hans"):
        return str(kind.label)[:31]


def _write(kind: Kind, rows: Iterator[list[Any]]) -> tuple[bytes, int]:
    """Stream rows into a write-only workbook spooled to disk beyond 16 MB."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(kind))
    for index, column in enumerate(kind.columns):
        letter = openpyxl.utils.get_column_letter(index + 1)
        sheet.column_dimensions[letter].width = max(10, 2 * len(column.header) + 2)
    sheet.append(safe_row(sheet, [c.header for c in kind.columns]))
    count = 0
    for values in rows:
        sheet.append(safe_row(sheet, values))
        count += 1
    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as out:
        book.save(out)
        out.seek(0)
        return out.read(), count


def template_workbook(kind: str) -> Export:
    """The import template of ``kind``: the header row (ID-like columns as text) and a sheet of notes."""
    import openpyxl
    from openpyxl.styles import Font

    spec = kind_get(kind)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _sheet_title(spec)
    sheet.append(safe_row(sheet, [c.header for c in spec.columns]))
    for index, column in enumerate(spec.columns, start=1):
        letter = openpyxl.utils.get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, 2 * len(column.header) + 4)
        if column.field in TEXT_FIELDS:
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
        sheet.cell(row=1, column=index).font = Font(bold=column.required)
    _notes(book.create_sheet("说明"), spec)
    out = io.BytesIO()
    book.save(out)
    return Export(out.getvalue(), f"template-{spec.slug}.xlsx", 0)


def _notes(sheet: Any, kind: Kind) -> None:
    with translation.override("zh-hans"):
        sheet.append([str(_("Column")), str(_("Required")), str(_("Example")), str(_("Notes"))])
        for column in kind.columns:
            sheet.append(safe_row(sheet, [column.header, "是" if column.required else "", column.example,
                                          str(column.note or "")]))
        sheet.append([])
        sheet.append([str(_("Fill the first sheet from row 2; the header row must stay. Bold columns "
                            "are required."))])
    for letter, width in zip("ABCD", (18, 8, 24, 70), strict=True):
        sheet.column_dimensions[letter].width = width



def _as_text(value: Any) -> str:
    """A cell of the uploaded file as the text it showed: whole numbers without ".0", dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time(0) else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def rejected_rows_export(*, user: User | None, job_id: int) -> Export:
    """被拒绝的行: the rejected rows of an import, as the office uploaded them, with the reasons in a last
    column, so they can be fixed and uploaded again (the extra columns are ignored on the way back in).

    Every cell is written as text (the columns formatted as text, so corrected ID numbers keep their 18
    digits). The stored upload is read again for this download only; the import itself never re-reads it.
    """
    job = import_job_get(user=user, job_id=job_id)
    reasons: dict[int, list[str]] = {}
    english = (translation.get_language() or "").startswith("en")
    for error in job.report.get("errors", []):
        message = error["message_en"] if english else error["message"]
        reasons.setdefault(int(error["row"]), []).append(f"{error['column']}：{message}")
    table = job_table(job)
    rows = [(n, cells) for n, cells in table.rows if n in reasons]
    width = max([len(table.headers), *(len(cells) for _n, cells in rows)])
    headers = [*table.headers, *[""] * (width - len(table.headers)), str(_("Row in the uploaded file")),
               str(_("Reason"))]
    content = _text_workbook(_sheet_title(kind_get(job.kind)), headers,
                             ([*[_as_text(c) for c in cells], *[""] * (width - len(cells)), str(n),
                               "；".join(reasons[n])] for n, cells in rows))
    return Export(content, f"rejected-{job.kind}-{job.pk}.xlsx", len(rows))


def _text_workbook(title: str, headers: list[str], rows: Iterator[list[Any]]) -> bytes:
    """A write-only workbook whose columns are formatted as text, the last (the reasons) wide and red."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for index in range(1, len(headers) + 1):
        dimension = sheet.column_dimensions[openpyxl.utils.get_column_letter(index)]
        dimension.number_format = TEXT_FORMAT
        dimension.width = 60 if index == len(headers) else 18
    reason = WriteOnlyCell(sheet, value=headers[-1])
    reason.font = Font(bold=True, color="C00000")
    sheet.append([*safe_row(sheet, headers[:-1]), reason])
    for values in rows:
        sheet.append(safe_row(sheet, values))
    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as out:
        book.save(out)
        out.seek(0)
        return out.read()

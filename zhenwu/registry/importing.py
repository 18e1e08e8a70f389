"""批量导入: reading registry spreadsheets (xlsx, csv) with Chinese headers and checking every row.

The flow: ``import_job_create`` stores the upload content-addressed and checks it (a dry run that
writes nothing but the job's report); ``import_job_commit`` then imports with the user's explicit
choice — ``all_or_nothing`` or ``valid_only`` — re-reading and re-checking the same bytes first,
because the database may have changed since the dry run. Row numbers are those Excel shows
(header = row 1, first data row = row 2).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.models import User
from zhenwu.accounts.selectors import scope_prefix
from zhenwu.areas.choices import GRID_LEVELS
from zhenwu.areas.models import Area
from zhenwu.errors import Conflict, FieldError, Forbidden, NotFound
from zhenwu.registry import cleaning
from zhenwu.registry.choices import (
    CareTag,
    HouseholdKind,
    OperatingStatus,
    PlaceKind,
    Relation,
    ResidentStatus,
    RiskLevel,
)
from zhenwu.registry.models import (
    Camera,
    Enterprise,
    Household,
    ImportChoice,
    ImportJob,
    ImportStatus,
    Place,
    Resident,
    ResidentTag,
)
from zhenwu.registry.policy import can_edit_registry

CHUNK = 500  # rows per IN query and per bulk_create batch: far below every database's parameter limit
PROGRESS_EVERY = 1000
STORAGE_DIR = "registry-imports"


def _fmt(message: Any, **params: Any) -> Any:
    """Fill a lazy message's placeholders when it is shown, so the report stays translatable."""
    return lazy(lambda: str(message) % params, str)()


# --- kinds and their columns -----------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One spreadsheet column: its Chinese header, the model field, an example and a note for the template."""

    header: str
    field: str
    required: bool = False
    example: str = ""
    note: Any = ""
    aliases: tuple[str, ...] = ()


# Chinese terms staff write in spreadsheets → choice values. The first term per value is the one
# exports and templates show; the cleaners also accept values and (translated) labels.
SYNONYMS: dict[str, dict[str, str]] = {
    "status": {"户籍": ResidentStatus.REGISTERED, "常住": ResidentStatus.PERMANENT, "流动": ResidentStatus.FLOATING,
               "户籍人口": ResidentStatus.REGISTERED, "常住人口": ResidentStatus.PERMANENT,
               "流动人口": ResidentStatus.FLOATING},
    "relation": {"户主": Relation.HEAD, "本人": Relation.HEAD, "配偶": Relation.SPOUSE, "妻子": Relation.SPOUSE,
                 "丈夫": Relation.SPOUSE, "子女": Relation.CHILD, "儿子": Relation.CHILD, "女儿": Relation.CHILD,
                 "父母": Relation.PARENT, "父亲": Relation.PARENT, "母亲": Relation.PARENT,
                 "孙子女": Relation.GRANDCHILD, "孙子": Relation.GRANDCHILD, "孙女": Relation.GRANDCHILD,
                 "兄弟姐妹": Relation.SIBLING, "租户": Relation.TENANT, "租客": Relation.TENANT,
                 "其他亲属": Relation.OTHER, "其他": Relation.OTHER},
    "tags": {"独居老人": CareTag.ELDERLY_ALONE, "残疾人": CareTag.DISABLED, "低保": CareTag.DIBAO,
             "低保户": CareTag.DIBAO, "特困": CareTag.TEKUN, "特困人员": CareTag.TEKUN,
             "重点青少年": CareTag.YOUTH, "退役军人": CareTag.VETERAN, "党员": CareTag.PARTY,
             "留守儿童": CareTag.LEFT_BEHIND_CHILD, "大病": CareTag.SEVERE_ILLNESS},
    "kind:households": {"户籍户": HouseholdKind.REGISTERED, "常住户": HouseholdKind.RESIDENT,
                        "出租户": HouseholdKind.RENTAL, "集体户": HouseholdKind.COLLECTIVE,
                        "空挂户": HouseholdKind.VACANT},
    "operating_status": {"在业": OperatingStatus.OPERATING, "存续": OperatingStatus.OPERATING,
                         "开业": OperatingStatus.OPERATING, "停业": OperatingStatus.SUSPENDED,
                         "歇业": OperatingStatus.SUSPENDED, "注销": OperatingStatus.CANCELLED,
                         "吊销": OperatingStatus.REVOKED},
    "risk_level": {"低": RiskLevel.LOW, "中": RiskLevel.MEDIUM, "高": RiskLevel.HIGH, "低风险": RiskLevel.LOW,
                   "中风险": RiskLevel.MEDIUM, "高风险": RiskLevel.HIGH},
    "kind:places": {"商铺": PlaceKind.SHOP, "店铺": PlaceKind.SHOP, "出租房": PlaceKind.RENTAL_HOUSE,
                    "出租屋": PlaceKind.RENTAL_HOUSE, "学校": PlaceKind.SCHOOL, "医院": PlaceKind.HOSPITAL,
                    "诊所": PlaceKind.HOSPITAL, "卫生院": PlaceKind.HOSPITAL, "工厂": PlaceKind.FACTORY,
                    "建筑工地": PlaceKind.CONSTRUCTION_SITE, "工地": PlaceKind.CONSTRUCTION_SITE,
                    "餐饮": PlaceKind.RESTAURANT, "饭店": PlaceKind.RESTAURANT,
                    "公共场所": PlaceKind.PUBLIC_VENUE, "其他": PlaceKind.OTHER},
    "abnormal_listed": {"是": "1", "否": "0"},
}

GRID_NOTE = _("Code of the grid (15 or 18 digits); it must exist and lie in your scope.")
LNG = Column("经度", "lng", example="119.52", note=_("WGS84 longitude; optional, with the latitude."))
LAT = Column("纬度", "lat", example="31.95", note=_("WGS84 latitude; optional, with the longitude."))


@dataclass(frozen=True)
class Kind:
    """One importable kind: its model, cleaner, columns and the field(s) that identify a row."""

    slug: str
    label: Any
    model: type[models.Model]
    cleaner: Callable[[Mapping[str, Any]], tuple[dict[str, Any], list[tuple[str, Any]]]]
    key: tuple[str, ...]
    key_message: Any
    columns: tuple[Column, ...]

    def header_of(self, field_name: str) -> str:
        return next((c.header for c in self.columns if c.field == field_name), field_name)

    def synonyms(self, field_name: str) -> dict[str, str]:
        return SYNONYMS.get(f"{field_name}:{self.slug}") or SYNONYMS.get(field_name, {})


def _grid(example: str = "321181102201001001") -> Column:
    return Column("所属网格", "grid", True, example, GRID_NOTE, ("网格编码", "网格代码"))


KINDS: dict[str, Kind] = {k.slug: k for k in (
    Kind("residents", _("residents"), Resident, cleaning.resident_clean, ("id_number",),
         _("A resident with this ID number already exists."), (
             Column("姓名", "name", True, "李明"),
             Column("身份证号", "id_number", True, "11010519491231002X",
                    _("18 characters; birth date and sex are derived from it."), ("身份证号码", "公民身份号码")),
             Column("手机号", "mobile", False, "13512342210", aliases=("手机号码", "联系电话")),
             _grid(),
             Column("户编号", "household", False, "H0001", _("Number of an existing household in your scope.")),
             Column("与户主关系", "relation", False, "户主", _("户主, 配偶, 子女, 父母, 孙子女, 兄弟姐妹, 租户, 其他")),
             Column("居住状态", "status", True, "户籍", _("户籍, 常住 or 流动")),
             Column("人员标签", "tags", False, "党员、独居老人",
                    _("Separated by 、 or commas: 独居老人, 残疾人, 低保, 特困, 重点青少年, 退役军人, 党员, "
                      "留守儿童, 大病")),
             Column("来到本地日期", "arrival_date", False, "", _("YYYY-MM-DD; required for 流动."),
                    ("来本地日期", "到达日期")),
             Column("户籍地", "origin", False, "", _("Required for 流动."), ("原籍地",)),
             LNG, LAT)),
    Kind("households", _("households"), Household, cleaning.household_clean, ("number",),
         _("A household with this number already exists."), (
             Column("户编号", "number", True, "H0001"),
             Column("地址", "address", True, "东山村1组8号"),
             Column("户类型", "kind", True, "户籍户", _("户籍户, 常住户, 出租户, 集体户 or 空挂户")),
             _grid(), LNG, LAT)),
    Kind("enterprises", _("enterprises"), Enterprise, cleaning.enterprise_clean, ("uscc",),
         _("An enterprise with this unified social credit code already exists."), (
             Column("统一社会信用代码", "uscc", True, "91350100M000100Y43"),
             Column("企业名称", "name", True, "丹阳市东山机械有限公司", aliases=("名称",)),
             Column("法定代表人", "legal_representative", True, "王强", aliases=("经营者",)),
             Column("行业", "industry", False, "通用设备制造业"),
             Column("地址", "address", True, "东山村工业园3号"),
             _grid(),
             Column("经营状态", "operating_status", False, "在业", _("在业, 停业, 注销 or 吊销; default 在业")),
             Column("风险等级", "risk_level", False, "低", _("低, 中 or 高; default 低")),
             Column("经营异常", "abnormal_listed", False, "否", _("是 or 否")),
             Column("投诉次数", "complaint_count", False, "0"),
             Column("联系电话", "mobile", False, "13512342210", aliases=("手机号",)),
             LNG, LAT)),
    Kind("places", _("places"), Place, cleaning.place_clean, ("name", "address"),
         _("A place with this name at this address already exists."), (
             Column("场所名称", "name", True, "东山小学", aliases=("名称",)),
             Column("场所类型", "kind", True, "学校",
                    _("商铺, 出租房, 学校, 医院, 工厂, 建筑工地, 餐饮, 公共场所 or 其他")),
             Column("地址", "address", True, "东山村文化路1号"),
             _grid(),
             Column("所属企业统一社会信用代码", "enterprise", False, "",
                    _("USCC of an existing enterprise; optional."), ("统一社会信用代码",)),
             Column("联系人", "contact_name", False, "张老师"),
             Column("联系电话", "contact_mobile", False, "13512342210"),
             LNG, LAT)),
    Kind("cameras", _("cameras"), Camera, cleaning.camera_clean, ("code",),
         _("A camera with this code already exists."), (
             Column("设备编码", "code", True, "32118110220100001", aliases=("编码",)),
             Column("设备名称", "name", True, "东山村村委会门口"),
             Column("来源系统", "source_system", True, "雪亮工程"),
             Column("视频流地址", "stream_url", False, "rtsp://10.0.0.8/live/1"),
             _grid(), LNG, LAT)),
)}
SINGULAR = {"resident": "residents", "household": "households", "enterprise": "enterprises",
            "place": "places", "camera": "cameras"}


def kind_get(slug: str) -> Kind:
    """The kind named ``slug`` (plural or singular), or a FieldError naming the allowed ones."""
    kind = KINDS.get(SINGULAR.get(slug, slug))
    if kind is None:
        raise FieldError("kind", _("Choose one of: residents, households, enterprises, places, cameras."))
    return kind


# --- reading files ---------------------------------------------------------------------------------

def _normalise_header(value: Any) -> str:
    return re.sub(r"[\s*＊]", "", str(value or "")).replace("（", "(").replace("）", ")")


@dataclass
class Table:
    """An opened sheet: where each field's column is, and a stream of (row number, cells)."""

    format: str
    sheet: str
    positions: dict[str, int]
    rows: Iterator[tuple[int, tuple[Any, ...]]]
    estimate: int
    close: Callable[[], None] = lambda: None


def sniff_format(data: bytes) -> str:
    """"xlsx" for a zip holding xl/workbook.xml, "csv" for text; anything else is refused."""
    if not data.strip():
        raise FieldError("file", _("The file is empty."))
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "xl/workbook.xml" in archive.namelist():
                    return "xlsx"
        except zipfile.BadZipFile as exc:
            raise FieldError("file", _("The xlsx file is damaged and cannot be read.")) from exc
        raise FieldError("file", _("This is not an xlsx or csv file."))
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "csv"  # UTF-16 text, as Excel's "Unicode text" saves it
    if b"\x00" in data[:65536]:
        raise FieldError("file", _("This is not an xlsx or csv file."))
    return "csv"


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (what Chinese Excel saves as csv)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FieldError("file", _("This is not an xlsx or csv file (the text is neither UTF-8 nor GB18030)."))


def _positions(kind: Kind, header: Iterable[Any]) -> tuple[dict[str, int], list[str]]:
    """Field → column index for the headers found, and the headers of required columns that are missing."""
    by_name: dict[str, Column] = {}
    for column in kind.columns:
        for name in (column.header, *column.aliases):
            by_name.setdefault(_normalise_header(name), column)
    positions: dict[str, int] = {}
    for index, value in enumerate(header):
        found = by_name.get(_normalise_header(value))
        if found is not None and found.field not in positions:
            positions[found.field] = index
    missing = [c.header for c in kind.columns if c.required and c.field not in positions]
    return positions, missing


def _missing_error(missing: list[str]) -> FieldError:
    return FieldError("file", _fmt(_("Missing columns: %(columns)s."), columns="、".join(missing)))


def open_table(data: bytes, kind: Kind) -> Table:
    """Open ``data`` as xlsx or csv and find the sheet and columns of ``kind``; FieldError if it cannot."""
    if len(data) > settings.REGISTRY_IMPORT_MAX_BYTES:
        raise FieldError("file", _("The file is too large."))
    fmt = sniff_format(data)
    return _open_xlsx(data, kind) if fmt == "xlsx" else _open_csv(data, kind)


def _open_csv(data: bytes, kind: Kind) -> Table:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if header is None or not any(h.strip() for h in header):
        raise FieldError("file", _("The file is empty."))
    positions, missing = _positions(kind, header)
    if missing:
        raise _missing_error(missing)
    rows = ((number, tuple(cells)) for number, cells in enumerate(reader, start=2))
    return Table("csv", "", positions, rows, max(text.count("\n") - 1, 0))


def _open_xlsx(data: bytes, kind: Kind) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, XML errors) for a damaged file
        raise FieldError("file", _("The xlsx file is damaged and cannot be read.")) from exc
    first_missing: list[str] | None = None
    for sheet in book.worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None) or ()
        positions, missing = _positions(kind, header)
        if not missing:
            numbered = ((number, tuple(cells)) for number, cells in enumerate(rows, start=2))
            return Table("xlsx", sheet.title, positions, numbered, max((sheet.max_row or 1) - 1, 0), book.close)
        first_missing = missing if first_missing is None else first_missing
    names = "、".join(s.title for s in book.worksheets)
    book.close()
    if len(book.worksheets) > 1:
        raise FieldError("file", _fmt(
            _("No sheet has the columns of %(kind)s (sheets in the file: %(sheets)s). Missing in the first "
              "sheet: %(columns)s."), kind=kind.label, sheets=names, columns="、".join(first_missing or [])))
    raise _missing_error(first_missing or [c.header for c in kind.columns if c.required])


# --- checking rows ---------------------------------------------------------------------------------

@dataclass
class RowError:
    row: int
    column: str
    field: str
    message: Any

    def as_dict(self) -> dict[str, Any]:
        with translation.override("zh-hans"):
            zh = str(self.message)
        with translation.override("en"):
            en = str(self.message)
        return {"row": self.row, "column": self.column, "field": self.field, "message": zh, "message_en": en}


@dataclass
class Checked:
    """The outcome of checking a file: the rows that may be written and every rejection."""

    kind: Kind
    total: int = 0
    valid: dict[int, dict[str, Any]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    sheet: str = ""
    format: str = ""

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    def reject(self, row: int, field_name: str, message: Any) -> None:
        self.errors.append(RowError(row, self.kind.header_of(field_name), field_name, message))
        self.valid.pop(row, None)


def _cell(cells: tuple[Any, ...], index: int) -> Any:
    value = cells[index] if index < len(cells) else None
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date()
    return value.strip() if isinstance(value, str) else value


def _translate_terms(kind: Kind, raw: dict[str, Any]) -> None:
    """Replace the Chinese terms of choice fields by values; leave anything unknown for the cleaner to reject."""
    for name in ("status", "relation", "kind", "operating_status", "risk_level", "abnormal_listed"):
        terms = kind.synonyms(name)
        if terms and isinstance(raw.get(name), str):
            raw[name] = terms.get(raw[name], raw[name])
    if isinstance(raw.get("tags"), str):
        terms = SYNONYMS["tags"]
        raw["tags"] = [terms.get(t, t) for t in re.split(r"[,，、;；\s]+", raw["tags"]) if t]


def check_rows(table: Table, kind: Kind, *, prefix: str,
               progress: Callable[[int, int], None] | None = None) -> Checked:
    """Clean every row, then check grids, duplicates and references with a few chunked queries."""
    checked = clean_rows(table, kind, progress=progress)
    check_against_database(checked, prefix)
    return checked


def clean_rows(table: Table, kind: Kind, *, progress: Callable[[int, int], None] | None = None) -> Checked:
    """The row-by-row part (no database): each row through the kind's cleaner."""
    checked = Checked(kind, sheet=table.sheet, format=table.format)
    limit = settings.REGISTRY_IMPORT_MAX_ROWS
    try:
        for number, cells in table.rows:
            if not any(c not in (None, "") for c in cells):
                continue  # blank lines are not rows to Excel users
            checked.total += 1
            if checked.total > limit:
                raise FieldError("file", _fmt(
                    _("The file has more than %(max)d data rows; split it into smaller files."), max=limit))
            _check_one(checked, kind, number, {f: _cell(cells, i) for f, i in table.positions.items()})
            if progress and checked.total % PROGRESS_EVERY == 0:
                progress(checked.total, max(table.estimate, checked.total))
    finally:
        table.close()
    if checked.total == 0:
        raise FieldError("file", _("The file has no data rows."))
    return checked


def check_against_database(checked: Checked, prefix: str) -> None:
    """Grids exist and lie in scope, keys are unique in the file and new to the database, references exist."""
    _check_grids(checked, prefix)
    _check_duplicates_in_file(checked)
    _check_duplicates_in_db(checked)
    _check_references(checked, prefix)
    checked.errors.sort(key=lambda e: e.row)


def _check_one(checked: Checked, kind: Kind, number: int, raw: dict[str, Any]) -> None:
    _translate_terms(kind, raw)
    cleaned, errors = kind.cleaner(raw)
    if errors:
        for field_name, message in errors:
            checked.errors.append(RowError(number, kind.header_of(field_name), field_name, message))
        return
    checked.valid[number] = cleaned


def _chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _check_grids(checked: Checked, prefix: str) -> None:
    codes = sorted({v["grid"] for v in checked.valid.values()})
    grids: dict[str, tuple[int, str]] = {}
    for chunk in _chunks(codes):
        grids.update({c: (pk, lv) for c, pk, lv in Area.objects.filter(code__in=chunk)
                      .values_list("code", "pk", "level")})
    for number, values in list(checked.valid.items()):
        code = values["grid"]
        found = grids.get(code)
        if found is None:
            checked.reject(number, "grid", _fmt(_("No grid has the code %(code)s."), code=code))
        elif found[1] not in GRID_LEVELS:
            checked.reject(number, "grid", _fmt(_("%(code)s is not a grid."), code=code))
        elif not code.startswith(prefix):
            checked.reject(number, "grid", _fmt(_("The grid %(code)s is outside your scope."), code=code))
        else:
            values["grid_id"], values["area_code"] = found[0], code


def _key(kind: Kind, values: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(values[f] for f in kind.key)


def _check_duplicates_in_file(checked: Checked) -> None:
    rows_by_key: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for number, values in checked.valid.items():
        rows_by_key[_key(checked.kind, values)].append(number)
    for rows in rows_by_key.values():
        if len(rows) < 2:
            continue
        listed = "、".join(str(r) for r in rows)
        for number in rows:  # every copy is rejected: the file does not say which one is right
            checked.reject(number, checked.kind.key[0], _fmt(
                _("The same value appears in rows %(rows)s of the file."), rows=listed))


def _check_duplicates_in_db(checked: Checked) -> None:
    kind = checked.kind
    first = kind.key[0]
    by_key = {_key(kind, v): n for n, v in checked.valid.items()}
    values = sorted({k[0] for k in by_key})
    for chunk in _chunks(values):
        existing = kind.model._default_manager.filter(**{f"{first}__in": chunk}).values_list(*kind.key)
        for found in existing:
            number = by_key.get(tuple(found))
            if number is not None:
                checked.reject(number, first, kind.key_message)


def _lookup(model: type[models.Model], key: str, values: set[str], prefix: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(values)):
        qs = model._default_manager.filter(**{f"{key}__in": chunk, "area_code__startswith": prefix})
        found.update(dict(qs.values_list(key, "pk")))
    return found


def _check_references(checked: Checked, prefix: str) -> None:
    """Residents name a household by number, places an enterprise by USCC; both must exist in scope."""
    refs = {"household": (Household, "number", _("No household with the number %(value)s in your scope.")),
            "enterprise": (Enterprise, "uscc", _("No enterprise with the code %(value)s in your scope."))}
    for name, (model, key, message) in refs.items():
        wanted = {v[name] for v in checked.valid.values() if v.get(name)}
        if not any(name in v for v in checked.valid.values()):
            continue
        ids = _lookup(model, key, wanted, prefix) if wanted else {}
        for number, values in list(checked.valid.items()):
            value = values.get(name)
            if value and value not in ids:
                checked.reject(number, name, _fmt(message, value=value))
            else:
                values[f"{name}_id"] = ids.get(value) if value else None


# --- writing ---------------------------------------------------------------------------------------

def _model_fields(model: type[models.Model]) -> set[str]:
    return {f.attname for f in model._meta.concrete_fields if not f.primary_key} - {"created_at", "updated_at"}


def write_rows(checked: Checked, progress: Callable[[int, int], None] | None = None) -> int:
    """Insert the valid rows with bulk_create in chunks (inside the caller's transaction); return the count."""
    kind = checked.kind
    names = _model_fields(kind.model)
    items = sorted(checked.valid.items())
    written = 0
    for chunk in _chunks(items, 2000):
        objs = [kind.model(**{k: v for k, v in values.items() if k in names}) for _n, values in chunk]
        kind.model._default_manager.bulk_create(objs, batch_size=CHUNK)
        if kind.model is Resident:
            _write_resident_extras(objs, [values for _n, values in chunk])
        written += len(objs)
        if progress:
            progress(written, len(items))
    return written


def _write_resident_extras(residents: list[Any], values: list[dict[str, Any]]) -> None:
    """Tags, and the household head for members whose relation is 户主 (first one wins)."""
    tags = [ResidentTag(resident_id=r.pk, tag=t) for r, v in zip(residents, values, strict=True)
            for t in v.get("tags") or []]
    ResidentTag.objects.bulk_create(tags, batch_size=CHUNK)
    heads = {v["household_id"]: r.pk for r, v in zip(residents, values, strict=True)
             if v.get("household_id") and v.get("relation") == Relation.HEAD}
    for chunk in _chunks(list(heads)):
        households = list(Household.objects.filter(pk__in=chunk, head__isnull=True))
        for household in households:
            household.head_id = heads[household.pk]
        Household.objects.bulk_update(households, ["head"], batch_size=CHUNK)


# --- jobs (the services the wizard, the API and the CLI call) ---------------------------------------

def _actor_prefix(actor: User | None) -> str:
    """The scope prefix an import runs with: the actor's, or everything for the command line (no actor)."""
    if actor is None:
        return ""
    prefix = scope_prefix(actor)
    if prefix is None or not can_edit_registry(actor):
        raise Forbidden(_("You may not import base data."))
    return prefix


def _store(data: bytes, fmt: str) -> tuple[str, str]:
    digest = hashlib.sha256(data).hexdigest()
    name = f"{STORAGE_DIR}/{digest[:2]}/{digest}.{fmt}"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(data))
    return name, digest


def import_job_create(*, actor: User | None, kind: str, data: bytes, file_name: str = "",
                      background: bool | None = None) -> ImportJob:
    """Store an upload and check it (dry run: writes nothing but the job and its report).

    The file's format, sheet and columns are checked at once (FieldError on ``file``); the rows are
    checked inline for small files and in the background for large ones (``background`` forces it).
    """
    spec = kind_get(kind)
    _actor_prefix(actor)
    table = open_table(data, spec)
    table.close()
    name, digest = _store(data, table.format)
    job = ImportJob.objects.create(kind=spec.slug, original_name=file_name[:255], file_name=name,
                                   file_sha256=digest, total_rows=table.estimate, created_by=actor)
    if background is None:
        background = table.estimate > settings.REGISTRY_IMPORT_INLINE_ROWS
    from zhenwu.registry.tasks import dispatch

    dispatch("check", job.pk, background=background)
    job.refresh_from_db()
    return job


def import_job_get(*, user: User | None, job_id: int) -> ImportJob:
    """A job its creator (or an unscoped administrator, or the command line) may see; else 404."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or not (user is None or job.created_by_id == user.pk or scope_prefix(user) == ""):
        raise NotFound(_("No such import."))
    return job


def import_job_commit(*, actor: User | None, job: ImportJob, choice: str,
                      background: bool | None = None) -> ImportJob:
    """Import a checked file with the user's explicit choice (all_or_nothing or valid_only)."""
    if choice not in ImportChoice.values:
        raise FieldError("choice", _("Choose all_or_nothing or valid_only."))
    _actor_prefix(actor)
    ready = (ImportStatus.VALIDATED, ImportStatus.REFUSED)
    updated = ImportJob.objects.filter(pk=job.pk, status__in=ready).update(
        status=ImportStatus.IMPORTING, choice=choice, processed_rows=0)
    if not updated:  # compare-and-set: a second click or another tab must not import twice
        raise Conflict(_("This import is not waiting for a choice (already imported, running or failed)."))
    if background is None:
        background = job.total_rows > settings.REGISTRY_IMPORT_INLINE_ROWS
    from zhenwu.registry.tasks import dispatch

    dispatch("commit", job.pk, background=background)
    job.refresh_from_db()
    return job


def _progress(job_id: int) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed_rows=done, total_rows=total)
    return report


def _verified_bytes(job: ImportJob) -> bytes:
    """The stored upload, refused if its SHA-256 is no longer the one the user's check saw."""
    with default_storage.open(job.file_name, "rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != job.file_sha256:
        raise FieldError("file", _("The stored file has changed since it was uploaded; upload it again."))
    return bytes(data)


def _read_cleaned(job: ImportJob, data: bytes | None = None) -> Checked:
    spec = kind_get(job.kind)
    return clean_rows(open_table(data or _verified_bytes(job), spec), spec, progress=_progress(job.pk))


# The cleaned rows of a dry run are kept beside the upload, so the chosen import (possibly in another
# process) skips the slow part — reading and cleaning the same bytes again — and only re-runs the
# database checks, which may have changed meanwhile.
DATE_FIELDS = ("birth_date", "arrival_date")


def _cache_name(job: ImportJob) -> str:
    return f"{STORAGE_DIR}/checked/{job.pk}-{job.file_sha256}.json"


def _cache_save(job: ImportJob, checked: Checked) -> None:
    payload = {"total": checked.total, "sheet": checked.sheet, "format": checked.format,
               "rows": [[n, v] for n, v in checked.valid.items()], "errors": [e.as_dict() for e in checked.errors]}
    text = json.dumps(payload, ensure_ascii=False, default=str).encode()
    name = _cache_name(job)
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(text))


def _rendered(zh: str, en: str) -> Any:
    return lazy(lambda: en if (translation.get_language() or "").startswith("en") else zh, str)()


def _cache_load(job: ImportJob) -> Checked | None:
    name = _cache_name(job)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as fh:
        payload = json.loads(fh.read())
    checked = Checked(kind_get(job.kind), total=payload["total"], sheet=payload["sheet"], format=payload["format"])
    for number, values in payload["rows"]:
        for key in DATE_FIELDS:
            if values.get(key):
                values[key] = datetime.date.fromisoformat(values[key])
        checked.valid[number] = values
    checked.errors = [RowError(e["row"], e["column"], e["field"], _rendered(e["message"], e["message_en"]))
                      for e in payload["errors"]]
    return checked


def _cache_drop(job: ImportJob) -> None:
    name = _cache_name(job)
    if default_storage.exists(name):
        default_storage.delete(name)


def _report(checked: Checked) -> dict[str, Any]:
    return {"format": checked.format, "sheet": checked.sheet,
            "rejected": checked.rejected_rows, "errors": [e.as_dict() for e in checked.errors]}


def _finish(job: ImportJob, status: str, **fields: Any) -> None:
    for name, value in {"status": status, "finished_at": timezone.now(), **fields}.items():
        setattr(job, name, value)
    job.save()


def _fail(job: ImportJob, exc: FieldError) -> None:
    items = [{"field": f, "message": _in("zh-hans", m), "message_en": _in("en", m)} for f, m in exc.errors]
    _finish(job, ImportStatus.FAILED, report={**job.report, "file_errors": items})


def _in(language: str, message: Any) -> str:
    with translation.override(language):
        return str(message)


def _counts(checked: Checked) -> dict[str, int]:
    return {"total_rows": checked.total, "processed_rows": checked.total,
            "valid_rows": len(checked.valid), "rejected_rows": len(checked.rejected_rows)}


def import_job_check(job_id: int) -> ImportJob:
    """Run the dry run of a job (from ``tasks``): read, check every row, store the report."""
    job = ImportJob.objects.get(pk=job_id)
    ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.VALIDATING)
    try:
        checked = _read_cleaned(job)
        _cache_save(job, checked)
        check_against_database(checked, _actor_prefix(job.created_by))
    except FieldError as exc:
        _fail(job, exc)
        return job
    _finish(job, ImportStatus.VALIDATED, report=_report(checked), **_counts(checked))
    return job


def import_job_execute(job_id: int) -> ImportJob:
    """Carry out a chosen import (from ``tasks``): re-check the same rows, then write per the choice."""
    job = ImportJob.objects.get(pk=job_id)
    try:
        data = _verified_bytes(job)
        checked = _cache_load(job) or _read_cleaned(job, data)
        check_against_database(checked, _actor_prefix(job.created_by))
    except FieldError as exc:
        _fail(job, exc)
        return job
    _cache_drop(job)
    counts = _counts(checked)
    if job.choice == ImportChoice.ALL_OR_NOTHING and checked.errors:
        _finish(job, ImportStatus.REFUSED, report=_report(checked), imported_rows=0, **counts)
        return job
    try:
        with transaction.atomic():
            written = write_rows(checked, _progress(job.pk)) if checked.valid else 0
            _audit(job, checked, written)
    except IntegrityError:  # someone inserted the same keys since the check: nothing was written
        _fail(job, FieldError("file", _("Some rows were added by someone else meanwhile; nothing was "
                                        "imported. Check the file again.")))
        return job
    _finish(job, ImportStatus.IMPORTED, report=_report(checked), imported_rows=written, **counts)
    return job


def _audit(job: ImportJob, checked: Checked, written: int) -> None:
    from zhenwu.casework.services import audit_record

    audit_record(subject=f"registry.import:{job.pk}", actor=job.created_by, action="import",
                 data={"kind": job.kind, "choice": job.choice, "file_sha256": job.file_sha256,
                       "file_name": job.original_name, "total_rows": checked.total, "imported_rows": written,
                       "rejected_rows": len(checked.rejected_rows)})


def import_check_file(*, actor: User | None, kind: str, data: bytes) -> Checked:
    """Check a file without a job (for scripts and tests): the dry run in one call."""
    spec = kind_get(kind)
    return check_rows(open_table(data, spec), spec, prefix=_actor_prefix(actor))

"""Pure validation of one base-data record (no database queries), shared by services and imports.

Each ``<kind>_clean(data)`` takes a mapping of model field name → raw value (a string from a form,
a spreadsheet cell, a JSON value) and returns ``(cleaned, errors)``: ``cleaned`` holds python values
for every field of the kind (defaults for absent optional fields), ``errors`` a list of
``(field, message)`` pairs (messages are lazy translations; ``str()`` them in the wanted language).
A field with an error is left out of ``cleaned``.

References to other rows stay as codes, checked later against the database by the services:
``grid`` → the grid's area code, ``household`` → a household number, ``enterprise`` → a USCC.
Derived fields are never read from the input: a resident's ``birth_date`` and ``sex`` come from
the ID number.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import functools
import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from django.db import models
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.validation import clean_id_number, clean_mobile, clean_uscc, id_number_problem
from zhenwu.errors import FieldError
from zhenwu.registry.choices import (
    CareTag,
    HouseholdKind,
    OperatingStatus,
    PlaceKind,
    Relation,
    ResidentStatus,
    RiskLevel,
)
from zhenwu.registry.identity import id_birth_date, id_sex

Errors = list[tuple[str, Any]]
Cleaned = dict[str, Any]
Parser = Callable[[Any], Any]

_GRID_CODE = re.compile(r"^\d{15}(\d{3})?$")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)  # how a csv shows a long number cell: 1.10105E+17
_USCC_SHAPE = re.compile(r"^[0-9A-HJ-NP-RTUW-Y]{18}$")
NUMBER_CELL_DIGITS = 15  # a spreadsheet number keeps 15 significant digits; the rest become zeros
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
_TRUE = {"1", "true", "yes", "y", "是", "有", "√", "t"}
_FALSE = {"0", "false", "no", "n", "否", "无", "", "f"}
_LIST_SPLIT = re.compile(r"[,，、;；\s]+")
_STREAM_SCHEMES = ("rtsp://", "rtmp://", "http://", "https://")

# The Chinese terms staff type in spreadsheets, accepted whatever the installed catalogue says.
CHINESE_TERMS: dict[type[models.TextChoices], dict[str, str]] = {
    CareTag: {"独居老人": CareTag.ELDERLY_ALONE, "残疾人": CareTag.DISABLED, "低保": CareTag.DIBAO,
              "特困": CareTag.TEKUN, "重点青少年": CareTag.YOUTH, "退役军人": CareTag.VETERAN,
              "党员": CareTag.PARTY, "留守儿童": CareTag.LEFT_BEHIND_CHILD, "大病": CareTag.SEVERE_ILLNESS},
    HouseholdKind: {"户籍户": HouseholdKind.REGISTERED, "常住户": HouseholdKind.RESIDENT,
                    "出租户": HouseholdKind.RENTAL, "集体户": HouseholdKind.COLLECTIVE,
                    "空挂户": HouseholdKind.VACANT},
    ResidentStatus: {"户籍": ResidentStatus.REGISTERED, "常住": ResidentStatus.PERMANENT,
                     "流动": ResidentStatus.FLOATING, "户籍人口": ResidentStatus.REGISTERED,
                     "常住人口": ResidentStatus.PERMANENT, "流动人口": ResidentStatus.FLOATING},
    Relation: {"户主": Relation.HEAD, "本人": Relation.HEAD, "配偶": Relation.SPOUSE, "子女": Relation.CHILD,
               "子": Relation.CHILD, "女": Relation.CHILD, "父母": Relation.PARENT,
               "孙子女": Relation.GRANDCHILD, "兄弟姐妹": Relation.SIBLING, "租户": Relation.TENANT,
               "其他": Relation.OTHER},
    OperatingStatus: {"在业": OperatingStatus.OPERATING, "存续": OperatingStatus.OPERATING,
                      "停业": OperatingStatus.SUSPENDED, "注销": OperatingStatus.CANCELLED,
                      "吊销": OperatingStatus.REVOKED},
    RiskLevel: {"低": RiskLevel.LOW, "中": RiskLevel.MEDIUM, "高": RiskLevel.HIGH},
    PlaceKind: {"商铺": PlaceKind.SHOP, "店铺": PlaceKind.SHOP, "出租房": PlaceKind.RENTAL_HOUSE,
                "出租屋": PlaceKind.RENTAL_HOUSE, "学校": PlaceKind.SCHOOL, "医院": PlaceKind.HOSPITAL,
                "诊所": PlaceKind.HOSPITAL, "工厂": PlaceKind.FACTORY, "建筑工地": PlaceKind.CONSTRUCTION_SITE,
                "工地": PlaceKind.CONSTRUCTION_SITE, "餐饮": PlaceKind.RESTAURANT, "饭店": PlaceKind.RESTAURANT,
                "公共场所": PlaceKind.PUBLIC_VENUE, "其他": PlaceKind.OTHER},
}


class Invalid(ValueError):
    """A parser's complaint about one value (carries a lazy message)."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def _fmt(message: Any, **params: Any) -> Any:
    """Fill a lazy message's placeholders when it is shown, so it stays translatable."""
    return lazy(lambda: str(message) % params, str)()


_TODAY: contextvars.ContextVar[datetime.date | None] = contextvars.ContextVar("cleaning_today", default=None)


@contextlib.contextmanager
def one_day() -> Iterator[None]:
    """Clean a batch (a whole file) against one "today" instead of asking the clock for every row."""
    token = _TODAY.set(timezone.localdate())
    try:
        yield
    finally:
        _TODAY.reset(token)


def _today() -> datetime.date:
    return _TODAY.get() or timezone.localdate()


# --- value parsers (raw → python, or raise Invalid) -------------------------------------------------

def _as_text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # spreadsheets turn 13512342210 into 13512342210.0
    # NFKC: full-width digits and letters from a Chinese input method become ASCII; PostgreSQL refuses NUL.
    return unicodedata.normalize("NFKC", str(raw)).replace("\x00", "").strip()


@functools.cache
def text(max_length: int) -> Parser:
    def parse(raw: Any) -> str:
        value = _as_text(raw)
        if len(value) > max_length:
            raise Invalid(_fmt(_("Enter at most %(max)d characters."), max=max_length))
        return value
    return parse


def _from_field_error(clean: Callable[[str], str]) -> Parser:
    def parse(raw: Any) -> str:
        try:
            return clean(_as_text(raw).upper())
        except FieldError as exc:
            raise Invalid(exc.errors[0][1]) from exc
    return parse


parse_mobile = _from_field_error(clean_mobile)
parse_uscc = _from_field_error(clean_uscc)


def _parse_id_text(raw: Any) -> str:
    try:
        return clean_id_number(_as_text(raw).upper(), today=_today())
    except FieldError as exc:
        raise Invalid(exc.errors[0][1]) from exc


def _number_cell_digits(raw: Any) -> str | None:
    """The digits of a number cell (or of a csv's ``1.10105E+17``), None for a text value."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        return None
    if isinstance(raw, str):
        text = raw.strip()
        if not _SCIENTIFIC.match(text):
            return None
        raw = float(text)
    if isinstance(raw, float) and not (math.isfinite(raw) and raw.is_integer() and raw >= 0):
        return None
    return str(int(raw))


def _rounded(digits: str) -> Invalid:
    return Invalid(_fmt(_("This value was stored as a number, and a number cell keeps only 15 significant "
                          "digits: it reads %(value)s, so its last digits are lost. Format the column as text "
                          "(Format Cells → Text), type the values again, and upload the file again."), value=digits))


def parse_id_number(raw: Any) -> str:
    """An ID number; from a number cell only when all 18 digits survived (a rounded one is explained)."""
    digits = _number_cell_digits(raw)
    if digits is None or len(digits) <= NUMBER_CELL_DIGITS:
        return _parse_id_text(raw)
    # Excel keeps 15 significant digits, so a typed ID number ends in 000 and may even pass the check by
    # chance (1 in 11): never trust those. Other 18-digit numbers were stored exactly by another program.
    if len(digits) == 18 and not digits.endswith("000") and id_number_problem(digits, _today()) is None:
        return digits
    raise _rounded(digits)


def parse_uscc_cell(raw: Any) -> str:
    """A USCC; an all-digit one in a number cell has lost its last digits."""
    digits = _number_cell_digits(raw)
    if digits is not None and len(digits) > NUMBER_CELL_DIGITS:
        raise _rounded(digits)
    return parse_uscc(raw)


def parse_grid_ref(raw: Any) -> str:
    """A grid's code (15 or 18 digits) or its name (resolved in scope by the import)."""
    value = _as_text(raw)
    if value.isdigit() and not _GRID_CODE.match(value):
        raise Invalid(_("Enter a grid code of 15 or 18 digits, or the grid's name."))
    return text(100)(value)


def parse_enterprise_ref(raw: Any) -> str:
    """An enterprise's USCC (checked) or its name (resolved in scope)."""
    if _number_cell_digits(raw) is not None or _USCC_SHAPE.match(_as_text(raw).upper()):
        return parse_uscc_cell(raw)
    return text(200)(raw)


@functools.cache
def _choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Value, English label, Chinese label and a parenthesised Chinese term → value (case-insensitive)."""
    lookup: dict[str, str] = {term: str(value) for term, value in CHINESE_TERMS.get(choices, {}).items()}
    for value, label in choices.choices:
        for language in ("en", "zh-hans"):
            with translation.override(language):
                shown = str(label)
            lookup[shown.lower()] = str(value)
            inner = re.search(r"[(（]([^)）]+)[)）]", shown)
            if inner:
                lookup[inner.group(1).strip().lower()] = str(value)
        lookup[str(value).lower()] = str(value)
    return lookup


@functools.cache
def choice(choices: type[models.TextChoices]) -> Parser:
    def parse(raw: Any) -> str:
        value = _choice_lookup(choices).get(_as_text(raw).lower())
        if value is None:
            raise Invalid(_("Choose one of the allowed values."))
        return value
    return parse


def parse_date(raw: Any) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    value = _as_text(raw)
    with contextlib.suppress(ValueError):
        return datetime.date.fromisoformat(value)  # the common case, without strptime's cost
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise Invalid(_("Enter a valid date (YYYY-MM-DD)."))


def parse_past_date(raw: Any) -> datetime.date:
    value = parse_date(raw)
    if value > _today():
        raise Invalid(_("The date cannot be in the future."))
    return value


def _number(raw: Any, low: float, high: float) -> float:
    try:
        value = float(_as_text(raw))
    except ValueError as exc:
        raise Invalid(_("Enter a number.")) from exc
    if not low <= value <= high:
        raise Invalid(_fmt(_("Enter a number between %(low)s and %(high)s."), low=low, high=high))
    return value


def parse_lng(raw: Any) -> float:
    return _number(raw, -180, 180)


def parse_lat(raw: Any) -> float:
    return _number(raw, -90, 90)


def parse_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    value = _as_text(raw).lower()
    if value in _TRUE or value in _FALSE:
        return value in _TRUE
    raise Invalid(_("Enter yes or no."))


def parse_count(raw: Any) -> int:
    try:
        value = int(float(_as_text(raw)))
    except ValueError as exc:
        raise Invalid(_("Enter a whole number.")) from exc
    if value < 0:
        raise Invalid(_("The value is too small."))
    return value


def parse_tags(raw: Any) -> list[str]:
    items = raw if isinstance(raw, (list, tuple, set)) else _LIST_SPLIT.split(_as_text(raw))
    parse = choice(CareTag)
    return sorted({parse(item) for item in items if _as_text(item)})


def parse_stream_url(raw: Any) -> str:
    value = text(500)(raw)
    if not value.lower().startswith(_STREAM_SCHEMES):
        raise Invalid(_("Enter a stream URL starting with rtsp://, rtmp://, http:// or https://."))
    return value


# --- one record ----------------------------------------------------------------------------------

def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


class _Record:
    """Collects the cleaned values and the errors of one input mapping."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.cleaned: Cleaned = {}
        self.errors: Errors = []

    def field(self, name: str, parse: Parser, *, required: bool = False, default: Any = None) -> None:
        raw = self.data.get(name)
        if _blank(raw):
            if required:
                self.errors.append((name, _("This field is required.")))
            else:
                self.cleaned[name] = default
            return
        try:
            self.cleaned[name] = parse(raw)
        except Invalid as exc:
            self.errors.append((name, exc.message))

    def location(self) -> None:
        self.field("lng", parse_lng)
        self.field("lat", parse_lat)
        if (self.cleaned.get("lng") is None) != (self.cleaned.get("lat") is None) and not self.errors_for("lng", "lat"):
            self.errors.append(("lat", _("Enter both longitude and latitude, or neither.")))

    def errors_for(self, *names: str) -> bool:
        return any(field in names for field, _message in self.errors)

    def result(self) -> tuple[Cleaned, Errors]:
        return self.cleaned, self.errors


def resident_clean(data: Mapping[str, Any]) -> tuple[Cleaned, Errors]:
    """A resident: ID number (birth date and sex derived), name, mobile, status, floating details, tags."""
    rec = _Record(data)
    rec.field("id_number", parse_id_number, required=True)
    rec.field("name", text(50), required=True)
    rec.field("mobile", parse_mobile, default="")
    rec.field("grid", parse_grid_ref, required=True)
    rec.field("household", text(200), default="")  # a number, or an address (resolved by the import)
    rec.field("relation", choice(Relation), default="")
    rec.field("status", choice(ResidentStatus), required=True)
    rec.field("arrival_date", parse_past_date)
    rec.field("origin", text(100), default="")
    rec.field("tags", parse_tags, default=[])
    rec.location()
    _derive_identity(rec)
    _check_floating(rec)
    return rec.result()


def _derive_identity(rec: _Record) -> None:
    id_number = rec.cleaned.get("id_number")
    if id_number:
        rec.cleaned["birth_date"] = id_birth_date(id_number)
        rec.cleaned["sex"] = id_sex(id_number)


def _check_floating(rec: _Record) -> None:
    if rec.cleaned.get("status") != ResidentStatus.FLOATING:
        return
    if rec.cleaned.get("arrival_date") is None and not rec.errors_for("arrival_date"):
        rec.errors.append(("arrival_date", _("A floating resident needs an arrival date.")))
    if not rec.cleaned.get("origin") and not rec.errors_for("origin"):
        rec.errors.append(("origin", _("A floating resident needs a place of origin.")))
    birth, arrival = rec.cleaned.get("birth_date"), rec.cleaned.get("arrival_date")
    if birth and arrival and arrival < birth:
        rec.errors.append(("arrival_date", _("The arrival date is before the birth date.")))


def household_clean(data: Mapping[str, Any]) -> tuple[Cleaned, Errors]:
    """A household: number, address, type, grid, location (the head is set through its members)."""
    rec = _Record(data)
    rec.field("number", text(32), required=True)
    rec.field("address", text(200), required=True)
    rec.field("kind", choice(HouseholdKind), required=True)
    rec.field("grid", parse_grid_ref, required=True)
    rec.location()
    return rec.result()


def enterprise_clean(data: Mapping[str, Any]) -> tuple[Cleaned, Errors]:
    """An enterprise: USCC, name, legal representative, address, status, risk, listing, complaints."""
    rec = _Record(data)
    rec.field("uscc", parse_uscc_cell, required=True)
    rec.field("name", text(200), required=True)
    rec.field("legal_representative", text(50), required=True)
    rec.field("industry", text(100), default="")
    rec.field("address", text(200), required=True)
    rec.field("grid", parse_grid_ref, required=True)
    rec.field("operating_status", choice(OperatingStatus), default=OperatingStatus.OPERATING)
    rec.field("risk_level", choice(RiskLevel), default=RiskLevel.LOW)
    rec.field("abnormal_listed", parse_bool, default=False)
    rec.field("complaint_count", parse_count, default=0)
    rec.field("mobile", parse_mobile, default="")
    rec.location()
    return rec.result()


def place_clean(data: Mapping[str, Any]) -> tuple[Cleaned, Errors]:
    """A place or building: kind, name, address, grid, optional enterprise (by USCC) and contact."""
    rec = _Record(data)
    rec.field("kind", choice(PlaceKind), required=True)
    rec.field("name", text(200), required=True)
    rec.field("address", text(200), required=True)
    rec.field("grid", parse_grid_ref, required=True)
    rec.field("enterprise", parse_enterprise_ref, default="")
    rec.field("contact_name", text(50), default="")
    rec.field("contact_mobile", parse_mobile, default="")
    rec.location()
    return rec.result()


def camera_clean(data: Mapping[str, Any]) -> tuple[Cleaned, Errors]:
    """A camera: code, name, source system, stream URL, grid, location."""
    rec = _Record(data)
    rec.field("code", text(32), required=True)
    rec.field("name", text(200), required=True)
    rec.field("source_system", text(100), required=True)
    rec.field("stream_url", parse_stream_url, default="")
    rec.field("grid", parse_grid_ref, required=True)
    rec.location()
    return rec.result()


CLEANERS: dict[str, Callable[[Mapping[str, Any]], tuple[Cleaned, Errors]]] = {
    "resident": resident_clean,
    "household": household_clean,
    "enterprise": enterprise_clean,
    "place": place_clean,
    "camera": camera_clean,
}


@functools.cache
def input_fields(clean: Callable[[Mapping[str, Any]], tuple[Cleaned, Errors]]) -> tuple[str, ...]:
    """The input field names a cleaner reads (derived fields such as ``birth_date`` excluded)."""
    cleaned, errors = clean({})
    return tuple(dict.fromkeys([*cleaned, *(name for name, _message in errors)]))

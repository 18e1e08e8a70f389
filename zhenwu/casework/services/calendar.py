"""Working-day calendar writes: seeding from chinesecalendar and importing a year's CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.db import transaction

from zhenwu.casework.choices import CalendarSource, DayKind
from zhenwu.casework.models import CalendarDay, CalendarYear
from zhenwu.casework.workcal import calendar_invalidate
from zhenwu.errors import FieldError
from zhenwu.errors import gettext as _

CSV_COLUMNS = ("date", "kind", "name")


@dataclass(frozen=True)
class ImportResult:
    years: list[int]
    days: int


def _chinesecalendar_days() -> tuple[range, dict[dt.date, tuple[str, str]]]:
    from chinese_calendar import constants

    chinese = {h.value: h.chinese for h in constants.Holiday}  # the name staff read: 国庆节, not National Day
    days: dict[dt.date, tuple[str, str]] = {}
    for day, name in constants.holidays.items():
        days[day] = (DayKind.HOLIDAY, chinese.get(name, name))
    for day, name in constants.workdays.items():
        days[day] = (DayKind.WORKDAY, chinese.get(name, name))
    years = range(min(d.year for d in days), max(d.year for d in days) + 1)
    return years, days


def calendar_seed(*, using: str = "default") -> int:
    """Load the years chinesecalendar knows (2004–2026) unless already present; returns years added.

    Idempotent: years already in the table (seeded or imported) are left alone.
    """
    years, days = _chinesecalendar_days()
    with transaction.atomic(using=using):
        present = set(CalendarYear.objects.using(using).values_list("year", flat=True))
        todo = [y for y in years if y not in present]
        if not todo:
            return 0
        CalendarDay.objects.using(using).bulk_create(
            [CalendarDay(date=d, kind=k, name=n) for d, (k, n) in sorted(days.items()) if d.year in todo],
            ignore_conflicts=True)
        CalendarYear.objects.using(using).bulk_create(
            [CalendarYear(year=y, source=CalendarSource.CHINESECALENDAR) for y in todo],
            ignore_conflicts=True)
        transaction.on_commit(calendar_invalidate, using=using)
    calendar_invalidate()
    return len(todo)


def _parse_row(row: dict[str, str | None], rowno: int) -> tuple[CalendarDay | None, list[tuple[str, str]]]:
    errors: list[tuple[str, str]] = []
    try:
        day = dt.date.fromisoformat((row.get("date") or "").strip())
    except ValueError:
        errors.append(("date", _("row %(row)d: enter a date as YYYY-MM-DD.") % {"row": rowno}))
        day = None
    kind = (row.get("kind") or "").strip()
    if kind not in DayKind.values:
        errors.append(("kind", _("row %(row)d: kind must be workday or holiday.") % {"row": rowno}))
    if errors or day is None:
        return None, errors
    return CalendarDay(date=day, kind=kind, name=(row.get("name") or "").strip()[:64]), []


def calendar_parse_csv(text: str) -> list[CalendarDay]:
    """Parse ``date,kind,name`` rows; raise FieldError listing every bad row (by row number)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if tuple(f.strip() for f in (reader.fieldnames or ())) != CSV_COLUMNS:
        raise FieldError("file", _("The first line must be the header date,kind,name."))
    days: list[CalendarDay] = []
    errors: list[tuple[str | None, str]] = []
    seen: set[dt.date] = set()
    for rowno, row in enumerate(reader, start=2):
        day, row_errors = _parse_row(row, rowno)
        errors.extend(row_errors)
        if day is not None and day.date in seen:
            errors.append(("date", _("row %(row)d: the date appears twice.") % {"row": rowno}))
        elif day is not None:
            seen.add(day.date)
            days.append(day)
    if not days and not errors:
        errors.append(("file", _("The file has no rows.")))
    if errors:
        raise FieldError(None, errors=errors)
    return days


@transaction.atomic
def calendar_import(*, text: str) -> ImportResult:
    """Import a year's schedule (CSV ``date,kind,name``): replaces the days of every year in the file.

    All or nothing: any bad row raises FieldError and nothing is written.
    """
    days = calendar_parse_csv(text)
    years = sorted({d.date.year for d in days})
    for year in years:
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarYear.objects.update_or_create(year=year, defaults={"source": CalendarSource.IMPORT})
    CalendarDay.objects.bulk_create(days)
    calendar_invalidate()
    transaction.on_commit(calendar_invalidate)
    return ImportResult(years=years, days=len(days))

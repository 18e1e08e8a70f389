"""Working-day arithmetic in O(log n): a sorted list of working-day ordinals and bisect.

Every day gets a *rank* (how many working days up to and including it). Inside the confirmed
years the rank comes from bisecting the precomputed ordinals; outside them it comes from a
closed-form Monday–Friday count, joined on so ranks stay continuous. Adding n working days is
then "the first day whose rank is rank(start) + n" (the start day itself is not counted).
"""

from __future__ import annotations

import datetime as dt
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from typing import NamedTuple


def _weekdays_through(ordinal: int) -> int:
    """Monday–Friday days from 0001-01-01 (a Monday) up to and including ``ordinal``."""
    weeks, day = divmod(ordinal - 1, 7)
    return weeks * 5 + min(day + 1, 5)


def _nth_weekday(k: int) -> int:
    """Ordinal of the k-th Monday–Friday day counted from 0001-01-01 (inverse of the above)."""
    weeks, day = divmod(k - 1, 5)
    return weeks * 7 + day + 1


class WorkdayResult(NamedTuple):
    date: dt.date
    confirmed: bool


class WorkCalendar:
    """Immutable working-day index built from confirmed years and their exception days."""

    def __init__(self, years: Iterable[int], exceptions: Mapping[dt.date, bool]) -> None:
        """``exceptions`` maps a date to True (调休 working day) or False (holiday)."""
        self.years = sorted(set(years))
        if not self.years:
            self.lo, self.hi, self.ords, self.missing = 1, 0, [], []
            return
        self.lo = dt.date(self.years[0], 1, 1).toordinal()
        self.hi = dt.date(self.years[-1], 12, 31).toordinal()
        known = set(self.years)
        self.missing = [y for y in range(self.years[0], self.years[-1] + 1) if y not in known]
        self.ords = [o for o in range(self.lo, self.hi + 1) if self._works(o, exceptions)]
        self._below = _weekdays_through(self.lo - 1)
        self._above = _weekdays_through(self.hi) - len(self.ords)

    @staticmethod
    def _works(ordinal: int, exceptions: Mapping[dt.date, bool]) -> bool:
        day = dt.date.fromordinal(ordinal)
        flag = exceptions.get(day)
        return flag if flag is not None else day.weekday() < 5

    def rank(self, ordinal: int) -> int:
        """Working days up to and including ``ordinal`` (continuous across the covered range)."""
        if ordinal < self.lo:
            return _weekdays_through(ordinal) - self._below
        if ordinal > self.hi:
            return _weekdays_through(ordinal) - self._above
        return bisect_right(self.ords, ordinal)

    def unrank(self, r: int) -> int:
        """Ordinal of the first day whose rank is ``r``."""
        if 1 <= r <= len(self.ords):
            return self.ords[r - 1]
        if r < 1:
            return _nth_weekday(r + self._below)
        return _nth_weekday(r + self._above)

    def add(self, start: dt.date, days: int) -> dt.date:
        """The day ``days`` working days after ``start`` (start not counted; 0 → start)."""
        if days <= 0:
            return start if days == 0 else self.subtract(start, -days)
        return dt.date.fromordinal(self.unrank(self.rank(start.toordinal()) + days))

    def subtract(self, start: dt.date, days: int) -> dt.date:
        """The working day ``days`` working days before ``start``."""
        o = start.toordinal()
        r = self.rank(o) - (0 if self.is_workday(start) else -1) - days
        return dt.date.fromordinal(self.unrank(r))

    def add_workdays(self, start: dt.date, days: int) -> WorkdayResult:
        """Like ``add`` but also says whether every day in between lies in a confirmed year."""
        result = self.add(start, days)
        return WorkdayResult(result, self.confirmed(min(start, result), max(start, result)))

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d ≤ end (negative when end < start)."""
        return self.rank(end.toordinal()) - self.rank(start.toordinal())

    def is_workday(self, day: dt.date) -> bool:
        o = day.toordinal()
        return self.rank(o) - self.rank(o - 1) == 1

    def confirmed(self, first: dt.date, last: dt.date) -> bool:
        """True when every year from ``first`` to ``last`` has an imported schedule."""
        if first.toordinal() < self.lo or last.toordinal() > self.hi:
            return False
        i = bisect_left(self.missing, first.year)
        return i == len(self.missing) or self.missing[i] > last.year


def naive_add(start: dt.date, days: int, years: set[int], exceptions: Mapping[dt.date, bool]) -> dt.date:
    """Day-by-day reference implementation (the benchmark baseline and a test oracle)."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        flag = exceptions.get(day) if day.year in years else None
        if flag if flag is not None else day.weekday() < 5:
            days -= 1
    return day


_lock = threading.Lock()
_current: WorkCalendar | None = None


def calendar_current() -> WorkCalendar:
    """The process-wide index, built from the database on first use after an invalidation."""
    global _current
    cal = _current
    if cal is None:
        with _lock:
            cal = _current = _current or calendar_build()
    return cal


def calendar_invalidate() -> None:
    """Forget the index; called whenever calendar rows change (import, seed, flush)."""
    global _current
    _current = None


def calendar_build() -> WorkCalendar:
    from zhenwu.casework.models import CalendarDay, CalendarYear

    years = list(CalendarYear.objects.values_list("year", flat=True))
    exceptions = {d: k == "workday" for d, k in CalendarDay.objects.values_list("date", "kind")}
    return WorkCalendar(years, exceptions)

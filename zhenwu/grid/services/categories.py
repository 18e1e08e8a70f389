"""Category writes: major classes, minor categories and their immutable versions; the loader of the
built-in set (``category_data``, ``zhenwu grid_categories``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from zhenwu.accounts.models import Department, User
from zhenwu.casework.choices import DeadlineUnit
from zhenwu.errors import FieldError
from zhenwu.errors import gettext as _
from zhenwu.grid.category_data import MAJORS, MINORS, Major, Minor
from zhenwu.grid.choices import CategoryType, Priority
from zhenwu.grid.models import Category, CategoryVersion

TERMS = ("name", "department_name", "department", "limit_unit", "limit_value", "self_close", "priority")
LIMIT_UNITS = (DeadlineUnit.HOURS, DeadlineUnit.WORKING_DAYS)
MAX_LIMIT = {DeadlineUnit.HOURS: 24 * 30, DeadlineUnit.WORKING_DAYS: 60}


def terms_clean(data: dict[str, Any]) -> dict[str, Any]:
    errors: list[tuple[str | None, Any]] = []
    name = str(data.get("name") or "").strip()
    if not name or len(name) > 100:
        errors.append(("name", _("Enter a name of at most 100 characters.")))
    department_name = str(data.get("department_name") or "").strip()
    if not department_name or len(department_name) > 100:
        errors.append(("department_name", _("Name the handling department (at most 100 characters).")))
    unit = data.get("limit_unit")
    if unit not in LIMIT_UNITS:
        errors.append(("limit_unit", _("Choose hours or working days.")))
    value = data.get("limit_value")
    if not isinstance(value, int) or isinstance(value, bool) or value < 1 or (
            unit in MAX_LIMIT and value > MAX_LIMIT[unit]):
        errors.append(("limit_value", _("Enter a whole time limit of at least 1 (at most 720 hours or 60 "
                                        "working days).")))
    priority = data.get("priority") or Priority.NORMAL
    if priority not in Priority.values:
        errors.append(("priority", _("Choose normal, urgent or critical.")))
    department = data.get("department")
    if department is not None and not isinstance(department, Department):
        errors.append(("department", _("Choose a department.")))
    if errors:
        raise FieldError(None, errors=errors)
    return {"name": name, "department_name": department_name, "department": department, "limit_unit": unit,
            "limit_value": value, "self_close": bool(data.get("self_close")), "priority": priority}


def category_major_ensure(*, code: str, name: str, type: str, sort: int = 0) -> Category:
    """The major class ``code`` (created, or renamed when it exists)."""
    if type not in CategoryType.values:
        raise FieldError("type", _("Choose component or event."))
    major, created = Category.objects.get_or_create(code=code, defaults={"name": name, "type": type, "sort": sort})
    if not created and (major.name, major.type) != (name, type):
        major.name, major.type = name, type
        major.save(update_fields=["name", "type"])
    return major


@transaction.atomic
def category_version_create(*, category: Category, actor: User | None, **terms: Any) -> CategoryVersion:
    """A new immutable version of a minor category's terms, made current. Incidents already reported keep
    the version they were reported under."""
    clean = terms_clean({**{t: getattr(category.current_version, t, None) for t in TERMS}, **terms}
                         if category.current_version_id else terms)
    locked = Category.objects.select_for_update().get(pk=category.pk)
    last = locked.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = CategoryVersion.objects.create(category=locked, number=last + 1, created_by=actor, **clean)
    locked.current_version, locked.name = version, clean["name"]
    locked.save(update_fields=["current_version", "name"])
    category.current_version, category.name = version, clean["name"]
    return version


@transaction.atomic
def category_minor_create(*, code: str, major: Category, actor: User | None, sort: int = 0,
                          **terms: Any) -> Category:
    """A minor category under ``major`` with its first version."""
    if major.parent_id is not None:
        raise FieldError("parent", _("A minor category sits under a major class."))
    if not code or Category.objects.filter(code=code).exists():
        raise FieldError("code", _("This category code is taken."))
    clean = terms_clean(terms)
    minor = Category.objects.create(code=code, name=clean["name"], type=major.type, parent=major, sort=sort)
    category_version_create(category=minor, actor=actor, **clean)
    return minor


def _same_terms(version: CategoryVersion | None, row: Minor) -> bool:
    return version is not None and (version.name, version.department_name, version.limit_unit,
                                     version.limit_value, version.self_close, version.priority) == (
        row.name, row.department, row.unit, row.value, row.self_close, row.priority)


@transaction.atomic
def categories_load(*, majors: Iterable[Major] = MAJORS, minors: Iterable[Minor] = MINORS,
                    actor: User | None = None) -> list[Category]:
    """Load (or bring up to date) the built-in categories: a changed row gets a new version, an unchanged
    one is left alone. Returns the minor categories loaded, in order."""
    by_code = {m.code: category_major_ensure(code=m.code, name=m.name, type=m.type, sort=i)
               for i, m in enumerate(majors)}
    loaded: list[Category] = []
    for i, row in enumerate(minors):
        major = by_code.get(row.code[:3]) or Category.objects.get(code=row.code[:3])
        terms = {"name": row.name, "department_name": row.department, "limit_unit": row.unit,
                 "limit_value": row.value, "self_close": row.self_close, "priority": row.priority}
        minor = Category.objects.filter(code=row.code).select_related("current_version").first()
        if minor is None:
            minor = category_minor_create(code=row.code, major=major, actor=actor, sort=i, **terms)
        elif not _same_terms(minor.current_version, row):
            category_version_create(category=minor, actor=actor, **terms)
        loaded.append(minor)
    return loaded

"""The built-in categories: enough realistic minor categories under the DOMAIN.md major classes; loading
is idempotent and a changed term makes a new version (incidents keep theirs)."""

from __future__ import annotations

import pytest

from zhenwu.casework.choices import DeadlineUnit
from zhenwu.errors import FieldError
from zhenwu.grid.category_data import MAJORS, MINORS
from zhenwu.grid.models import Category, CategoryVersion
from zhenwu.grid.services.categories import categories_load, category_version_create

pytestmark = pytest.mark.django_db

EVENT_MAJORS = {"市容环境", "宣传广告", "施工管理", "突发事件", "街面秩序", "其他事件"}
PART_MAJORS = {"公用设施", "道路交通", "市容环境", "园林绿化", "房屋土地", "其他设施"}


def test_the_data_has_sixty_minor_categories_under_the_domain_major_classes() -> None:
    assert len(MINORS) >= 60
    assert len({m.code for m in MINORS}) == len(MINORS)
    assert {m.name for m in MAJORS if m.type == "event"} == EVENT_MAJORS
    assert {m.name for m in MAJORS if m.type == "part"} == PART_MAJORS
    majors = {m.code for m in MAJORS}
    assert all(m.code[:3] in majors for m in MINORS)
    assert all(m.unit in (DeadlineUnit.HOURS, DeadlineUnit.WORKING_DAYS) and m.value > 0 for m in MINORS)
    assert any(m.self_close for m in MINORS) and not all(m.self_close for m in MINORS)


def test_load_twice_is_idempotent_and_a_change_makes_a_new_version() -> None:
    loaded = categories_load()
    assert len(loaded) == len(MINORS)
    assert Category.objects.filter(parent__isnull=True).count() == len(MAJORS)
    categories_load()
    assert CategoryVersion.objects.count() == len(MINORS)
    first = MINORS[0]
    changed = [first._replace(value=first.value + 12), *MINORS[1:]]
    categories_load(minors=changed)
    cat = Category.objects.get(code=first.code)
    assert cat.versions.count() == 2
    assert cat.current_version is not None and cat.current_version.number == 2
    assert cat.current_version.limit_value == first.value + 12
    assert cat.versions.get(number=1).limit_value == first.value  # the old version stays as it was


def test_a_version_with_bad_terms_is_refused_and_nothing_changes() -> None:
    cat = categories_load(minors=MINORS[:1])[0]
    with pytest.raises(FieldError) as caught:
        category_version_create(category=cat, actor=None, limit_unit="weeks", limit_value=0)
    assert {f for f, _m in caught.value.errors} == {"limit_unit", "limit_value"}
    assert cat.versions.count() == 1

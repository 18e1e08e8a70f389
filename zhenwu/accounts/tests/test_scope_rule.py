"""The one scope rule (``accounts.scope``): what each kind of user sees of any queryset, and that the
selectors of every layer answer with it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from zhenwu.accounts.choices import Role
from zhenwu.accounts.scope import EVERYTHING, in_scope, restrict, scope_prefix
from zhenwu.accounts.selectors import staff_list
from zhenwu.areas.models import Area
from zhenwu.casework.models import Case
from zhenwu.casework.selectors import case_list
from zhenwu.casework.services import case_create
from zhenwu.registry.models import Resident
from zhenwu.registry.selectors import scoped
from zhenwu.registry.tests import factories
from zhenwu.testing import COUNTY, GRID_A, GRID_B, TEST_KIND, TOWN, VILLAGE_A, VILLAGE_B, make_staff

pytestmark = pytest.mark.django_db

OTHER_TOWN = "321181103201001001"  # same county, another town
AREAS = {"grid_a": GRID_A, "grid_b": GRID_B, "village_a": VILLAGE_A, "village_b": VILLAGE_B, "town": TOWN,
         "other_town": OTHER_TOWN}


@pytest.fixture
def cases(town, personas):
    """One case filed at each level, by the county administrator."""
    return {name: case_create(kind=TEST_KIND, process="generic", area_code=code, title=name,
                              actor=personas.admin).number
            for name, code in AREAS.items()}


@pytest.fixture
def users(town, personas):
    return {
        "grid_a": personas.grid_worker_a,
        "village_a": make_staff("vs_a", roles=[Role.VILLAGE_STAFF], scope=town.village_a),
        "town": personas.town_staff,
        "county": personas.county_staff,
        "no_scope": make_staff("floating", roles=[Role.WINDOW_CLERK], scope=None),
        "operator": make_staff("root", roles=[], scope=None, is_staff=True, is_superuser=True),
        "citizen": personas.citizen,
        "anonymous": AnonymousUser(),
    }


# who → the cases (by where they were filed) the scope shows
SEES = {
    "grid_a": {"grid_a"},
    "village_a": {"grid_a", "village_a"},
    "town": {"grid_a", "grid_b", "village_a", "village_b", "town"},
    "county": set(AREAS),
    "no_scope": set(),
    "operator": set(),  # cases are filed in a scope: an account without one sees none
    "citizen": set(),
    "anonymous": set(),
}


@pytest.mark.parametrize("who", list(SEES))
def test_restrict_shows_each_user_the_rows_of_their_scope_only(cases, users, who):
    user = users[who]
    seen = set(restrict(Case.objects.all(), user).values_list("number", flat=True))
    assert seen == {cases[name] for name in SEES[who]}
    # the one-row question answers the same as the queryset
    assert {name for name, code in AREAS.items() if in_scope(user, code)} == SEES[who]
    # and the kernel's selector is that rule
    assert set(case_list(user=user).values_list("number", flat=True)) == seen


def test_the_rule_follows_any_field_across_relations(town, users):
    village = set(restrict(Area.objects.all(), users["village_a"], field="code").values_list("code", flat=True))
    assert village and all(code.startswith(VILLAGE_A) for code in village)
    assert VILLAGE_B not in village and TOWN not in village
    staff = restrict(type(users["town"]).objects.all(), users["village_a"], field="scope_area__code")
    assert set(staff.values_list("username", flat=True)) == {"gw_a", "vs_a"}


def test_an_operator_sees_everything_only_where_the_caller_says_so(town, users):
    operator = users["operator"]
    assert scope_prefix(operator) is None and scope_prefix(operator, operator=True) == EVERYTHING
    assert restrict(Area.objects.all(), operator, field="code", operator=True).count() == Area.objects.count()
    assert not restrict(Area.objects.all(), operator, field="code").exists()
    # an ordinary staff member without a scope is no operator, and neither is a citizen marked superuser
    users["citizen"].is_superuser = True
    for who in ("no_scope", "citizen", "anonymous"):
        assert scope_prefix(users[who], operator=True) is None


def test_base_data_and_staff_lists_use_the_rule_with_the_operator(town, users):
    factories.resident(town.grid_a)
    assert scoped(Resident, users["grid_a"]).count() == 1
    assert scoped(Resident, users["town"]).count() == 1
    assert scoped(Resident, users["no_scope"]).count() == 0
    assert scoped(Resident, users["operator"]).count() == 1
    assert set(staff_list(user=users["village_a"]).values_list("username", flat=True)) == {"gw_a", "vs_a"}
    county = set(staff_list(user=users["county"]).values_list("username", flat=True))
    assert {"gw_a", "gw_b", "vs_a", "clerk", "county", "admin"} <= county and "floating" not in county
    assert scope_prefix(users["county"]) == COUNTY

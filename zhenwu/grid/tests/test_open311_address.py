"""An Open311 request located by an address alone goes to the grid of what the address names (best effort):
a household by its number (``address_id``), a registry address (equal, or written inside the address sent),
a place's name, a grid's or a village's name — else the configured grid, else 400 with nothing written."""

from __future__ import annotations

import pytest

from zhenwu.grid.models import Incident
from zhenwu.grid.open311.address import address_grid, normalise
from zhenwu.grid.tests.open311_spec import CREATED, check, check_errors
from zhenwu.registry.tests import factories
from zhenwu.testing import GRID_A, GRID_B, SCHOOL

pytestmark = pytest.mark.django_db


def filed_in(world, **fields) -> Incident:
    created = check(world.post("json", service_code="P0101", **fields), "json", CREATED)[0]
    return Incident.objects.select_related("case").get(case__number=created["service_request_id"])


def test_a_households_address_places_the_request_in_its_grid(world, town):
    factories.household(town.grid_b, address="西河村幸福路18号", number="H-XH-0018")
    incident = filed_in(world, address_string="西河村幸福路18号")
    assert incident.case.area_code == GRID_B and incident.lat is None and incident.address == "西河村幸福路18号"
    assert filed_in(world, address_string="西河村 幸福路１８号 门口东侧").case.area_code == GRID_B  # inside it
    assert filed_in(world, address_string="路口", address_id="H-XH-0018").case.area_code == GRID_B  # by its number


def test_a_places_address_or_name_places_the_request(world, town):
    factories.place(town.school, name="东山小学", address="东山村学府路1号")
    factories.place(town.grid_b, name="西河农贸市场", address="西河村集镇街9号")
    assert filed_in(world, address_string="东山村学府路1号南门").case.area_code == SCHOOL
    assert filed_in(world, address_string="西河农贸市场北门外").case.area_code == GRID_B


def test_the_longest_match_wins(world, town):
    factories.household(town.grid_a, address="东山村8号")
    factories.household(town.grid_b, address="东山村8号楼西河片")  # a longer address that also fits
    assert filed_in(world, address_string="东山村8号楼西河片3单元").case.area_code == GRID_B


def test_an_area_name_places_it_in_that_grid_or_in_a_grid_of_that_village(world, town, settings):
    assert filed_in(world, address_string="西河村第一网格桥头").case.area_code == GRID_B
    assert filed_in(world, address_string="西河村村口").case.area_code == GRID_B  # the village's grid
    settings.OPEN311_ADDRESS_GRID = GRID_A
    assert filed_in(world, address_string="东山村村口").case.area_code == GRID_A  # the configured one, in that village
    assert filed_in(world, address_string="西河村村口").case.area_code == GRID_B  # not in village B: B's own


def test_nothing_known_falls_back_to_the_configured_grid_or_is_refused(world, settings):
    response = world.post("json", service_code="P0101", address_string="人民路口")
    check_errors(response, "json", 400)
    assert "address_string" in response.content.decode() and not Incident.objects.exists()
    settings.OPEN311_ADDRESS_GRID = GRID_B
    assert filed_in(world, address_string="人民路口").case.area_code == GRID_B
    settings.OPEN311_ADDRESS_GRID = "110101001001001001"  # a grid of another town is not taken
    check_errors(world.post("json", service_code="P0101", address_string="人民路口"), "json", 400)


def test_short_or_foreign_registry_rows_do_not_match(town, world):
    factories.household(town.grid_b, address="3号")  # too short to be found inside another address
    assert address_grid(town.town, address="东山路3号") is None
    assert address_grid(town.town, address="", address_id="H-NONE") is None
    assert normalise(" 东山村 ７号 ") == "东山村7号"

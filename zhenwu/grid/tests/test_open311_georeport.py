"""A published Open311 client library, unchanged (``georeport`` from PyPI: services, definitions and
requests, in JSON and XML), reads a live server: what it parses is what we meant."""

from __future__ import annotations

import pytest

from zhenwu.grid.tests.open311_spec import CREATED, check

georeport = pytest.importorskip("georeport")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_georeport_library_reads_services_definitions_and_requests(world, live_server, transactional_db, fmt):
    number = check(world.report("json", code="E0101"), "json", CREATED)[0]["service_request_id"]
    client = georeport.GeoReport(f"{live_server.url}/open311/v2", output_format=fmt)
    services = client.get_service_list()
    assert {s["service_code"] for s in services} == set(world.categories)
    definition = client.get_service_definition("E0101")
    attributes = definition["attributes"]
    if fmt == "xml":  # xmltodict nests list items under their element name
        attributes = attributes["attribute"]
    assert attributes[0]["code"] == "AMOUNT"
    found = client.get_service_requests(service_request_id=number)
    found = found if isinstance(found, list) else [found]
    assert [r["service_request_id"] for r in found] == [number]
    one = client.get_service_request(number)
    one = one[0] if isinstance(one, list) else one
    assert one["status"] == "open" and one["service_code"] == "E0101"

"""Privacy (issue 13 §7): civil affairs of the scope and the village worker of the household's grid see a file;
everyone else sees counts; every view of a file is audited; the kernel's generic reads keep JZ cases from them."""

from __future__ import annotations

import pytest

from zhenwu.assistance import policy
from zhenwu.assistance.models import AssistanceFile
from zhenwu.assistance.services.applications import application_file
from zhenwu.assistance.tests.conftest import make_family
from zhenwu.casework.models import AuditEntry
from zhenwu.registry.tests.factories import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(people, family):
    return application_file(actor=people.civil, kind="dibao", applicant_id=family.head.pk, reason="因病致贫",
                            channel="window")


def test_who_sees_a_file_of_grid_a(people, filed):
    file = filed.file
    seen = {name: policy.file_visible(getattr(people, name), file) for name in
            ("civil", "worker_a", "worker_b", "village_a", "clerk", "supervisor", "civil_b")}
    assert seen == {"civil": True, "worker_a": True, "worker_b": False, "village_a": True, "clerk": False,
                    "supervisor": False, "civil_b": False}
    listed = {name: list(policy.files_visible(getattr(people, name))) for name in seen}
    assert listed == {name: [file] if ok else [] for name, ok in seen.items()}


def test_an_ended_grid_assignment_no_longer_opens_the_file(people, filed):
    import datetime

    people.worker_a.grid_assignments.update(ended_on=datetime.date(2025, 1, 2))
    assert not policy.file_visible(people.worker_a, filed.file)


def test_the_file_page_answers_404_to_those_who_may_not_see_it_and_every_view_is_audited(people, filed):
    url = f"/api/v1/assistance/files/{filed.file_id}"
    codes = {name: client_for(getattr(people, name)).get(url).status_code
             for name in ("civil", "worker_a", "worker_b", "clerk", "supervisor")}
    assert codes == {"civil": 200, "worker_a": 200, "worker_b": 404, "clerk": 404, "supervisor": 404}
    views = AuditEntry.objects.filter(subject=f"assistance.file:{filed.file_id}", action="view")
    assert sorted(views.values_list("actor__username", flat=True)) == ["civil", "vw_a"]
    client_for(people.civil).get(f"/api/v1/assistance/applications/{filed.case.number}")
    last = views.last()
    assert views.count() == 3 and last is not None and last.data == {"via": f"application:{filed.case.number}"}


def test_everyone_else_sees_counts_without_names(people, filed, town):
    make_family(town.grid_b, name="赵四")  # a household of grid B without a file
    AssistanceFile.objects.filter(pk=filed.file_id).update(status="dibao")
    for name in ("clerk", "supervisor", "worker_b"):
        counts = client_for(getattr(people, name)).get("/api/v1/assistance/files/counts").json()
        expected = [] if name == "worker_b" else [
            {"village": "321181102201", "village_name": "东山村", "status": "dibao",
             "status_label": "最低生活保障（低保）", "count": 1}]
        assert counts == expected
        assert client_for(getattr(people, name)).get("/api/v1/assistance/files").json()["items"] == []
        assert client_for(getattr(people, name)).get("/api/v1/assistance/applications").json()["items"] == []
    apps = client_for(people.supervisor).get("/api/v1/assistance/applications/counts").json()
    assert apps == [{"kind": "dibao", "kind_label": "最低生活保障（低保）", "status": "submitted",
                     "status_label": "申请", "count": 1}]


def test_the_kernels_generic_reads_keep_the_case_from_those_who_may_not_see_the_file(people, filed):
    number = filed.case.number
    for path in ("", "/timeline", "/attachments"):
        url = f"/api/v1/casework/cases/{number}{path}"
        assert client_for(people.clerk).get(url).status_code == 404  # in the clerk's scope, but not theirs to read
        assert client_for(people.civil).get(url).status_code == 200
        assert client_for(people.worker_a).get(url).status_code == 200
    overdue = client_for(people.supervisor).get("/api/v1/casework/supervision/overdue?kind=JZ")
    assert overdue.status_code == 200 and overdue.json()["items"] == []


def test_the_generic_transition_endpoint_refuses_an_assistance_case(people, filed):
    url = f"/api/v1/casework/cases/{filed.case.number}/transitions"
    response = client_for(people.civil).post(url, {"action": "accept"}, content_type="application/json")
    assert response.status_code == 403
    filed.case.refresh_from_db()
    assert filed.case.status == "submitted"


def test_the_kind_maps_a_case_to_its_application_and_page(filed):
    from zhenwu.casework.kinds import case_pillar, case_url

    assert case_pillar(filed.case) == filed
    assert case_url(filed.case) == f"/assistance/applications/{filed.case.number}/"

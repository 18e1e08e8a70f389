"""Items are versioned: an edit makes a new version and never changes running cases."""

import pytest

from zhenwu.errors import FieldError
from zhenwu.services.models import ServiceItemVersion
from zhenwu.services.services import application_accept, catalogue_load, service_item_update
from zhenwu.services.tests.factories import item_data, window_app

pytestmark = pytest.mark.django_db


def test_an_edit_makes_a_new_version_and_running_cases_keep_theirs(hall, item):
    app = window_app(hall)
    version = service_item_update(actor=hall.leader, item=item, changes={"chain": ["approval"],
                                                                         "promised_limit_days": 5})
    assert version.number == 2
    item.refresh_from_db()
    assert item.current_version == version
    application_accept(actor=hall.clerk, application=app)
    assert app.item_version.number == 1 and app.case.status == "first_review"
    newer = window_app(hall)
    application_accept(actor=hall.clerk, application=newer)
    assert newer.case.status == "approval" and newer.case.deadline_limit == 5


def test_an_unchanged_edit_makes_no_version(item):
    assert service_item_update(actor=None, item=item, changes={"fees": "不收费"}).number == 1


def test_the_loader_upserts_by_code(db):
    entry = {"code": "320000-RS-0001", **item_data(name="灵活就业人员参保登记", department="人社")}
    assert catalogue_load(items=[entry]) == {"created": 1, "updated": 0, "unchanged": 0}
    assert catalogue_load(items=[entry]) == {"created": 0, "updated": 0, "unchanged": 1}
    assert catalogue_load(items=[{**entry, "promised_limit_days": 1}])["updated"] == 1
    assert ServiceItemVersion.objects.filter(item__code="320000-RS-0001").count() == 2


def test_it_rejects_a_chain_out_of_order(item):
    with pytest.raises(FieldError) as err:
        service_item_update(actor=None, item=item, changes={"chain": ["approval", "first_review"]})
    assert err.value.field == "chain"

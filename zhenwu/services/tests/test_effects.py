"""The hall's side effects are declared on its process definitions and run by the kernel's transition()."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from zhenwu.casework.models import CaseFilingStat, OutboxMessage
from zhenwu.casework.process import effect_get, effect_in_transaction, effect_register, process_get, process_load
from zhenwu.services import effects
from zhenwu.services.models import SupervisionTask
from zhenwu.services.process import (
    ACCEPTED,
    DECIDED,
    RATING_LINK,
    REJECTED,
    STATS_DECIDED,
    SUPERVISION,
    SUPPLEMENT,
    definition,
    process_key,
)
from zhenwu.services.services import (
    application_accept,
    application_deliver,
    application_review,
)
from zhenwu.services.tests.factories import make_item, window_app
from zhenwu.testing import sms_delivered_to

MOBILE = "13512342210"


def _effects(data: dict[str, Any]) -> dict[str, list[str]]:
    return {a["key"]: list(a.get("effects", [])) for a in data["actions"]}


@pytest.mark.parametrize("chain", [["first_review", "approval"], []])
@pytest.mark.parametrize("pre", [False, True])
def test_the_definition_names_every_notification_of_the_case_as_an_effect(chain: list[str], pre: bool) -> None:
    found = _effects(definition(code="320000-MZ-0001", version=1, chain=chain, promised=3, pre=pre))
    assert found["accept"] == [ACCEPTED]  # the 查询码 SMS
    assert found["reject"] == [REJECTED]
    assert found["request_supplement"] == [SUPPLEMENT]
    assert found["approve"] == [STATS_DECIDED, SUPERVISION, DECIDED]
    assert found["deny"] == [STATS_DECIDED, DECIDED]
    assert found["deliver"] == [RATING_LINK]  # the rating link
    process_load(definition(code="320000-MZ-0001", version=1, chain=chain, promised=3, pre=pre))  # all registered
    instant = _effects(definition(code="320000-GA-0002", version=1, chain=[], promised=0, pre=pre))
    assert instant["accept"] == [STATS_DECIDED, ACCEPTED]  # 即办件: decided at 受理


def test_the_effects_are_registered_to_run_inside_the_transition() -> None:
    for name, fn in effects.EFFECTS.items():
        assert effect_get(name) is fn and effect_in_transaction(name)


@pytest.mark.django_db
def test_an_item_process_built_from_the_database_carries_the_effects(item: Any) -> None:
    proc = process_get(process_key(item.code, item.current_version.number, "window"))
    assert proc.actions["deliver"].effects == (RATING_LINK,)


@pytest.fixture
def broken_decision_sms() -> Iterator[None]:
    def fail(**kw: Any) -> None:
        OutboxMessage.objects.create(channel="sms", recipient=MOBILE, body="half written",
                                     next_attempt_at=timezone.now())
        raise RuntimeError("SMS template broken")

    effect_register(DECIDED, fail, in_transaction=True)
    yield
    effect_register(DECIDED, effects.sms_decided, in_transaction=True)


@pytest.mark.django_db
def test_a_failing_effect_does_not_undo_the_decision_nor_the_other_effects(hall: Any, town: Any,
                                                                          broken_decision_sms: None) -> None:
    make_item("320000-CJ-0009", name="店招店牌设置许可", department="城建", supervision=True)
    app = window_app(hall, code="320000-CJ-0009")
    application_accept(actor=hall.clerk, application=app)
    application_review(actor=hall.reviewer, application=app, step="first_review", opinion="齐全", approve=True)
    application_review(actor=hall.leader, application=app, step="approval", opinion="同意", approve=True)
    app.refresh_from_db()
    assert (app.case.status, app.result) == ("finished", "approved")  # the transition stands
    assert SupervisionTask.objects.filter(application=app).count() == 1  # the effect before it ran
    assert CaseFilingStat.objects.get().finished == 1
    assert not OutboxMessage.objects.filter(body="half written").exists()  # the failed effect undone alone
    texts = sms_delivered_to(MOBILE)
    assert len(texts) == 2 and app.case.number in texts[1]  # received, accepted; no decision SMS
    application_deliver(actor=hall.clerk, application=app, mode="window", signature="王芳")
    assert len(sms_delivered_to(MOBILE)) == len(texts) + 1  # the next action's effect still sends

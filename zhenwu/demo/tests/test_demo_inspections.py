"""The demo town's two completed random-inspection plans: drawn by the services, verifiable, published in time."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from zhenwu.demo.services import build_county, demo_reset
from zhenwu.enforcement.models import Officer
from zhenwu.enforcement.models_inspection import InspectionPlan, InspectionResult, PlanStatus
from zhenwu.enforcement.services.inspections import plan_verify

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_demo_has_two_completed_verifiable_plans(demo_settings):
    build_county(seed=1, scale=0.02)
    plans = list(InspectionPlan.objects.order_by("draw_date"))
    assert len(plans) == 2 and {p.status for p in plans} == {PlanStatus.CLOSED}
    assert Officer.objects.count() >= 6
    for plan in plans:
        assert plan.targets.exists() and not plan.targets.filter(result=InspectionResult.PENDING).exists()
        assert plan_verify(plan) == []
        assert plan.published_at and plan.publish_due and plan.published_at.date() <= plan.publish_due
        call_command("enforcement", "verify-draw", plan.number)
        assert Client().get(f"/api/v1/enforcement/inspections/public/plans/{plan.number}/draw-inputs.json"
                            ).status_code == 200
    build_county(seed=1, scale=0.02)  # again: kept
    assert InspectionPlan.objects.count() == 2
    demo_reset()
    assert not InspectionPlan.objects.exists()

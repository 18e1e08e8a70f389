"""Input and output schemas of /api/v1/assistance/rules, /grants and /payments (names unique API-wide)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

Money = Decimal


class AssistanceTierIn(Schema):
    lower: Money
    upper: Money | None = None
    rate_percent: Money


class AssistanceCategoryIn(Schema):
    line_factor: Money
    cap_monthly: Money
    tiers: list[AssistanceTierIn]


class AssistanceRuleSetIn(Schema):
    """A new version of a town's rules; every category, every expenditure cap and the household cap are required."""

    town_code: str = Field(..., max_length=24)
    effective_from: dt.date
    local_standard: Money
    household_cap_yearly: Money
    categories: dict[str, AssistanceCategoryIn]
    item_caps: dict[str, Money]
    add_ons: dict[str, Money] = {}
    note: str = Field("", max_length=200)
    dry_run: bool = False


class AssistanceTierOut(Schema):
    lower: Money
    upper: Money | None
    rate_percent: Money


class AssistanceCategoryOut(Schema):
    category: str
    category_label: str
    line_factor: Money
    cap_monthly: Money
    tiers: list[AssistanceTierOut]


class AssistanceRuleSetOut(Schema):
    id: int
    town_code: str
    version: int
    effective_from: dt.date
    local_standard: Money
    household_cap_yearly: Money
    note: str
    published_at: dt.datetime


class AssistanceRuleSetDetailOut(AssistanceRuleSetOut):
    categories: list[AssistanceCategoryOut]
    item_caps: dict[str, Money]
    add_ons: dict[str, Money]


class AssistanceRecomputedOut(Schema):
    grant_id: int
    household_number: str
    kind: str
    starts: dt.date
    old_amount: Money
    new_amount: Money
    new_grant_id: int | None


class AssistancePublishOut(Schema):
    dry_run: bool
    rule_set: AssistanceRuleSetDetailOut | None
    changes: list[AssistanceRecomputedOut]


class AssistanceStepOut(Schema):
    code: str
    text: str
    value: str
    capped: bool
    params: dict[str, object]


class AssistanceCalcOut(Schema):
    amount: Money
    rule_set_id: int
    rule_version: int
    category: str
    steps: list[AssistanceStepOut]
    inputs: dict[str, object]


class AssistanceGrantIn(Schema):
    file_id: int
    kind: str = Field(..., max_length=16)
    start: dt.date
    end: dt.date | None = None
    application_number: str = Field("", max_length=40)


class AssistanceGrantStopIn(Schema):
    last_month: str = Field(..., max_length=10, description="YYYY-MM: the last month paid")
    reason: str = Field(..., max_length=200)


class AssistanceGrantOut(Schema):
    id: int
    file_id: int
    household_number: str
    area_code: str
    kind: str
    kind_label: str
    category: str
    monthly_amount: Money
    period_start: dt.date
    period_end: dt.date
    status: str
    stopped_reason: str
    rule_set_id: int
    rule_version: int
    previous_id: int | None
    application_number: str


class AssistanceGrantDetailOut(AssistanceGrantOut):
    steps: list[AssistanceStepOut]
    inputs: dict[str, object]


class AssistancePaymentDrawIn(Schema):
    village: str = Field(..., max_length=24)
    month: str = Field(..., max_length=10, description="YYYY-MM")


class AssistancePaymentApproveIn(Schema):
    expected_version: int | None = Field(None, ge=1, le=2_000_000_000)


class AssistancePaymentLineOut(Schema):
    household_number: str
    payee_name: str
    category: str
    amount: Money
    status: str
    note: str
    grant_id: int


class AssistancePaymentListOut(Schema):
    id: int
    village_code: str
    village_name: str
    month: str
    status: str
    version: int
    total: Money
    lines: int


class AssistancePaymentListDetailOut(AssistancePaymentListOut):
    items: list[AssistancePaymentLineOut]
    totals_by_status: dict[str, Money]


class AssistanceTotalsRowOut(Schema):
    village_code: str
    category: str
    households: int
    amount: Money


class AssistanceStatusTotalOut(Schema):
    households: int
    amount: Money


class AssistanceTotalsOut(Schema):
    """Households paid and amounts per village × category; every line status (pay, stopped, held) counted."""

    month: str
    rows: list[AssistanceTotalsRowOut]
    by_status: dict[str, AssistanceStatusTotalOut]
    households: int
    amount: Money


class AssistancePayeeIn(Schema):
    holder_name: str = Field(..., max_length=50)
    holder_id_number: str = Field(..., max_length=18)
    bank_name: str = Field(..., max_length=60)
    account_number: str = Field(..., max_length=40)


class AssistancePayeeOut(Schema):
    file_id: int
    holder_name: str
    bank_name: str
    account_tail: str

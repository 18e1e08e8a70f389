"""The calculation itself (no database): need line, add-ons, item caps, tiers, category and household caps."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhenwu.assistance.calc import CalcError, calculate, step_text
from zhenwu.assistance.tests.calc.factories import inputs, seed_rules

D = Decimal


def test_a_dibao_household_receives_its_gap_to_the_local_standard():
    result = calculate(inputs("dibao", 3, incomes=("1000.00", "500.00")), seed_rules())
    assert result.step("base_line").value == D("3630.00")  # 1,210 × 1.0 × 3
    assert result.step("income_total").value == D("1500.00")
    assert result.step("gap").value == D("2130.00")
    assert result.amount == D("2130.00")
    assert [s.code for s in result.steps] == ["base_line", "need_line", "income", "income", "income_total",
                                              "expenditure_total", "net_income", "gap", "tier", "tiered",
                                              "category_cap", "household_cap", "amount"]


def test_add_ons_raise_the_need_line_per_member_condition():
    members: list[dict] = [{"disability_grade": 1, "work_capacity": "none"}, {"schooling": "compulsory"},
                           {"disability_grade": 3}]
    result = calculate(inputs("dibao", members, incomes=("1500.00",)), seed_rules())
    add_ons = [(s.params["member"], s.params["condition"], s.value) for s in result.steps if s.code == "add_on"]
    assert add_ons == [("成员1", "severe_disability", D("363.00")), ("成员1", "no_work_capacity", D("121.00")),
                       ("成员2", "in_school", D("121.00")), ("成员3", "disability", D("181.50"))]
    assert result.step("need_line").value == D("3630.00") + D("786.50")
    assert result.amount == D("2916.50")


def test_an_expenditure_household_is_paid_by_tiers_with_the_medical_cap():
    result = calculate(inputs("expenditure", 2, incomes=("3000.00",), expenditures=(("medical", "120000.00"),)),
                       seed_rules())
    item = result.step("item_cap")
    assert (item.params["claimed"], item.value, item.capped) == (D("120000.00"), D("100000.00"), True)
    assert result.step("expenditure_total").value == D("8333.33")  # 100,000 / 12
    assert result.step("net_income").value == D("-5333.33")
    assert result.step("gap").value == D("8963.33")  # 1,210 × 1.5 × 2 + 5,333.33
    tiers = [s.value for s in result.steps if s.code == "tier"]
    assert tiers == [D("2000.00"), D("2800.00"), D("1481.67")]  # 100 %, 70 % of 4,000, 50 % of 2,963.33
    assert result.amount == D("6281.67")
    assert not result.step("category_cap").capped and not result.step("household_cap").capped


def test_the_category_cap_limits_a_large_gap():
    result = calculate(inputs("edge", 2, expenditures=(("care", "30000.00"), ("education", "20000.00"))),
                       seed_rules())
    assert result.step("tiered").value > D("1500.00")
    assert result.step("category_cap").capped and result.amount == D("1500.00")


def test_the_household_cap_counts_what_was_granted_this_year():
    result = calculate(inputs("expenditure", 2, incomes=("3000.00",), expenditures=(("medical", "120000.00"),),
                              months=6, year_granted=D("140000.00")), seed_rules())
    cap = result.step("household_cap")
    assert cap.capped and cap.params["left"] == D("10000.00") and cap.params["room"] == D("1666.66")
    assert result.amount == D("1666.66")  # 6 × 1,666.66 stays within the 150,000 of the year


def test_no_amount_when_income_covers_the_need_line():
    result = calculate(inputs("dibao", 1, incomes=("5000.00",)), seed_rules())
    assert result.step("gap").value == D("0.00") and result.amount == D("0.00")


def test_expenditures_of_another_year_are_not_counted():
    from dataclasses import replace

    base = inputs("expenditure", 1, expenditures=(("medical", "12000.00"),))
    other_year = replace(base, year=2027)
    assert calculate(other_year, seed_rules()).step("expenditure_total").value == D("0.00")
    assert calculate(base, seed_rules()).step("expenditure_total").value == D("1000.00")


@pytest.mark.parametrize(("case", "field"), [
    ({"category": "none"}, "category"), ({"members": 0}, "members"), ({"months": 0}, "months"),
    ({"months": 13}, "months"),
])
def test_inputs_the_rules_cannot_take_name_the_field(case, field):
    with pytest.raises(CalcError) as exc:
        calculate(inputs(**{"category": "dibao", **case}), seed_rules())
    assert exc.value.field == field


def test_every_step_reads_as_a_sentence_with_its_numbers():
    result = calculate(inputs("expenditure", 2, incomes=("3000.00",), expenditures=(("medical", "120000.00"),)),
                       seed_rules())
    texts = [step_text(s.as_json()) for s in result.steps]
    assert any("100000.00" in t and "120000.00" in t for t in texts)
    assert any("1210.00" in t and "1.500" in t for t in texts)
    assert all(t for t in texts)

"""The demo service catalogue: complete, well-typed, consistent with the law's limits."""

from __future__ import annotations

import pytest

from zhenwu.services.catalogue_data import CATALOGUE, ITEM_KEYS

KINDS = {"licence", "confirmation", "public_service", "payment", "other"}
FORMS = {"original", "copy", "both"}
DELIVERY = ["window", "express", "electronic"]
CHAIN = ["first_review", "second_review", "approval"]
TYPES = {"code": str, "name": str, "kind": str, "department": str, "legal_basis": str, "conditions": str,
         "materials": list, "legal_limit_days": int, "promised_limit_days": int, "fees": str, "online": bool,
         "proxy": bool, "delivery": list, "supervision": bool, "chain": list, "applicant": str, "aliases": list}
ISSUE_DEPARTMENTS = {"民政", "人社", "卫健", "公安户政", "市场监管", "城建", "农业农村", "残联", "税务", "退役军人"}
NAMED_ITEMS = ["灵活就业人员参保登记", "办理临时居民身份证", "生育登记", "老年人优待证办理", "残疾人证新办",
               "个体工商户设立登记", "店招店牌设置许可", "农村村民宅基地和建房（规划许可）审批",
               "城乡居民养老保险参保登记", "最低生活保障审核确认"]
BY_NAME = {item["name"]: item for item in CATALOGUE}


def test_it_has_at_least_92_items_with_unique_codes_and_names():
    assert len(CATALOGUE) >= 92
    assert len({i["code"] for i in CATALOGUE}) == len(CATALOGUE)
    assert len(BY_NAME) == len(CATALOGUE)


@pytest.mark.parametrize("item", CATALOGUE, ids=lambda i: i["code"])
def test_every_item_has_exactly_the_loader_keys_with_the_right_types(item):
    assert set(item) == set(ITEM_KEYS) == set(TYPES)
    for key, kind in TYPES.items():
        assert type(item[key]) is kind, key
    assert all(item[k].strip() for k in ("code", "name", "department", "legal_basis", "conditions", "fees"))
    assert item["kind"] in KINDS and item["applicant"] in {"person", "enterprise", "both"}


@pytest.mark.parametrize("item", CATALOGUE, ids=lambda i: i["code"])
def test_every_item_has_a_sound_materials_checklist(item):
    assert item["materials"]
    for m in item["materials"]:
        assert set(m) == {"name", "form", "count", "required", "sample"}
        assert m["name"] and m["sample"] and m["form"] in FORMS
        assert type(m["count"]) is int and m["count"] >= 1 and type(m["required"]) is bool
    assert any(m["required"] for m in item["materials"])


@pytest.mark.parametrize("item", CATALOGUE, ids=lambda i: i["code"])
def test_every_item_has_consistent_limits_delivery_and_chain(item):
    assert 0 <= item["promised_limit_days"] <= item["legal_limit_days"]
    assert item["legal_limit_days"] >= 1
    assert item["delivery"] and item["delivery"] == [d for d in DELIVERY if d in item["delivery"]]
    assert item["chain"] == [s for s in CHAIN if s in item["chain"]]
    if item["promised_limit_days"] == 0:
        assert item["chain"] == []
    else:
        assert item["chain"], "a 承诺件 needs at least one review step"


def test_it_mixes_on_the_spot_and_promised_items():
    instant = [i for i in CATALOGUE if i["promised_limit_days"] == 0]
    assert 10 <= len(instant) <= len(CATALOGUE) - 10


def test_it_covers_every_department_of_the_issue():
    assert {i["department"] for i in CATALOGUE} >= ISSUE_DEPARTMENTS


def test_codes_carry_the_province_and_a_department_abbreviation():
    for item in CATALOGUE:
        province, abbr, seq = item["code"].split("-")
        assert province == "320000" and abbr.isalpha() and abbr.isupper() and len(seq) == 4 and seq.isdigit()


@pytest.mark.parametrize("name", NAMED_ITEMS)
def test_it_has_the_items_named_in_the_issue(name):
    assert name in BY_NAME


def test_shop_signs_are_flagged_for_supervision():
    assert BY_NAME["店招店牌设置许可"]["supervision"] is True


def test_the_temporary_identity_card_is_on_the_spot_and_charged():
    item = BY_NAME["办理临时居民身份证"]
    assert item["promised_limit_days"] == 0 and item["fees"] == "工本费 10 元"

"""Catalogue writes: items and their immutable versions, and the loader of the demo catalogue."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from zhenwu.accounts.models import User
from zhenwu.errors import FieldError
from zhenwu.errors import gettext as _
from zhenwu.services.choices import ApplicantScope, DeliveryMode, ItemKind, MaterialForm, ReviewStep
from zhenwu.services.models import ServiceItem, ServiceItemVersion

ELEMENTS = ("name", "kind", "department", "legal_basis", "conditions", "materials", "legal_limit_days",
            "promised_limit_days", "fees", "online", "proxy", "delivery", "supervision", "chain", "applicant",
            "aliases")
MAX_ALIASES, MAX_ALIAS_LENGTH = 12, 30
_ORDER = list(ReviewStep.values)


def _clean_material(raw: Any, i: int, errors: list[tuple[str | None, Any]]) -> dict[str, Any]:
    where = f"materials.{i}"
    if not isinstance(raw, Mapping) or not str(raw.get("name") or "").strip():
        errors.append((f"{where}.name", _("Each material needs a name.")))
        return {}
    if raw.get("form") not in MaterialForm.values:
        errors.append((f"{where}.form", _("Choose original, copy or both.")))
    count = raw.get("count", 1)
    if not isinstance(count, int) or count < 1:
        errors.append((f"{where}.count", _("Enter a count of at least 1.")))
    return {"name": str(raw["name"]).strip(), "form": raw.get("form"), "count": count,
            "required": bool(raw.get("required", True)), "sample": str(raw.get("sample") or "")}


def _clean_lists(data: Mapping[str, Any], errors: list[tuple[str | None, Any]]) -> dict[str, Any]:
    delivery = list(data.get("delivery") or [])
    if not delivery or any(d not in DeliveryMode.values for d in delivery):
        errors.append(("delivery", _("Choose at least one of window, express and electronic.")))
    chain = list(data.get("chain") or [])
    if any(s not in _ORDER for s in chain) or chain != sorted(set(chain), key=_ORDER.index):
        errors.append(("chain", _("The review chain is an ordered subset of first review, second review "
                                  "and approval.")))
    raw = data.get("materials") or []
    materials = [_clean_material(m, i, errors) for i, m in enumerate(raw)]
    names = [m.get("name") for m in materials]
    if len(set(names)) != len(names):
        errors.append(("materials", _("Material names must be different.")))
    return {"delivery": delivery, "chain": chain, "materials": materials}


def aliases_clean(raw: Any, errors: list[tuple[str | None, Any]]) -> list[str]:
    """Other names people search by (低保 for 最低生活保障审核确认): short, distinct, at most a dozen. A
    text is split at commas, 、 and line breaks."""
    if isinstance(raw, str):
        raw = re.split(r"[,，、;；\n]+", raw)
    names = list(dict.fromkeys(str(a).strip() for a in (raw or []) if str(a).strip()))
    if len(names) > MAX_ALIASES or any(len(a) > MAX_ALIAS_LENGTH or "|" in a for a in names):
        errors.append(("aliases", _("Give at most %(n)d aliases of up to %(length)d characters each.")
                       % {"n": MAX_ALIASES, "length": MAX_ALIAS_LENGTH}))
    return names


def item_clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """Every element of an item version, checked; FieldError lists every problem."""
    errors: list[tuple[str | None, Any]] = []
    for name in ("name", "department"):
        if not str(data.get(name) or "").strip():
            errors.append((name, _("This field is required.")))
    if data.get("kind") not in ItemKind.values:
        errors.append(("kind", _("Choose one of the allowed values.")))
    if data.get("applicant") not in ApplicantScope.values:
        errors.append(("applicant", _("Choose one of the allowed values.")))
    legal, promised = data.get("legal_limit_days"), data.get("promised_limit_days")
    if not isinstance(legal, int) or not isinstance(promised, int) or promised < 0 or legal < promised:
        errors.append(("promised_limit_days", _("The promised limit is a whole number of working days, "
                                                "not above the legal limit.")))
    cleaned = _clean_lists(data, errors)
    aliases = aliases_clean(data.get("aliases"), errors)
    if errors:
        raise FieldError(None, errors=errors)
    text = {k: str(data.get(k) or "").strip() for k in ("name", "department", "legal_basis", "conditions")}
    return {**text, **cleaned, "kind": data["kind"], "applicant": data["applicant"],
            "legal_limit_days": legal, "promised_limit_days": promised,
            "fees": str(data.get("fees") or "不收费"), "online": bool(data.get("online")),
            "proxy": bool(data.get("proxy")), "supervision": bool(data.get("supervision")), "aliases": aliases}


def _version_values(version: ServiceItemVersion) -> dict[str, Any]:
    return {name: getattr(version, name) for name in ELEMENTS}


def _new_version(item: ServiceItem, values: dict[str, Any], actor: User | None) -> ServiceItemVersion:
    last = item.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = ServiceItemVersion.objects.create(item=item, number=last + 1, created_by=actor, **values)
    item.current_version, item.name, item.department = version, values["name"], values["department"]
    item.aliases = "|".join(values["aliases"])
    item.save(update_fields=["current_version", "name", "department", "aliases", "updated_at"])
    return version


@transaction.atomic
def service_item_create(*, actor: User | None, code: str, data: Mapping[str, Any]) -> ServiceItem:
    """Create an item and its version 1."""
    code = str(code or "").strip()
    if not code:
        raise FieldError("code", _("This field is required."))
    if ServiceItem.objects.filter(code=code).exists():
        raise FieldError("code", _("An item with this code exists already."), status=409)
    values = item_clean(data)
    item = ServiceItem.objects.create(code=code, name=values["name"], department=values["department"],
                                      aliases="|".join(values["aliases"]))
    _new_version(item, values, actor)
    return item


@transaction.atomic
def service_item_update(*, actor: User | None, item: ServiceItem, changes: Mapping[str, Any],
                        active: bool | None = None) -> ServiceItemVersion:
    """Edit an item: a new version when any element changed (running cases keep theirs)."""
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    current = item.current_version
    assert current is not None
    values = item_clean({**_version_values(current), **changes})
    if active is not None and active != item.active:
        item.active = active
        item.save(update_fields=["active", "updated_at"])
    if values == _version_values(current):
        return current
    return _new_version(item, values, actor)


def catalogue_load(*, items: Iterable[Mapping[str, Any]] | None = None,
                   actor: User | None = None) -> dict[str, int]:
    """Upsert the catalogue by code; a new version only where something changed."""
    if items is None:
        from zhenwu.services.catalogue_data import CATALOGUE  # type: ignore[import-not-found,unused-ignore]

        items = CATALOGUE
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for entry in items:
            item = ServiceItem.objects.filter(code=entry["code"]).first()
            data = {k: entry[k] for k in ELEMENTS if k in entry}
            if item is None:
                service_item_create(actor=actor, code=entry["code"], data=data)
                counts["created"] += 1
                continue
            before = item.current_version_id
            after = service_item_update(actor=actor, item=item, changes=data)
            counts["updated" if after.pk != before else "unchanged"] += 1
    return counts

"""The demo town's base data (人地事物组织) in the registry: plan in memory, then bulk-write.

Re-runs: the registry rows of a demo town are the demo's. A run first plans the town's rows (about
a second), then compares them with the database: if the counts of every kind and a few sampled
keys match, the rows are left as they are (a re-run with the same seed and scale costs a few
queries); otherwise every registry row under the town's code is deleted and the plan is written
again, wholesale, in the caller's transaction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery

from zhenwu.areas.models import Area
from zhenwu.demo import bulk, economy, population
from zhenwu.demo.economy import CameraRow, EnterpriseRow, PlaceRow
from zhenwu.demo.population import GridSlot, HouseholdRow, Person
from zhenwu.demo.targets import TownTargets
from zhenwu.demo.tree import TownPlan
from zhenwu.registry.choices import Relation
from zhenwu.registry.models import Camera, Enterprise, GridAssignment, Household, Place, Resident, ResidentTag

WIPED = (Place, Resident, Household, Enterprise, Camera)  # registry tables with area_code, in wipe order


@dataclass
class TownData:
    """Everything the registry will hold for one town, before it is written."""

    targets: TownTargets
    slots: list[GridSlot]
    households: list[HouseholdRow] = field(default_factory=list)
    enterprises: list[EnterpriseRow] = field(default_factory=list)
    places: list[PlaceRow] = field(default_factory=list)
    cameras: list[CameraRow] = field(default_factory=list)

    @property
    def residents(self) -> list[Person]:
        return [p for h in self.households for p in h.members]

    def counts(self) -> dict[str, int]:
        residents = self.residents
        return {"households": len(self.households), "residents": len(residents),
                "tags": sum(len(p.tags) for p in residents), "enterprises": len(self.enterprises),
                "places": len(self.places), "cameras": len(self.cameras)}


def basedata_rng(seed: int, index: int) -> random.Random:
    return random.Random(f"zhenwu-demo/{seed}/registry-{index}")


def plan_basedata(*, plan: TownPlan, seed: int, targets: TownTargets) -> TownData:
    """The town's households, residents, enterprises, places and cameras (pure, seeded)."""
    rng = basedata_rng(seed, plan.index)
    data = TownData(targets, population.grid_slots(plan, rng))
    data.households = population.plan_people(plan, targets, rng, data.slots)
    data.enterprises = economy.plan_enterprises(plan, targets, rng, data.slots)
    data.places = economy.plan_places(plan, targets, rng, data.slots, data.enterprises, data.households)
    data.cameras = economy.plan_cameras(plan, targets, rng, data.slots, data.households)
    return data


# --- compare, wipe ---------------------------------------------------------------------------------

def stored_counts(prefix: str) -> dict[str, int]:
    return {"households": Household.objects.filter(area_code__startswith=prefix).count(),
            "residents": Resident.objects.filter(area_code__startswith=prefix).count(),
            "tags": ResidentTag.objects.filter(resident__area_code__startswith=prefix).count(),
            "enterprises": Enterprise.objects.filter(area_code__startswith=prefix).count(),
            "places": Place.objects.filter(area_code__startswith=prefix).count(),
            "cameras": Camera.objects.filter(area_code__startswith=prefix).count()}


def basedata_matches(prefix: str, data: TownData, assignments: int) -> bool:
    """True when the stored rows under `prefix` are this plan's (same counts, same sampled keys)."""
    if stored_counts(prefix) != data.counts() or not data.households:
        return False
    if GridAssignment.objects.filter(grid__code__startswith=prefix).count() != assignments:
        return False
    residents = data.residents
    samples = [residents[0], residents[len(residents) // 2], residents[-1]]
    stored = set(Resident.objects.filter(id_number__in=[p.id_number for p in samples])
                 .values_list("id_number", "name"))
    firms = Enterprise.objects.filter(uscc__in=[e.uscc for e in data.enterprises[:1]]).count()
    return stored == {(p.id_number, p.name) for p in samples} and firms == min(1, len(data.enterprises))


@transaction.atomic
def basedata_wipe(prefix: str) -> int:
    """Delete every registry row under the area code `prefix` (assignments of its grids included).

    Each table goes in one DELETE: households and their residents point at each other, which the
    deferred foreign-key checks accept inside the transaction. Rows of other tables (or outside
    `prefix`) still pointing at them make it fall back to the ORM's delete, where PROTECT stops it.
    """
    deleted = _delete(GridAssignment.objects.filter(grid__code__startswith=prefix), prefix)
    deleted += _delete(ResidentTag.objects.filter(resident__area_code__startswith=prefix), prefix)
    for model in WIPED:
        deleted += _delete(model.objects.filter(area_code__startswith=prefix), prefix)
    return deleted


def _delete(qs: QuerySet[Any], prefix: str) -> int:
    """One DELETE statement when no row outside the wiped set points at these rows; else the ORM's.

    The ORM's delete loads every row and deletes in batches of 100 (tens of seconds for a town).
    """
    for rel in qs.model._meta.related_objects:
        pointing = rel.related_model._default_manager.filter(**{f"{rel.field.name}__in": qs})
        if rel.related_model in WIPED:
            pointing = pointing.exclude(area_code__startswith=prefix)
        if pointing.exists():
            return int(qs.delete()[0])
    return int(qs._raw_delete(qs.db))


# --- write -----------------------------------------------------------------------------------------

def basedata_write(*, data: TownData, areas: dict[str, Area]) -> dict[str, int]:
    """Bulk-insert the planned rows (the town's registry must be empty); returns the counts."""
    households = [Household(number=h.number, address=h.address, kind=h.kind, grid_id=areas[h.grid_code].pk,
                            area_code=h.grid_code, lng=h.lng, lat=h.lat) for h in data.households]
    bulk.insert(Household, households)
    residents = _write_residents(data, households, areas)
    prefix = data.households[0].grid_code[:9] if data.households else ""
    heads = Resident.objects.filter(household=OuterRef("pk"), relation=Relation.HEAD).values("pk")[:1]
    Household.objects.filter(area_code__startswith=prefix).update(head=Subquery(heads))
    tags = [ResidentTag(resident_id=r.pk, tag=t) for r, p in residents for t in p.tags]
    bulk.insert(ResidentTag, tags)
    enterprises = [_enterprise(e, areas) for e in data.enterprises]
    bulk.insert(Enterprise, enterprises)
    bulk.insert(Place, [_place(p, areas, enterprises) for p in data.places])
    bulk.insert(Camera, [_camera(c, areas) for c in data.cameras])
    return {**data.counts(), "tags": len(tags)}


def _write_residents(data: TownData, households: list[Household],
                     areas: dict[str, Area]) -> list[tuple[Resident, Person]]:
    pairs = [(Resident(id_number=p.id_number, name=p.name, birth_date=p.birth_date, sex=p.sex, mobile=p.mobile,
                       household_id=hh.pk, relation=p.relation, status=p.status, arrival_date=p.arrival_date,
                       origin=p.origin, grid_id=areas[h.grid_code].pk, area_code=h.grid_code, lng=h.lng, lat=h.lat), p)
             for h, hh in zip(data.households, households, strict=True) for p in h.members]
    bulk.insert(Resident, [r for r, _p in pairs])
    return pairs


def _enterprise(e: EnterpriseRow, areas: dict[str, Area]) -> Enterprise:
    return Enterprise(uscc=e.uscc, name=e.name, legal_representative=e.legal_representative, industry=e.industry,
                      address=e.address, operating_status=e.operating_status, risk_level=e.risk_level,
                      abnormal_listed=e.abnormal_listed, complaint_count=e.complaint_count, mobile=e.mobile,
                      grid=areas[e.grid_code], area_code=e.grid_code, lng=e.lng, lat=e.lat)


def _place(p: PlaceRow, areas: dict[str, Area], enterprises: list[Enterprise]) -> Place:
    return Place(kind=p.kind, name=p.name, address=p.address, contact_name=p.contact_name,
                 contact_mobile=p.contact_mobile, grid=areas[p.grid_code], area_code=p.grid_code, lng=p.lng,
                 lat=p.lat, enterprise_id=enterprises[p.enterprise].pk if p.enterprise is not None else None)


def _camera(c: CameraRow, areas: dict[str, Area]) -> Camera:
    return Camera(code=c.code, name=c.name, source_system=c.source_system, stream_url=c.stream_url,
                  grid=areas[c.grid_code], area_code=c.grid_code, lng=c.lng, lat=c.lat)

"""Every page route of the URL conf, with real objects for its parameters.

``page_urls(world, persona)`` walks the URL conf (everything but the JSON API) and the admin's
registered models, fills each route's parameters from the crawl world, and adds the query strings that
open a page's other views (tabs, filters, groupings). A route whose parameters are not known here
raises ``UnknownRoute``: a new page is added to the crawl, never skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from zhenwu.registry.importing import KINDS
from zhenwu.services.notices import notice_kinds
from zhenwu.testing import GRID_A, TOWN
from zhenwu.web.tests.crawl_world import ENTERPRISE_ITEM, World

SKIPPED_NAMESPACES = ("api", "open311", "admin")  # JSON/XML APIs (checked by their own tests); admin below
REGISTRY_SLUGS = ("residents", "households", "enterprises", "places", "cameras")
ITEMS = ("320000-MZ-0001", ENTERPRISE_ITEM)

# Extra views of a page: its tabs, filters and groupings (query strings appended to the route).
QUERIES: dict[str, tuple[str, ...]] = {
    "services:queue": ("?tab=accept", "?tab=hand_out", "?tab=review", "?tab=approve", "?tab=village",
                       "?tab=all&light=red", "?tab=all&q=王芳", "?tab=nosuch"),
    "services:new": ("?item=320000-MZ-0001", "?item=320000-MZ-0001&channel=proxy"),
    "services:supervision": ("?group=department", "?group=channel", "?from=2020-01-01&to=2030-12-31",
                             "?from=bad"),
    "services:supervision_ledger": ("?from=2020-01-01&to=2030-12-31",),
    "services:rectifications": ("?status=open",),
    "registry:list": ("?q=王", "?grid=" + GRID_A),
    "registry:export": ("?grid=" + GRID_A,),
    "public:guide": ("?q=老年",),
    "grid:incidents": ("?view=map", "?status=open", "?light=red", "?light=nosuch", "?q=垃圾&category=E01"),
    "grid_scoring:scores": ("?month=2020-01", "?month=bad"),
    "enforcement:cases": ("?status=open", "?status=registered&procedure=general", "?status=nosuch", "?q=东山",
                          "?page=2"),
    "enforcement:powers": ("?q=摆摊", "?department=urban"),
    "grid_scoring:indicators": ("?level=grid", "?level=town", "?month=bad"),
}


class UnknownRoute(AssertionError):
    pass


def _routes(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _routes(p.url_patterns, inner)
        elif p.name:
            yield namespace + p.name, p


def _numbers(world: World) -> list[str]:
    return [app.case.number for app in world.apps.values()]


def params(world: World, name: str) -> list[dict[str, Any]] | None:
    """The parameter sets a route is opened with; None when the route is not known to the crawl."""
    numbers = _numbers(world)
    table: dict[str, list[dict[str, Any]]] = {
        "registry:grid_file": [{"code": GRID_A}, {"code": TOWN}],
        "enforcement_public:power": [{"code": world.power}, {"code": "no-such-power"}],
        "enforcement_followups:inspection": [{"pk": world.followup}],
        "enforcement_followups:case": [{"pk": world.followup}],
        "enforcement_public:decision": [{"pk": world.publication}, {"pk": 999999}],
        "enforcement_public:inspection": [{"number": world.plan}, {"number": "no-such-plan"}],
        "enforcement_inspections:plan": [{"number": world.plan}],
        "enforcement_inspections:plan_act": [{"number": world.plan, "step": "issue"}],
        "enforcement_inspections:target_result": [{"target_id": world.inspection_target}],
        "registry:resident_reveal": [{"row_id": world.rows["residents"]}],
        "registry:list": [{"slug": s} for s in REGISTRY_SLUGS],
        "registry:create": [{"slug": s} for s in REGISTRY_SLUGS],
        "registry:detail": [{"slug": s, "row_id": world.rows[s]} for s in REGISTRY_SLUGS],
        "registry:edit": [{"slug": s, "row_id": world.rows[s]} for s in REGISTRY_SLUGS],
        "registry:import_job": [{"job_id": world.import_job}],
        "registry:import_commit": [{"job_id": world.import_job}],
        "registry:import_rejected": [{"job_id": world.import_job}],
        "registry:import_template": [{"kind": k} for k in KINDS],
        "registry:export": [{"kind": k} for k in KINDS],
        "services:case": [{"number": n} for n in numbers],
        "services:act": [{"number": world.apps["review"].case.number, "action": "review"}],
        "services:notice": [{"number": app.case.number, "kind": kind} for app in world.apps.values()
                            for kind in notice_kinds(app)],
        "services:rectification": [{"pk": world.rectification}],
        "services:rectification_step": [{"pk": world.rectification}],
        "services:supervision_task_done": [{"pk": world.supervision_task}],
        "portal:apply": [{"code": c} for c in ITEMS],
        "portal:detail": [{"number": n} for n in numbers],
        "portal:supply": [{"number": world.apps["supplement"].case.number}],
        "portal:withdraw": [{"number": world.apps["submitted"].case.number}],
        "portal:rate": [{"number": world.apps["finished"].case.number}],
        "public:guide_item": [{"code": c} for c in ITEMS],
        "public:rate": [{"token": world.rating_link}],
        "public:pad": [{"token": world.pad_token}],
        "accounts:token_revoke": [{"token_id": pk} for pk in world.tokens.values()][:1],
        "grid:incident": [{"number": world.grid["incident"]}],
        "grid:incident_act": [{"number": world.grid["incident"], "action": "register"}],
        "grid_disputes:dispute": [{"number": world.grid["dispute"]}],
        "grid_disputes:dispute_act": [{"number": world.grid["dispute"], "action": "escalate"}],
        "grid_disputes:household_visits": [{"household_id": world.rows["households"]}],
        "grid_scoring:ledger": [{"worker_id": world.users["grid_worker"].pk}],
        "grid_patrols:patrol": [{"patrol_id": int(world.grid["patrol"])}],
        "enforcement:case": [{"number": world.penalty}],
        "enforcement:case_act": [{"number": world.penalty, "action": "approve_filing"}],
        "enforcement:case_evidence": [{"number": world.penalty}],
        "enforcement:case_records": [{"number": world.penalty, "kind": k}
                                     for k in ("inquiries", "inspections", "discussions", "hearings")],
        "enforcement:power": [{"code": world.power}],
        "assistance:file": [{"pk": world.assistance["file"]}],
        "assistance:file_edit": [{"pk": world.assistance["file"], "section": "incomes"}],
        "assistance:application": [{"number": world.assistance["application"]}],
        "assistance:application_photo": [{"number": world.assistance["application"]}],
        "assistance:application_act": [{"number": world.assistance["application"], "action": "accept"}],
        "assistance_calc:rule": [{"rule_set_id": world.assistance["rule_set"]}],
        "assistance_calc:grant": [{"grant_id": world.assistance["grant"]}],
        "assistance_calc:grant_pdf": [{"grant_id": world.assistance["grant"]}],
        "assistance_calc:payment": [{"list_id": world.assistance["payments"]}],
        "assistance_calc:payment_bank": [{"list_id": world.assistance["payments"]}],
        "assistance_warn:warning": [{"number": world.assistance["warning"]}],
        "assistance_warn:mutual_aid_year": [{"pk": world.assistance["year"]}],
        "assistance_public:mutual_aid_ledger": [{"village": world.assistance["village"]}, {"village": "no-such"}],
    }
    return table.get(name)


def _admin_urls() -> Iterator[str]:
    yield reverse("admin:index")
    labels = sorted({model._meta.app_label for model in admin.site._registry})
    for label in labels:
        yield reverse("admin:app_list", kwargs={"app_label": label})
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield reverse(f"{prefix}_changelist")
        yield reverse(f"{prefix}_add")
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            yield reverse(f"{prefix}_change", args=[first.pk])


def page_urls(world: World, *, with_admin: bool = True) -> list[str]:
    """Every page of the site with its parameters and extra views; the admin's model pages too."""
    urls: list[str] = []
    for name, pattern in _routes(get_resolver().url_patterns):
        keys = list(pattern.pattern.regex.groupindex)
        sets = [{}] if not keys else params(world, name)
        if sets is None:
            raise UnknownRoute(f"the crawl does not know the parameters {keys} of the page {name!r}: add them "
                               f"to zhenwu/web/tests/crawl.py:params()")
        for kwargs in sets:
            url = reverse(name, kwargs=kwargs)
            urls.append(url)
            urls.extend(url + query for query in QUERIES.get(name, ()))
    if with_admin:
        urls.extend(_admin_urls())
    return list(dict.fromkeys(urls))

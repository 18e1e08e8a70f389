"""Staff pages of 一网治理 incidents: the dispatcher's queue (filters, lights, status tabs, paging, a map
of the same filter, an xlsx export), one page per incident with exactly the steps allowed now, and the
staff's report form (category picker, map pin, photos, duplicates offered before filing).

Thin views over A's selectors, policy and services: a page shows a button exactly when the service would
take the step (``selectors.incident_actions``); a refused step re-shows the page with the message on its
form; outside the scope 404.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhenwu.accounts.http import request_id as _rid
from zhenwu.accounts.masking import mask_mobile, mask_name
from zhenwu.accounts.models import Department, User
from zhenwu.accounts.scope import scope_prefix
from zhenwu.areas.choices import GRID_LEVELS, AreaLevel
from zhenwu.areas.index import area_names
from zhenwu.areas.models import Area
from zhenwu.casework.choices import Light
from zhenwu.casework.models import Attachment
from zhenwu.casework.process import action_label
from zhenwu.errors import Conflict, FieldError, NotFound
from zhenwu.errors import gettext as _g
from zhenwu.grid import policy, selectors
from zhenwu.grid import schemas as s
from zhenwu.grid.choices import EscalationLevel, Priority, Source
from zhenwu.grid.models import Category, Incident
from zhenwu.grid.process import FINISHED_STATES, INCIDENT_PROCESS, LABELS, OPEN_STATES
from zhenwu.grid.services.incidents import coordinate_parse, incident_duplicates, incident_report
from zhenwu.grid.tracking import tracking_code
from zhenwu.sheets import safe_row

PAGE_SIZE = 25
MAP_MAX = 2000
FILTERS = ("status", "grid", "category", "source", "light", "q")
LIGHT_LABELS: dict[str, Any] = {Light.GREEN: _("Not yet due"), Light.YELLOW: _("Due soon"), Light.RED: _("Overdue")}
ATTACHMENT_URL = "/api/v1/casework/attachments/{sha}"
# What each required field of a step is called on its form.
FIELD_LABELS = {"reason": _("Reason"), "result": _("What was done"), "photos": _("Photos"),
                "into": _("Merge into incident"), "value": _("Extra time"), "score": _("Score"),
                "note": _("Note"), "unit": _("Department or squad"), "handler": _("Person")}
# The step that moves the incident on is the one primary button; refusals are set apart.
PRIMARY = ("register", "dispatch", "handle", "verify_pass", "approve_extension", "self_close", "evaluate")
DANGER = ("reject", "verify_fail", "refuse_extension", "return")


def _reader(request: HttpRequest) -> User:
    """Staff with a grid role; other staff 403, citizens and anyone else 404."""
    user = request.user
    if not isinstance(user, User) or user.kind != "staff":
        raise Http404
    if not policy.may_read(user):
        raise PermissionDenied(_g("Your roles do not allow this action."))
    return user


def _state_label(status: str) -> str:
    return LABELS.get(status, status)


def _params(query: QueryDict) -> dict[str, str]:
    return {k: query.get(k, "").strip()[:100] for k in FILTERS}


def _filtered(user: User, params: dict[str, str]) -> Any:
    return selectors.incident_list(user=user, status=params["status"], grid=params["grid"],
                                   category=params["category"], source=params["source"], light=params["light"],
                                   q=params["q"])


def _grid_choices(user: User) -> list[tuple[str, str]]:
    """Villages and grids in the user's scope (a village filters all of its grids)."""
    prefix = scope_prefix(user)
    if prefix is None:
        return []
    rows = Area.objects.filter(code__startswith=prefix, level__in=(AreaLevel.VILLAGE, *GRID_LEVELS)).order_by("code")
    return [(a.code, ("　" if a.level != AreaLevel.VILLAGE else "") + a.name) for a in rows[:500]]


def _category_choices() -> list[tuple[str, str]]:
    rows = Category.objects.filter(active=True).select_related("parent").order_by("type", "code")
    return [(c.code, (f"{c.code} {c.name}" if c.parent_id is None else f"　{c.code} {c.name}")) for c in rows]


def _row(incident: Incident, names: dict[str, str], now: Any) -> dict[str, Any]:
    case = incident.case
    light = selectors.live_light(incident, now)
    return {"number": case.number, "category": incident.category_version.name,
            "grid": names.get(case.area_code, case.area_code), "address": incident.address,
            "description": incident.description, "status": case.status, "status_label": _state_label(case.status),
            "source": incident.get_source_display(), "priority": incident.priority,
            "priority_label": incident.get_priority_display(), "light": light,
            "light_label": LIGHT_LABELS.get(light, ""), "due_at": case.deadline_due_at if case.deadline_live else None,
            "holder": _holder(incident), "created_at": case.created_at, "lng": incident.lng, "lat": incident.lat,
            "escalation": incident.escalation_level}


def _holder(incident: Incident) -> str:
    case = incident.case
    if case.handler_id and case.handler:
        return str(case.handler)
    if case.handler_unit_id and case.handler_unit:
        return case.handler_unit.name
    return ""


def _tab_counts(user: User, params: dict[str, str]) -> tuple[list[dict[str, Any]], int]:
    """Counts per status under the other filters; the tabs of the queue. Without a filter (the queue as it
    opens) from the counts the database keeps per grid; with one, a grouped query of the filtered rows."""
    others = {**params, "status": ""}
    grouped = None if any(others.values()) else selectors.incident_status_totals(user=user)
    if grouped is None:
        try:
            grouped = selectors.incident_status_counts(_filtered(user, others))
        except FieldError:
            grouped = {}
    total = sum(grouped.values())
    opened = sum(grouped.get(k, 0) for k in OPEN_STATES)
    tabs = [{"key": "", "label": _("All"), "count": total}, {"key": "open", "label": _("Running"), "count": opened}]
    tabs += [{"key": k, "label": LABELS[k], "count": grouped.get(k, 0)} for k in (*OPEN_STATES, *FINISHED_STATES)]
    return tabs, total


def _light_counts(user: User, params: dict[str, str]) -> dict[str, int]:
    """green / yellow / red under the other filters (one statement on the incident's copy of the clock)."""
    try:
        return selectors.incident_light_counts(_filtered(user, {**params, "light": ""}))
    except FieldError:
        return {str(light): 0 for light in (Light.GREEN, Light.YELLOW, Light.RED)}


def _link(params: dict[str, str], **change: str) -> str:
    query = QueryDict(mutable=True)
    for key, value in {**params, **change}.items():
        if value:
            query[key] = value
    return query.urlencode()


@login_required
def incident_queue(request: HttpRequest) -> HttpResponse:
    """事件队列: status tabs with counts, filters, lights, paging; ``view=map`` draws the same filter."""
    user = _reader(request)
    params = _params(request.GET)
    view = "map" if request.GET.get("view") == "map" else "list"
    error, rows, page, markers = None, [], None, []
    status = 200
    now = timezone.now()
    try:
        qs = _filtered(user, params)
        if view == "map":
            found = list(qs.filter(is_open=True, lng__isnull=False, lat__isnull=False)[:MAP_MAX])
            names = area_names(i.case.area_code for i in found)
            markers = [_marker(_row(i, names, now)) for i in found]
        else:
            page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
            names = area_names(i.case.area_code for i in page)
            rows = [_row(i, names, now) for i in page]
    except FieldError as exc:
        error, status = str(exc.errors[0][1]), exc.status
    tabs, _total = _tab_counts(user, params)
    for t in tabs:
        t["link"] = _link(params, status=t["key"], view=view if view == "map" else "")
    context = {
        "params": params, "view": view, "rows": rows, "page": page, "error": error, "tabs": tabs,
        "lights": _light_counts(user, params), "query": _link(params, view=view if view == "map" else ""),
        "list_query": _link(params),
        "map_query": _link(params, view="map"), "filtered": any(v for k, v in params.items() if k != "status"),
        "grids": _grid_choices(user), "categories": _category_choices(), "sources": Source.choices,
        "light_choices": [(str(k), v) for k, v in LIGHT_LABELS.items()],
        "can_report": user.has_role(*policy.REPORT_ROLES), "map_config": _map_config(user, markers),
        "markers_count": len(markers), "map_max": MAP_MAX,
    }
    return render(request, "grid/incidents/queue.html", context, status=status)


def _marker(row: dict[str, Any]) -> dict[str, Any]:
    return {"number": row["number"], "lng": row["lng"], "lat": row["lat"], "light": row["light"] or "none",
            "title": f"{row['number']} {row['category']}", "status": str(row["status_label"]),
            "grid": row["grid"], "url": reverse("grid:incident", kwargs={"number": row["number"]})}


def _map_config(user: User, markers: list[dict[str, Any]]) -> dict[str, Any]:
    focus = user.scope_area
    return {"markers": markers, "bbox": focus.bbox if focus is not None else None,
            "tileUrl": settings.MAP_TILE_URL, "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
            "outlines": _outlines(focus.code if focus is not None else ""),
            "colours": {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828", "none": "#607d8b"},
            "text": {"credit": _g("Map drawn with Leaflet"), "open": _g("Open the incident")}}


def _outlines(under: str) -> dict[str, Any]:
    """Grid outlines (and villages) under ``under`` for the map's background, light to draw."""
    rows = Area.objects.filter(level__in=(AreaLevel.VILLAGE, *GRID_LEVELS))
    if under:
        rows = rows.filter(code__startswith=under[:9])
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": a.geometry, "properties": {"name": a.name, "level": a.level}}
        for a in rows.only("geometry", "name", "level")[:400] if a.geometry]}


EXPORT_COLUMNS = (_("Incident number"), _("Category"), _("Grid"), _("Address"), _("Description"),
                  _("Source"), _("Priority"), _("Status"), _("Light"), _("Due"), _("Held by"), _("Reported"))


@login_required
def incident_export(request: HttpRequest) -> HttpResponse:
    """The filtered queue as xlsx (every row of the filter, not only one page); strings stay text."""
    from openpyxl import Workbook

    user = _reader(request)
    params = _params(request.GET)
    try:
        qs = _filtered(user, params)
    except FieldError as exc:
        return HttpResponse(exc.text(), status=exc.status, content_type="text/plain; charset=utf-8")
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Incidents")))
    sheet.append([str(c) for c in EXPORT_COLUMNS])
    now = timezone.now()
    names = area_names(qs.values_list("area_code", flat=True).distinct()[:5000])
    for incident in qs.iterator(chunk_size=1000):
        r = _row(incident, names, now)
        sheet.append(safe_row(sheet, [r["number"], r["category"], r["grid"], r["address"], r["description"],
                                      r["source"], r["priority_label"], r["status_label"], r["light_label"],
                                      _local(r["due_at"]), r["holder"], _local(r["created_at"])]))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type="application/vnd.openxmlformats-officedocument."
                                                         "spreadsheetml.sheet")
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="incidents-{stamp}.xlsx"'
    return response


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


# ---------------------------------------------------------------- the incident page

def _get(request: HttpRequest, number: str) -> tuple[User, Incident]:
    user = _reader(request)
    try:
        return user, selectors.incident_get(user=user, number=number)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _photos(hashes: Iterable[str]) -> list[dict[str, Any]]:
    hashes = list(hashes)
    stored = {a.sha256: a for a in Attachment.objects.filter(sha256__in=hashes)}
    out = []
    for sha in hashes:
        a = stored.get(sha)
        url = ATTACHMENT_URL.format(sha=sha)
        out.append({"sha": sha, "url": url, "thumb": url + ("?thumbnail=true" if a and a.thumbnail_name else ""),
                    "taken_at": getattr(a, "exif_taken_at", None) if a else None})
    return out


def _timeline(incident: Incident) -> list[dict[str, Any]]:
    out = []
    for e in selectors.incident_timeline(incident=incident):
        fields = (e.data or {}).get("fields") or {}
        out.append({"at": e.created_at, "actor": e.actor_name, "action": _entry_label(e.action, e.from_state),
                    "to": _state_label(e.to_state) if e.to_state else "", "reason": e.reason,
                    "unit": fields.get("unit") or "", "handler": fields.get("handler") or "",
                    "photos": len(e.attachments or [])})
    return out


NOTE_LABELS = {"create": _("Report filed"), "attachment_add": _("Photos added"), "assign": _("Assigned"),
               "hand_over": _("Handed over"), "escalate": _("Escalated"), "urge": _("Urged"),
               "supervise": _("Supervised")}


def _entry_label(action: str, from_state: str) -> str:
    """The process's label of a step; the kernel's notes (filing, photos, assignment) in the incident's words."""
    if action in NOTE_LABELS:
        return str(NOTE_LABELS[action])
    return action_label(INCIDENT_PROCESS, action, from_state)


def _duplicates(user: User, incident: Incident) -> list[dict[str, Any]]:
    if incident.lng is None or incident.lat is None or not incident.is_open:
        return []
    try:
        found = incident_duplicates(category=incident.category.code, lng=incident.lng, lat=incident.lat,
                                    exclude=[incident.pk])
    except FieldError:
        return []
    visible = set(selectors.incident_scope(user=user).filter(pk__in=[d.pk for d in found])
                  .values_list("pk", flat=True))
    return [_dup_row(d, incident.lng, incident.lat) for d in found if d.pk in visible]


def _dup_row(d: Incident, lng: float | None, lat: float | None) -> dict[str, Any]:
    from zhenwu.grid.services.incidents import distance_metres

    metres = None
    if lng is not None and lat is not None and d.lng is not None and d.lat is not None:
        metres = round(distance_metres(lng, lat, d.lng, d.lat))
    return {"number": d.case.number, "category": d.category_version.name, "status_label": _state_label(d.case.status),
            "address": d.address, "description": d.description, "metres": metres, "created_at": d.case.created_at}


def _departments(user: User) -> list[Department]:
    prefix = scope_prefix(user) or ""
    town = prefix[:9]
    return list(Department.objects.select_related("area").filter(area__code__startswith=town).order_by("kind", "name")
                [:200]) if prefix is not None else []


def _people(area_code: str) -> list[User]:
    """Staff of the incident's town who may handle a step (the dispatch's person picker)."""
    from zhenwu.grid.process import HANDLER_ROLES

    town = area_code[:9]
    return list(User.objects.filter(is_active=True, kind="staff", role_assignments__role__in=HANDLER_ROLES,
                                    scope_area__code__startswith=town).distinct().order_by("username")[:200])


def _action_forms(user: User, incident: Incident, bound: dict[str, Any] | None) -> list[dict[str, Any]]:
    from zhenwu.grid.services.steps import dispatch_suggestion

    offered = selectors.incident_actions(user=user, incident=incident)
    keys = [a["key"] for a in offered]
    primary = next((k for k in PRIMARY if k in keys), None)
    out = []
    for a in offered:
        key = a["key"]
        fields = list(a["required"])
        if key in ("dispatch", "reassign"):
            fields = ["unit", "handler", "reason"]
        elif key == "evaluate":
            fields = ["score", "note"]
        elif key in ("approve_extension", "verify_pass", "merge"):
            fields = [*fields, "reason"] if "reason" not in fields else fields
        group = "primary" if key == primary else "danger" if key in DANGER else "more"
        out.append({"key": key, "label": a["label"], "fields": fields, "group": group, "required_fields": a["required"],
                    "photos_required": "photos" in a["required"], "multipart": "photos" in fields,
                    "url": reverse("grid:incident_act", kwargs={"number": incident.case.number, "action": key}),
                    "errors": (bound or {}).get("errors", {}) if bound and bound["key"] == key else {},
                    "values": (bound or {}).get("values", {}) if bound and bound["key"] == key else {}})
    if any(k in keys for k in ("dispatch", "reassign")):
        suggestion = dispatch_suggestion(incident) if incident.case.status == "registered" else {}
        for form in out:
            if form["key"] in ("dispatch", "reassign"):
                form["suggested"] = suggestion.get("department") or suggestion.get("squad")
    return sorted(out, key=lambda a: ("primary", "more", "danger").index(a["group"]))


def incident_context(user: User, incident: Incident, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    case = incident.case
    names = area_names([case.area_code])
    light = selectors.live_light(incident)
    actions = _action_forms(user, incident, bound)
    wants_people = any(a["key"] in ("dispatch", "reassign") for a in actions)
    merged = list(selectors.incident_merged(incident=incident))
    return {
        "i": incident, "case": case, "status_label": _state_label(case.status), "grid_name": names.get(case.area_code),
        "light": light, "light_label": LIGHT_LABELS.get(light, ""), "holder": _holder(incident),
        "reporter_name": mask_name(incident.reporter_name), "reporter_mobile": mask_mobile(incident.reporter_mobile),
        "photos": _photos(incident.photos), "result_photos": _photos(incident.result_photos),
        "verify_photos": _photos(incident.verify_photos), "timeline": _timeline(incident),
        "duplicates": _duplicates(user, incident), "merged": merged, "extension": selectors.pending_extension(incident),
        "actions": actions, "primary": [a for a in actions if a["group"] == "primary"],
        "more": [a for a in actions if a["group"] == "more"], "danger": [a for a in actions if a["group"] == "danger"],
        "bound_action": bound["key"] if bound else "", "bound_error": bound.get("error") if bound else "",
        "departments": _departments(user) if wants_people else [],
        "people": _people(case.area_code) if wants_people else [],
        "scores": range(1, 6), "unit_label": dict(_UNIT_LABELS).get(case.deadline_unit or
                                                                      incident.category_version.limit_unit, ""),
        "tracking_code": tracking_code(case.number), "level_label": EscalationLevel(incident.escalation_level).label,
        "map_config": {"point": [incident.lng, incident.lat] if incident.lng is not None else None,
                       "tileUrl": settings.MAP_TILE_URL, "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
                       "outlines": _outlines(case.area_code[:15]) if incident.lng is not None else None,
                       "colour": {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828"}.get(light, "#1565c0"),
                       "text": {"credit": _g("Map drawn with Leaflet")}},
        "field_labels": FIELD_LABELS,
    }


_UNIT_LABELS = (("hours", _("hours")), ("working_days", _("working days")), ("natural_days", _("days")))


@login_required
def incident_page(request: HttpRequest, number: str) -> HttpResponse:
    user, incident = _get(request, number)
    return render(request, "grid/incidents/incident.html", incident_context(user, incident))


def read_photos(request: HttpRequest, field: str = "photos") -> list[tuple[str, bytes]]:
    """The uploaded photos as (name, bytes); one too large is refused before it is read."""
    photos: list[tuple[str, bytes]] = []
    for i, f in enumerate(request.FILES.getlist(field)):
        if (f.size or 0) > settings.GRID_PHOTO_MAX_BYTES:
            raise FieldError(f"{field}.{i}", _g("The photo is larger than %(mb)d MB.")
                             % {"mb": settings.GRID_PHOTO_MAX_BYTES // (1024 * 1024)})
        photos.append((f.name or "", f.read()))
    return photos


STEP_KEYS = ("reason", "result", "into", "value", "score", "note", "unit", "handler")


@login_required
@require_POST
def incident_act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """One step through the service; on a refusal the page again with the message on that step's form."""
    from zhenwu.grid.api import _step

    user, incident = _get(request, number)
    values = {k: request.POST.get(k, "").strip() for k in STEP_KEYS}
    version = request.POST.get("expected_version", "")
    offered = {a["key"]: a for a in selectors.incident_actions(user=user, incident=incident)}
    error, status = "", 400
    errors: dict[str, str] = {}
    if version.isdigit() and int(version) != incident.case.version:
        error, status = _g("Someone else changed this incident meanwhile; reload the page and try again."), 409
    elif action not in offered:
        error, status = _g("This action is not possible for you in the incident's current state."), 403
    else:
        try:
            data = s.IncidentActionIn(expected_version=int(version) if version.isdigit() else None, **values)
            _step(user, incident, action, data, read_photos(request), _rid(request))
        except Conflict:
            error, status = _g("Someone else changed this incident meanwhile; reload the page and try again."), 409
        except FieldError as exc:
            status = exc.status
            for field, message in exc.errors:
                head = (field or "").split(".")[0]
                if head in STEP_KEYS or head == "photos":
                    errors.setdefault(head, str(message))
                else:
                    error = str(message)
        else:
            messages.success(request, _g("Done: %(action)s.") % {"action": offered[action]["label"]})
            return redirect("grid:incident", number=number)
    _user, fresh = _get(request, number)  # re-read: the refused step left the incident as it was
    bound = {"key": action, "values": values, "errors": errors, "error": error}
    response = render(request, "grid/incidents/incident.html", incident_context(user, fresh, bound))
    response.status_code = status
    return response


# ---------------------------------------------------------------- staff report form

STAFF_SOURCES = (Source.PATROL, Source.HOTLINE, Source.CAMERA, Source.APPROVAL, Source.ENFORCEMENT)


def category_groups(user: Any) -> list[dict[str, Any]]:
    """The category picker: the user's recent ones first, then by major class."""
    picked = selectors.categories_for(user=user)
    groups: list[dict[str, Any]] = []
    recent = [c for c, was_recent in picked if was_recent]
    if recent:
        groups.append({"name": _g("Recently used"), "items": recent})
    by_major: dict[str, dict[str, Any]] = {}
    for c, _recent in picked:
        assert c.parent is not None
        by_major.setdefault(c.parent.code, {"name": f"{c.parent.code} {c.parent.name}", "items": []})["items"].append(c)
    groups += [by_major[k] for k in sorted(by_major)]
    return groups


REPORT_KEYS = ("category", "lng", "lat", "grid_code", "address", "description", "source", "reporter_name",
               "reporter_mobile", "merge_into", "checked")


def _nearby(user: User, category: str, lng: float | None, lat: float | None) -> list[dict[str, Any]]:
    if lng is None or lat is None or not category:
        return []
    try:
        found = incident_duplicates(category=category, lng=lng, lat=lat)
    except FieldError:
        return []
    visible = set(selectors.incident_scope(user=user).filter(pk__in=[d.pk for d in found])
                  .values_list("pk", flat=True))
    return [_dup_row(d, lng, lat) for d in found if d.pk in visible]


@login_required
def incident_new(request: HttpRequest) -> HttpResponse:
    """上报事件 by staff: the category (recent first), the point on the map (or the grid), photos. Open
    incidents of the same category nearby are offered before filing: merge into one, or file anyway."""
    user = _reader(request)
    if not user.has_role(*policy.REPORT_ROLES):
        raise PermissionDenied(_g("Your roles do not allow this action."))
    values = {k: request.POST.get(k, "").strip() for k in REPORT_KEYS}
    if request.method != "POST":
        values["source"] = Source.HOTLINE if user.has_role(*policy.DISPATCH_ROLES) else Source.PATROL
    errors: dict[str, str] = {}
    error, status, duplicates = "", 200, []
    if request.method == "POST":
        status = 400
        try:
            lng, lat = coordinate_parse(values["lng"], "lng"), coordinate_parse(values["lat"], "lat")
            duplicates = [] if values["checked"] else _nearby(user, values["category"], lng, lat)
            if duplicates and not values["merge_into"]:
                error = _g("Open incidents of this category were reported nearby: merge into one of them, or "
                           "file a new incident anyway. Choose the photos again.")
            else:
                incident = incident_report(
                    actor=user, category=values["category"], lng=lng, lat=lat, grid_code=values["grid_code"] or None,
                    address=values["address"], description=values["description"], source=values["source"],
                    photos=read_photos(request), reporter_name=values["reporter_name"],
                    reporter_mobile=values["reporter_mobile"], merge_into=values["merge_into"] or None,
                    request_id=_rid(request))
                if incident.merged_into_id and incident.merged_into:
                    messages.success(request, _g("Incident %(number)s was filed and merged into %(into)s.")
                                     % {"number": incident.case.number, "into": incident.merged_into.case.number})
                else:
                    messages.success(request, _g("Incident %(number)s was filed.") % {"number": incident.case.number})
                return redirect("grid:incident", number=incident.case.number)
        except FieldError as exc:
            status = exc.status
            for field, message in exc.errors:
                head = (field or "").split(".")[0]
                if head == "source":  # the service lists the codes; the form offers the names
                    message = _g("Choose where the report came from.")
                if head in REPORT_KEYS or head == "photos":
                    errors.setdefault(head, str(message))
                else:
                    error = str(message)
    focus = user.scope_area
    context = {"values": values, "errors": errors, "error": error, "duplicates": duplicates,
               "groups": category_groups(user), "sources": [(str(v), Source(v).label) for v in STAFF_SOURCES],
               "grids": [(c, n) for c, n in _grid_choices(user)],
               "map_config": {"bbox": focus.bbox if focus is not None else None, "tileUrl": settings.MAP_TILE_URL,
                              "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
                              "outlines": _outlines(focus.code if focus is not None else ""),
                              "duplicatesApi": "/api/v1/grid/duplicates",
                              "text": {"credit": _g("Map drawn with Leaflet"), "nearby": _g("Reported nearby"),
                                       "metres": _g("m away")}},
               "max_photos": settings.GRID_MAX_PHOTOS, "priorities": Priority.choices}
    return render(request, "grid/incidents/new.html", context, status=status)

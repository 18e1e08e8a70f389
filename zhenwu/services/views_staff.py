"""Staff pages of the service hall: the queues, one page per case with exactly the actions the user may
take now, filing at the window or the village station, and the PDF notices.

Thin views: selectors read (scoped; outside the scope → 404), services write (a FieldError re-shows the
form with its message; a lost race says the case changed). One queue view answers both the page and,
for htmx, the table alone.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhenwu.accounts.http import request_id as _rid
from zhenwu.accounts.http import request_user
from zhenwu.accounts.masking import mask_id_number, mask_mobile, mask_name, mask_uscc
from zhenwu.accounts.models import User
from zhenwu.casework.choices import Light
from zhenwu.casework.models import Attachment
from zhenwu.casework.process import process_get
from zhenwu.casework.services import attachment_store
from zhenwu.casework.services.assignment import stand_in_current
from zhenwu.casework.workcal import calendar_current
from zhenwu.errors import Conflict, FieldError, NotFound
from zhenwu.errors import gettext as _g
from zhenwu.services import forms as f
from zhenwu.services import notices, selectors, services
from zhenwu.services.choices import ApplicationChannel, Status
from zhenwu.services.labels import action_label
from zhenwu.services.lights import live_light
from zhenwu.services.models import Application, RatingPad, ServiceItem
from zhenwu.services.policy import may_open, pages_for
from zhenwu.services.qr import qr_svg

PAGE_SIZE = 25
LIGHT_LABELS = dict(Light.choices)
FILTERS = ("item", "department", "channel", "status", "light", "q", "filed")


@dataclass(frozen=True)
class Tab:
    key: str
    label: Any
    queue: str
    roles: tuple[str, ...]
    channel: str = ""


TABS = (
    Tab("accept", _("To accept"), "accept", ("window_clerk", "supervisor", "admin")),
    Tab("hand_out", _("To hand out"), "hand_out", ("window_clerk", "supervisor", "admin")),
    Tab("review", _("Review"), "review", ("reviewer", "supervisor", "admin")),
    Tab("approve", _("Approval"), "approve", ("leader", "supervisor", "admin")),
    Tab("village", _("Village proxy cases"), "", ("village_staff",), ApplicationChannel.PROXY),
    Tab("all", _("All"), "", ()),
)


def _staff(request: HttpRequest) -> User:
    """Staff pages are for staff only: anyone else gets 404, as for an out-of-scope case."""
    user = request.user
    if not isinstance(user, User) or user.kind != "staff":
        raise Http404
    return user


def _tabs(user: User) -> list[Tab]:
    return [t for t in TABS if not t.roles or user.has_role(*t.roles)]




# ---------------------------------------------------------------- queues

def _days_left(app: Application, today: dt.date) -> int | None:
    case = app.case
    if case.deadline_due_at is None or case.deadline_stopped_at is not None:
        return None
    return calendar_current().between(today, timezone.localdate(case.deadline_due_at))


def _row(app: Application, today: dt.date) -> dict[str, Any]:
    case, left = app.case, _days_left(app, today)
    return {"number": case.number, "item": app.item_version.name, "department": app.item_version.department,
            "applicant": mask_name(app.applicant_name), "channel": app.get_channel_display(),
            "status": _status_label(case.status), "light": live_light(case),
            "light_label": LIGHT_LABELS.get(live_light(case), ""), "days_left": left,
            "overdue": -left if left is not None and left < 0 else 0,
            "paused": case.paused_at is not None, "handler": selectors.current_handler(application=app),
            "created_at": case.created_at}


def _status_label(status: str) -> Any:
    return Status(status).label if status in Status.values else status


def _tab_counts(user: User, tabs: list[Tab], queues: dict[str, int]) -> dict[str, int]:
    counts = {t.key: queues[t.queue] for t in tabs if t.queue}
    for t in tabs:
        if not t.queue:
            counts[t.key] = selectors.application_list(user=user, channel=t.channel).count()
    return counts


def _choices() -> dict[str, Any]:
    items = ServiceItem.objects.filter(current_version__isnull=False).order_by("code")
    return {"items": items.values_list("code", "name"),
            "departments": items.order_by("department").values_list("department", flat=True).distinct(),
            "channels": ApplicationChannel.choices, "statuses": Status.choices,
            "light_choices": [c for c in Light.choices if c[0]]}


SEARCHES_KEY = "services_queue_searches"


def _search_keep(request: HttpRequest, q: str) -> str:
    """Keep a search text in the session and return a token for the address: an ID number or a mobile
    searched for never appears in a URL (history, proxies, access logs)."""
    searches = {k: v for k, v in request.session.get(SEARCHES_KEY, {}).items() if v != q}
    token = secrets.token_urlsafe(6)
    searches[token] = q
    request.session[SEARCHES_KEY] = dict(list(searches.items())[-20:])
    return token


def _search_text(request: HttpRequest, query: QueryDict) -> str:
    return str(request.session.get(SEARCHES_KEY, {}).get(query.get("s", ""), ""))


def queue_context(request: HttpRequest, user: User, query: QueryDict | None = None) -> dict[str, Any]:
    query = request.GET if query is None else query
    tabs = _tabs(user)
    tab = next((t for t in tabs if t.key == query.get("tab")), tabs[0])
    params = {k: query.get(k, "").strip() for k in FILTERS if k != "q"}
    params["q"] = _search_text(request, query)
    error, rows, page = None, [], None
    try:
        qs = selectors.application_list(user=user, queue=tab.queue,
                                        **{**params, "channel": tab.channel or params["channel"]})
        page = Paginator(qs, PAGE_SIZE).get_page(query.get("page"))
        today = timezone.localdate()
        rows = [_row(app, today) for app in page]
    except FieldError as exc:
        error = str(exc.errors[0][1])
    kept = query.copy()
    kept.pop("page", None)
    return {"tabs": [(t, t.key == tab.key) for t in tabs], "tab": tab, "params": params, "rows": rows,
            "page": page, "error": error, "query": kept.urlencode(), "filtered": any(params.values())}


def _search_post(request: HttpRequest) -> tuple[str, QueryDict]:
    """The filter form is POSTed: its values become the queue's address, the search text a session token."""
    query = QueryDict(mutable=True)
    for key in ("tab", *FILTERS):
        value = request.POST.get(key, "").strip()
        if value and key != "q":
            query[key] = value
    q = request.POST.get("q", "").strip()[:100]
    if q:
        query["s"] = _search_keep(request, q)
    return f"{reverse('services:queue')}?{query.urlencode()}", query


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The user's queues; for an htmx request only the table. The filter form POSTs (search by ID number
    or mobile stays out of the address) and is redirected to the queue's clean address."""
    user = _staff(request)
    if not may_open(user, "queue"):
        raise PermissionDenied(_g("Your roles do not allow this action."))
    if request.method == "POST":
        url, query = _search_post(request)
        if not request.headers.get("HX-Request"):
            return redirect(url)
        response = render(request, "services/staff/_table.html", queue_context(request, user, query))
        response["HX-Push-Url"] = url
        return response
    context = queue_context(request, user)
    if request.headers.get("HX-Request"):
        return render(request, "services/staff/_table.html", context)
    summary = selectors.application_counts(user=user)  # one grouped query for the tabs and the lights
    counts = _tab_counts(user, [t for t, _active in context["tabs"]], summary["queues"])
    context["tabs"] = [(t, active, counts[t.key]) for t, active in context["tabs"]]
    context["lights"] = summary["lights"]
    return render(request, "services/staff/queue.html", {**context, **_choices(), "may": pages_for(user),
                                                         "can_file": _filing_channel(user, "") is not None})


# ---------------------------------------------------------------- the case page

def _get(request: HttpRequest, number: str) -> tuple[User, Application]:
    user = _staff(request)
    try:
        return user, selectors.application_get(user=user, number=number)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _applicant(app: Application) -> dict[str, Any]:
    return {"name": mask_name(app.applicant_name), "id_number": mask_id_number(app.applicant_id_number),
            "uscc": mask_uscc(app.applicant_uscc), "mobile": mask_mobile(app.applicant_mobile),
            "kind": app.get_applicant_kind_display()}


def _stand_in(app: Application) -> User | None:
    """Who covers the case's handler now (A/B角), shown beside the handler."""
    return stand_in_current(handler=app.case.handler)


def _timeline(app: Application) -> list[dict[str, Any]]:
    out = []
    proc = process_get(app.case.process)
    for e in selectors.application_timeline(application=app):
        cover = (e.data or {}).get("stand_in_for")
        opinion = ((e.data or {}).get("fields") or {})
        # No actor on the filing: the applicant themself (online, the self-service terminal); later: the system.
        actor = e.actor_name or (_("Applicant") if e.action == "create" else _("System"))
        out.append({"at": e.created_at, "actor": actor, "action": action_label(proc, e.action, e.from_state),
                    "to": _status_label(e.to_state) if e.to_state else "", "reason": e.reason,
                    "missing": opinion.get("missing") or [], "stand_in_for": cover["name"] if cover else ""})
    return out


@dataclass(frozen=True)
class Action:
    label: Any
    form: type[f.ActionForm]
    run: Callable[[User, Application, dict[str, Any], HttpRequest], Any]
    multipart: bool = False


def _version(data: dict[str, Any]) -> dict[str, Any]:
    return {"expected_version": data.get("version")}


def _upload(request: HttpRequest, field: str, target: str) -> str:
    """Store an uploaded file through the casework upload service; its errors name ``target``."""
    upload = request.FILES.get(field)
    if upload is None:
        return ""
    try:
        return attachment_store(actor=request_user(request), data=upload.read()).sha256
    except FieldError as exc:
        raise FieldError(target, exc.errors[0][1]) from exc


def _supply(user: User, app: Application, d: dict[str, Any], request: HttpRequest) -> Any:
    sha = _upload(request, "supply_file", "supplied")
    given = [{"name": n, "attachments": [sha] if sha else []} for n in d["supplied"]]
    return services.application_supply(actor=user, application=app, materials=given, request_id=_rid(request),
                                       **_version(d))


def _deliver(user: User, app: Application, d: dict[str, Any], request: HttpRequest) -> Any:
    sha = _upload(request, "result_file", "result_attachment")
    return services.application_deliver(actor=user, application=app, mode=d["mode"] or "",
                                        tracking_number=d["tracking_number"], signature=d["signature"],
                                        result_attachment=sha, request_id=_rid(request),
                                        base_url=request.build_absolute_uri("/"), **_version(d))


def _reassign(user: User, app: Application, d: dict[str, Any], request: HttpRequest) -> Any:
    if d["handler"] is None:
        raise FieldError("handler", _g("This field is required."))
    return services.application_reassign(actor=user, application=app, handler=d["handler"], reason=d["reason"],
                                         request_id=_rid(request))


def _plain(fn: Callable[..., Any], *keys: str) -> Callable[[User, Application, dict[str, Any], HttpRequest], Any]:
    def run(user: User, app: Application, d: dict[str, Any], request: HttpRequest) -> Any:
        return fn(actor=user, application=app, request_id=_rid(request), **_version(d), **{k: d[k] for k in keys})
    return run


def _review(user: User, app: Application, d: dict[str, Any], request: HttpRequest) -> Any:
    return services.application_review(actor=user, application=app, step=app.case.status, opinion=d["opinion"],
                                       approve=d["approve"] == "1", request_id=_rid(request), **_version(d))


def _decide(user: User, app: Application, d: dict[str, Any], request: HttpRequest) -> Any:
    return services.application_decide(actor=user, application=app, approve=d["approve"] == "1",
                                       reason=d["reason"], request_id=_rid(request), **_version(d))


CODES_KEY = "services_tracking_codes"


def remember_code(request: HttpRequest, app: Application) -> None:
    """Keep a just-issued 查询码 in the clerk's session, so the acceptance notice printed now carries it;
    it is stored nowhere else in clear (the application keeps a keyed hash)."""
    if app.new_tracking_code:
        codes = dict(request.session.get(CODES_KEY, {}))
        codes.pop(app.case.number, None)
        codes[app.case.number] = app.new_tracking_code
        request.session[CODES_KEY] = dict(list(codes.items())[-50:])


def remembered_code(request: HttpRequest, app: Application) -> str:
    return str(request.session.get(CODES_KEY, {}).get(app.case.number, ""))


def _accept(user: User, app: Application, d: dict[str, Any], request: HttpRequest) -> Any:
    done = services.application_accept(actor=user, application=app, request_id=_rid(request), **_version(d))
    remember_code(request, done)
    return done


def _reissue(user: User, app: Application, d: dict[str, Any], request: HttpRequest) -> Any:
    done = services.tracking_code_reissue(actor=user, application=app, request_id=_rid(request))
    remember_code(request, done)
    return done


def _open_pad(user: User, app: Application, d: dict[str, Any], request: HttpRequest) -> Any:
    return services.rating_pad_open(actor=user, application=app, request_id=_rid(request))


ACTIONS: dict[str, Action] = {
    "precheck": Action(_("Pre-check passed"), f.ActionForm, _plain(services.application_precheck)),
    "accept": Action(_("Accept"), f.ActionForm, _accept),
    "reject": Action(_("Do not accept"), f.ConfirmedReasonForm, _plain(services.application_reject, "reason")),
    "request_supplement": Action(_("One-time supplement notice"), f.SupplementForm,
                                 _plain(services.application_request_supplement, "missing", "reason")),
    "supply": Action(_("Supplementary materials received"), f.SupplyForm, _supply, multipart=True),
    "review": Action(_("Review"), f.ReviewForm, _review),
    "decide": Action(_("Decide"), f.DecideForm, _decide),
    "finish": Action(_("Finish"), f.ActionForm, _plain(services.application_finish)),
    "deliver": Action(_("Hand out the result"), f.DeliverForm, _deliver, multipart=True),
    "withdraw": Action(_("Record withdrawal"), f.ConfirmedReasonForm,
                       _plain(services.application_withdraw, "reason")),
    "special_pause": Action(_("Special procedure"), f.ReasonForm,
                            _plain(services.application_special_pause, "reason")),
    "special_resume": Action(_("End special procedure"), f.ReasonForm,
                             _plain(services.application_special_resume, "reason")),
    "reassign": Action(_("Reassign"), f.ReassignForm, _reassign),
    "reissue_code": Action(_("Issue a new tracking code"), f.ActionForm, _reissue),
    "open_pad": Action(_("Open the rating pad"), f.ActionForm, _open_pad),
}


# The case's next step, when offered, is the one primary button; destructive steps are set apart and confirmed.
PRIMARY_ORDER = ("precheck", "accept", "supply", "review", "decide", "finish", "deliver", "special_resume",
                 "open_pad")
DESTRUCTIVE = ("reject", "withdraw")


def _action_forms(user: User, app: Application, bound: tuple[str, f.ActionForm] | None) -> list[dict[str, Any]]:
    names = selectors.application_actions(user=user, application=app)
    if "decide" in names:
        names = [n for n in names if n != "review"]  # at the last step the decision is the review
    primary = next((n for n in PRIMARY_ORDER if n in names), None)
    out = []
    for name in names:
        spec = ACTIONS.get(name)
        if spec is None:
            continue
        form = bound[1] if bound and bound[0] == name else spec.form(application=app, auto_id=f"{name}_%s")
        group = "primary" if name == primary else "danger" if name in DESTRUCTIVE else "more"
        out.append({"name": name, "label": spec.label, "form": form, "multipart": spec.multipart, "group": group,
                    "url": reverse("services:act", kwargs={"number": app.case.number, "action": name})})
    return sorted(out, key=lambda a: ("primary", "more", "danger").index(a["group"]))


def _preview(sha: str, stored: dict[str, Attachment]) -> dict[str, Any]:
    """How to show one stored file: an image's thumbnail, a PDF inline, else a download link."""
    a = stored.get(sha)
    kind = a.content_type if a else ""
    return {"sha": sha, "url": f"/api/v1/casework/attachments/{sha}", "size": a.size if a else 0,
            "image": kind.startswith("image/"), "pdf": kind == "application/pdf",
            "thumbnail": bool(a and a.thumbnail_name)}


def _materials_view(app: Application) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The checklist with a preview of each file, and the electronic result's preview (if any)."""
    hashes = {sha for m in app.materials for sha in m.get("attachments", [])} | {app.result_attachment}
    stored = {a.sha256: a for a in Attachment.objects.filter(sha256__in=hashes - {""})}
    rows = [{**m, "to_supplement": m["name"] in app.supplement_missing,
             "files": [_preview(sha, stored) for sha in m.get("attachments", [])]} for m in app.materials]
    result = [_preview(app.result_attachment, stored)] if app.result_attachment else []
    return rows, result


def _deadline(app: Application) -> dict[str, Any]:
    case = app.case
    light = live_light(case)
    due = timezone.localdate(case.deadline_due_at) if case.deadline_due_at else None
    return {"light": light, "light_label": LIGHT_LABELS.get(light, ""), "due": due,
            "stopped": case.deadline_stopped_at is not None, "late": bool(
                case.deadline_stopped_at and case.deadline_due_at and case.deadline_stopped_at > case.deadline_due_at)}


def case_context(user: User, app: Application, bound: tuple[str, f.ActionForm] | None = None) -> dict[str, Any]:
    today = timezone.localdate()
    actions = _action_forms(user, app, bound)
    materials, result = _materials_view(app)
    return {"app": app, "case": app.case, "version": app.item_version, "applicant": _applicant(app),
            "status_label": _status_label(app.case.status), "days_left": _days_left(app, today),
            "stand_in": _stand_in(app), "timeline": _timeline(app), "notices": notices.notice_kinds(app),
            "actions": actions, "primary": [a for a in actions if a["group"] == "primary"],
            "more": [a for a in actions if a["group"] == "more"],
            "danger": [a for a in actions if a["group"] == "danger"], "bound_action": bound[0] if bound else "",
            "handler_label": selectors.current_handler(application=app),
            "handled": selectors.handled_steps(application=app), "materials": materials, "result_files": result,
            "deadline": _deadline(app)}


@login_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    user, app = _get(request, number)
    return render(request, "services/staff/case.html", case_context(user, app))


@login_required
@require_POST
def case_act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """Run one action through its service; on failure the page again, the form carrying the error."""
    user, app = _get(request, number)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    form = spec.form(request.POST, request.FILES, application=app, auto_id=f"{action}_%s")
    status = 400
    if _stale(request, app):
        form.add_error(None, _g("Someone else changed this case meanwhile; reload the page and try again."))
        status = 409
    elif action not in selectors.application_actions(user=user, application=app):
        form.add_error(None, _g("This action is not possible for you in the case's current state."))
        status = 403
    elif form.is_valid():
        try:
            spec.run(user, app, form.cleaned_data, request)
        except Conflict:
            form.add_error(None, _g("Someone else changed this case meanwhile; reload the page and try again."))
            status = 409
        except FieldError as exc:
            _form_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _g("Done: %(action)s.") % {"action": spec.label})
            return redirect("services:case", number=number)
    _user, fresh = _get(request, number)  # re-read: the failed service left the case as it was
    response = render(request, "services/staff/case.html", case_context(user, fresh, (action, form)))
    response.status_code = status
    return response


def _stale(request: HttpRequest, app: Application) -> bool:
    """The form was made for an older version of the case: whatever is offered now, the click lost a race."""
    seen = request.POST.get("version", "")
    return seen.isdigit() and int(seen) != app.case.version


def _form_error(form: Any, exc: FieldError) -> None:
    """Attach a service's errors to the form field they name (``consent.at`` → ``consent_at``,
    ``materials.0.name`` → ``materials``), else to the form as a whole."""
    for field, message in exc.errors:
        name = (field or "").replace(".", "_")
        head = (field or "").split(".")[0]
        target = name if name in form.fields else head if head in form.fields else None
        form.add_error(target, str(message))


# ---------------------------------------------------------------- notices

@login_required
def notice_download(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    _user, app = _get(request, number)
    try:
        data = notices.notice_pdf(app, kind, base_url=request.build_absolute_uri("/"),
                                  tracking_code=remembered_code(request, app))
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return pdf_response(app, kind, data)


def pdf_response(app: Application, kind: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{notices.notice_filename(app, kind)}"'
    return response


# ---------------------------------------------------------------- filing at the window / village station

def _filing_channel(user: User, wanted: str) -> str | None:
    allowed = [c for c, role in ((ApplicationChannel.WINDOW, "window_clerk"),
                                 (ApplicationChannel.PROXY, "village_staff")) if user.has_role(role)]
    return wanted if wanted in allowed else (allowed[0] if allowed else None)


def _filing_items(channel: str) -> list[ServiceItem]:
    items = selectors.service_item_list()
    return list(items.filter(current_version__proxy=True) if channel == ApplicationChannel.PROXY else items)


def _pick_item(items: list[ServiceItem], raw: str) -> tuple[ServiceItem | None, list[ServiceItem]]:
    """The item the picker names (its code, "code name" from the list, or the only name that contains the
    text), else the items matching the text (name, alias or code) to choose from."""
    text = raw.strip()
    if not text:
        return None, []
    code = text.split()[0]
    exact = next((i for i in items if i.code in (text, code)), None)
    if exact is not None:
        return exact, []
    found = [i for i in items if text in i.name or text in i.aliases or text.upper() in i.code.upper()]
    return (found[0], []) if len(found) == 1 else (None, found[:50])


@dataclass
class KeptFile:
    """A file uploaded for material ``i``, kept across a form error (shown by its name, not its hash)."""

    sha: str
    name: str


def _kept_files(request: HttpRequest, rows: list[dict[str, Any]]) -> tuple[dict[int, KeptFile], list[str]]:
    """Store each new upload (``file_<i>``), else keep the one already stored (``sha_<i>``/``fname_<i>``)."""
    kept: dict[int, KeptFile] = {}
    errors: list[str] = []
    for i, row in enumerate(rows):
        upload = request.FILES.get(f"file_{i}")
        if upload is not None:
            try:
                stored = attachment_store(actor=request_user(request), data=upload.read())
                kept[i] = KeptFile(stored.sha256, (upload.name or "")[:100])
            except FieldError as exc:
                errors.append(f"{row['name']}: {exc.errors[0][1]}")
        elif re.fullmatch(r"[0-9a-f]{64}", request.POST.get(f"sha_{i}", "")):
            kept[i] = KeptFile(request.POST[f"sha_{i}"], request.POST.get(f"fname_{i}", "")[:100])
    return kept, errors


def _materials(form: f.NewApplicationForm, kept: dict[int, KeptFile]) -> list[dict[str, Any]]:
    checked = set(form.cleaned_data["materials"])
    return [{"name": row["name"], "attachments": [kept[i].sha] if i in kept else []}
            for i, row in enumerate(form.material_rows) if row["name"] in checked or i in kept]


def _submit(request: HttpRequest, user: User, form: f.NewApplicationForm, kept: dict[int, KeptFile]) -> Application:
    d = form.cleaned_data
    consent = None
    if d["channel"] == ApplicationChannel.PROXY:
        consent = {"by": d["consent_by"], "method": d["consent_method"], "at": d["consent_at"]}
    applicant = {k: d[k] for k in ("applicant_kind", "applicant_name", "id_number", "uscc", "mobile")}
    return services.application_submit(actor=user, item_code=d["item_code"], channel=d["channel"],
                                       materials=_materials(form, kept), applicant=applicant,
                                       consent=consent, request_id=_rid(request))


def _filed_message(app: Application) -> str:
    if app.case.status == Status.SUPPLEMENT:
        return _g("Application %(number)s filed; a one-time supplement notice lists the missing materials: "
                  "%(names)s.") % {"number": app.case.number, "names": "、".join(app.supplement_missing)}
    return _g("Application %(number)s filed.") % {"number": app.case.number}


@login_required
def application_new(request: HttpRequest) -> HttpResponse:
    """受理登记: a window clerk (window channel) or village staff (proxy, with consent) files a case. The
    item is picked by code or name (with search); files stay across a form error; at the window a missing
    required material does not stop the filing (the case goes to 补正 with one notice)."""
    user = _staff(request)
    channel = _filing_channel(user, request.POST.get("channel") or request.GET.get("channel", ""))
    if channel is None:
        raise Http404
    items = _filing_items(channel)
    item, matches = _pick_item(items, request.POST.get("item_code") or request.GET.get("item", ""))
    data = request.POST if request.method == "POST" else None
    form = f.NewApplicationForm(data, items=items, channel=channel, item=item,
                                initial={"item_code": item.code if item else "", "channel": channel})
    status, kept = 200, dict[int, KeptFile]()
    if data is not None:
        status = 400
        kept, upload_errors = _kept_files(request, form.material_rows)
        for message in upload_errors:
            form.add_error(None, message)
        if form.is_valid() and not upload_errors:
            try:
                app = _submit(request, user, form, kept)
            except FieldError as exc:
                _form_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _filed_message(app))
                return redirect("services:case", number=app.case.number)
    rows = [(i, m, kept.get(i)) for i, m in enumerate(form.material_rows)]
    version = item.current_version if item else None
    response = render(request, "services/staff/new.html", {
        "form": form, "item": item, "channel": channel, "rows": rows, "matches": matches, "items": items,
        "picked": request.GET.get("item", "") if item is None else f"{item.code} {item.name}",
        "applicants": version.applicant if version else "both"})
    response.status_code = status
    return response


# ---------------------------------------------------------------- the window's rating pad

@login_required
def pad_pair(request: HttpRequest) -> HttpResponse:
    """Pair the tablet facing the applicant: its secret address is shown once (and as a QR code)."""
    user = _staff(request)
    if not user.has_role("window_clerk"):
        raise Http404
    context: dict[str, Any] = {"pad": RatingPad.objects.filter(clerk=user).first(), "url": ""}
    if request.method == "POST":
        pad, token = services.rating_pad_pair(actor=user)
        url = request.build_absolute_uri(reverse("public:pad", args=[token]))
        context.update({"pad": pad, "url": url, "qr": mark_safe(qr_svg(url, title=_g("Rating pad")))})  # noqa: S308
    return render(request, "services/staff/pad.html", context)


urlpatterns: list[URLPattern] = [
    path("pad/", pad_pair, name="pad"),
    path("", queue, name="queue"),
    path("applications/new/", application_new, name="new"),
    path("applications/<str:number>/", case_detail, name="case"),
    path("applications/<str:number>/act/<slug:action>/", case_act, name="act"),
    path("applications/<str:number>/notices/<slug:kind>.pdf", notice_download, name="notice"),
]

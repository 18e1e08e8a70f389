"""Shell pages: home per role, password and SMS-code login, logout, health check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhenwu.accounts import demo_logins, selectors, services
from zhenwu.accounts.choices import UserKind
from zhenwu.accounts.forms import OtpLoginForm, PasswordLoginForm, SecondFactorForm, as_form_error
from zhenwu.accounts.masking import mask_id_number, mask_mobile, mask_uscc
from zhenwu.accounts.middleware import IDLE_LOGOUT_KEY
from zhenwu.accounts.models import User
from zhenwu.accounts.sending import sms_send
from zhenwu.errors import FieldError
from zhenwu.web import dashboard
from zhenwu.web.roles import role_cards

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
SECOND_FACTOR_KEY = "zhenwu_second_factor"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Staff: one card per role held; citizens and enterprises: their own account page."""
    user = request.user
    assert isinstance(user, User)
    if user.kind != UserKind.STAFF:
        return render(request, "web/home_citizen.html", _citizen_context(user))
    cards = role_cards(user.roles, is_admin_user=user.is_staff)
    recent = selectors.login_attempts_recent(user=user)
    return render(request, "web/home.html", {"cards": cards, "recent": recent, "tiles": dashboard.todo_tiles(user),
                                             "charts": dashboard.home_charts(user)})


def _citizen_context(user: User) -> dict[str, Any]:
    return {"masked": {"id_number": mask_id_number(user.id_number), "uscc": mask_uscc(user.uscc),
                       "mobile": mask_mobile(user.mobile)},
            "tiles": dashboard.citizen_tiles(user), "recent": selectors.login_attempts_recent(user=user)}


def _idle_notice(request: HttpRequest) -> str | None:
    if request.session.pop(IDLE_LOGOUT_KEY, False):
        return _("Your session ended after %(n)d minutes without activity; log in again.") % {
            "n": settings.SESSION_IDLE_MINUTES}
    return None


class PasswordLoginView(LoginView):
    """Staff and citizens with a password; the lockout and the audit live in the form's service."""

    template_name = "web/login.html"
    authentication_form = PasswordLoginForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["demo_logins"] = demo_logins() if settings.DEMO_MODE else []
        context["idle_notice"] = _idle_notice(self.request)
        context["policy"] = {"max_failures": settings.LOGIN_MAX_FAILURES,
                             "window": settings.LOGIN_FAILURE_WINDOW_MINUTES,
                             "lock": settings.LOGIN_LOCK_MINUTES}
        return context

    def form_invalid(self, form: Any) -> HttpResponse:
        status = 429 if getattr(form, "throttled", False) else 400
        return self.render_to_response(self.get_context_data(form=form), status=status)

    def form_valid(self, form: Any) -> HttpResponse:
        """Administrators are not logged in yet: an SMS code is sent and asked for on the next page."""
        user = form.get_user()
        if not services.second_factor_required(user):
            return super().form_valid(form)
        try:
            services.second_factor_issue(user=user, send=sms_send)
        except FieldError as exc:
            if exc.code != "rate_limited":  # a code sent a moment ago is still good: go and enter it
                as_form_error(form, exc)
                return self.form_invalid(form)
        self.request.session.cycle_key()
        self.request.session[SECOND_FACTOR_KEY] = {"user": user.pk, "next": self.get_success_url(),
                                                   "at": timezone.now().timestamp()}
        return redirect("web:login_second_factor")


def _pending_second_factor(request: HttpRequest) -> tuple[User | None, str]:
    pending = request.session.get(SECOND_FACTOR_KEY) or {}
    fresh = timezone.now().timestamp() - pending.get("at", 0) <= settings.OTP_TTL_SECONDS
    user = User.objects.filter(pk=pending.get("user", 0), is_active=True).first() if fresh else None
    return user, pending.get("next") or settings.LOGIN_REDIRECT_URL


def second_factor_view(request: HttpRequest) -> HttpResponse:
    """Step two of an administrator's login: the code sent to the registered mobile."""
    user, next_url = _pending_second_factor(request)
    if user is None:
        messages.error(request, _("Log in with your password first; the code is valid for a few minutes only."))
        return redirect("web:login")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.second_factor_verify(user=user, code=form.cleaned_data["code"], request=request)
        except FieldError as exc:
            as_form_error(form, exc)
        else:
            del request.session[SECOND_FACTOR_KEY]
            login(request, user, backend=MODEL_BACKEND)
            return redirect(resolve_url(next_url))
    context = {"form": form, "mobile": mask_mobile(user.mobile)}
    return render(request, "web/login_second_factor.html", context, status=400 if form.errors else 200)


login_view = PasswordLoginView.as_view()


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                         require_https=request.is_secure())
    return target if ok else ""


def otp_login_view(request: HttpRequest) -> HttpResponse:
    """Citizens and enterprises: mobile number → code by SMS → signed in."""
    if request.method != "POST":
        return _render_otp(request, OtpLoginForm(), step=1)
    form = OtpLoginForm(request.POST)
    if not form.is_valid():
        return _render_otp(request, form, step=1, status=400)
    mobile, code = form.cleaned_data["mobile"], form.cleaned_data["code"]
    verifying = request.POST.get("action") == "verify"
    try:
        if verifying:
            user = services.otp_login(mobile=mobile, code=code, request=request)
            login(request, user, backend=MODEL_BACKEND)
            return redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)
        services.otp_issue(mobile=mobile, send=sms_send, ip=request.META.get("REMOTE_ADDR"))
    except FieldError as exc:
        as_form_error(form, exc)
        # A resend refused for now still leaves the code already received good: keep its field.
        step = 2 if verifying or exc.code in {"rate_limited", "throttled"} else 1
        return _render_otp(request, form, step=step, status=429 if exc.status == 429 else 400)
    return _render_otp(request, OtpLoginForm(initial={"mobile": mobile}), step=2, sent=True)


def _render_otp(request: HttpRequest, form: OtpLoginForm, *, step: int, status: int = 200,
                sent: bool = False) -> HttpResponse:
    context = {"form": form, "step": step, "sent": sent, "next": _next_url(request),
               "ttl_minutes": max(settings.OTP_TTL_SECONDS // 60, 1)}
    return render(request, "web/login_otp.html", context, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


FAVICON = (Path(__file__).parent / "static" / "zhenwu" / "favicon.ico").read_bytes()


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for whatever the page links (the pages link the SVG)."""
    response = HttpResponse(FAVICON, content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response

"""Pages of accounts: my password, my API tokens, self-registration; the admin's login goes to ours."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhenwu.accounts import selectors, services
from zhenwu.accounts.choices import UserKind
from zhenwu.accounts.forms import PasswordChangeForm, RegistrationForm, TokenCreateForm, as_form_error
from zhenwu.accounts.http import request_user
from zhenwu.accounts.models import User
from zhenwu.accounts.registration import (
    REGISTERED_MESSAGE,
    registration_check,
    registration_code_issue,
    registration_complete,
)
from zhenwu.accounts.sending import sms_send
from zhenwu.errors import FieldError, NotFound


def _render_tokens(request: HttpRequest, form: TokenCreateForm, secret: str | None = None,
                   status: int = 200) -> HttpResponse:
    assert isinstance(request.user, User)
    context = {"form": form, "tokens": selectors.token_list(user=request.user), "secret": secret}
    return render(request, "accounts/tokens.html", context, status=status)


@login_required
def tokens_page(request: HttpRequest) -> HttpResponse:
    """List my tokens; POST creates one and shows its secret on this response only."""
    assert isinstance(request.user, User)
    if request.method != "POST":
        return _render_tokens(request, TokenCreateForm())
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            _row, secret = services.token_create(user=request.user, device=form.cleaned_data["device"])
        except FieldError as exc:
            as_form_error(form, exc)
        else:
            return _render_tokens(request, TokenCreateForm(), secret=secret, status=201)
    return _render_tokens(request, form, status=400)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    assert isinstance(request.user, User)
    try:
        services.token_revoke(user=request.user, token_id=token_id)
    except NotFound as exc:
        raise Http404(str(exc.errors[0][1])) from exc
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:tokens")


@login_required
def password_page(request: HttpRequest) -> HttpResponse:
    """Every user changes their own password here (SMS-code-only accounts set a first one)."""
    user = request_user(request)
    needs_old = user.has_usable_password()
    form = PasswordChangeForm(request.POST or None, needs_old=needs_old)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(user=user, old_password=form.cleaned_data.get("old_password"),
                                     new_password=form.cleaned_data["new_password"], request=request)
        except FieldError as exc:
            as_form_error(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password was changed."))
            return redirect("web:home")
    status = 400 if form.errors else 200
    context = {"form": form, "needs_old": needs_old, "help_texts": password_validators_help_texts()}
    return render(request, "accounts/password.html", context, status=status)


def register_page(request: HttpRequest) -> HttpResponse:
    """Self-registration: the details and "send code", then the code and "register"."""
    if request.method != "POST":
        return _render_register(request, RegistrationForm(), step=1)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        return _render_register(request, form, step=1, status=400)
    data, ip = form.cleaned_data, request.META.get("REMOTE_ADDR")
    registering = request.POST.get("action") == "register"
    try:
        if registering:
            done = registration_complete(kind=data["kind"], number=data["number"], name=data["name"],
                                         mobile=data["mobile"], code=data["code"], password=data["password"] or None,
                                         send=sms_send, ip=ip)
            return render(request, "accounts/registered.html", {"done": done, "message": REGISTERED_MESSAGE},
                          status=201)
        registration_check(kind=data["kind"], number=data["number"], name=data["name"], mobile=data["mobile"],
                           password=data["password"] or None)
        registration_code_issue(mobile=data["mobile"], send=sms_send, ip=ip)
    except FieldError as exc:
        as_form_error(form, exc)
        step = 2 if registering or exc.code == "rate_limited" else 1
        return _render_register(request, form, step=step, status=429 if exc.status == 429 else 400)
    return _render_register(request, form, step=2, sent=True)


def _render_register(request: HttpRequest, form: RegistrationForm, *, step: int, status: int = 200,
                     sent: bool = False) -> HttpResponse:
    context = {"form": form, "step": step, "sent": sent, "ttl_minutes": max(settings.OTP_TTL_SECONDS // 60, 1)}
    return render(request, "accounts/register.html", context, status=status)


def admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """The admin signs in through our login page, so the lockout and audit apply there too."""
    user = request.user
    if user.is_authenticated and getattr(user, "kind", UserKind.STAFF) != UserKind.STAFF:
        raise Http404  # citizens and enterprises never see the admin exists
    if user.is_authenticated:
        messages.error(request, _("Your account may not open the administration; "
                                  "log in as an administrator."))
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("web:login"))

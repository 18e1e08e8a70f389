"""Pages of accounts: my API tokens (create, shown once, revoke); the admin's login goes to ours."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhenwu.accounts import selectors, services
from zhenwu.accounts.choices import UserKind
from zhenwu.accounts.forms import TokenCreateForm, as_form_error
from zhenwu.accounts.models import User
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


def admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """The admin signs in through our login page, so the lockout and audit apply there too."""
    user = request.user
    if user.is_authenticated and getattr(user, "kind", UserKind.STAFF) != UserKind.STAFF:
        raise Http404  # citizens and enterprises never see the admin exists
    if user.is_authenticated:
        messages.error(request, _("Your account may not open the administration; "
                                  "log in as an administrator."))
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("web:login"))

"""Departments, staff with roles and a scope area, citizen and enterprise accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.choices import DepartmentKind, LoginMethod, LoginReason, OtpPurpose, Role, UserKind
from zhenwu.accounts.validation import validate_id_number, validate_mobile, validate_uscc

if TYPE_CHECKING:
    from zhenwu.areas.models import Area


class Department(models.Model):
    """部门: a town office (科室), squad (中队), station (站所), or a county department."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=DepartmentKind.choices)
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT,
                             related_name="departments")

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["area__code", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """An account: staff (roles + scope area), a citizen (ID number) or an enterprise (USCC)."""

    kind = models.CharField(_("kind"), max_length=16, choices=UserKind.choices, default=UserKind.STAFF)
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    mobile = models.CharField(_("mobile"), max_length=11, null=True, blank=True, unique=True,
                              validators=[validate_mobile])
    id_number = models.CharField(_("ID number"), max_length=18, null=True, blank=True, unique=True,
                                 validators=[validate_id_number])
    uscc = models.CharField(_("unified social credit code"), max_length=18, null=True, blank=True,
                            unique=True, validators=[validate_uscc])
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="staff")
    scope_area = models.ForeignKey("areas.Area", verbose_name=_("scope area"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="staff")
    # None: the password was set by someone else (an administrator, the demo, an import) and is due
    # for a change by its owner; set when the owner chooses a password.
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        """The admin's 欢迎，… greets by name (AbstractUser's empty first_name made it the login name)."""
        return self.full_name or self.username

    def set_password(self, raw_password: str | None) -> None:
        """Any password set by someone (an administrator, an import) is due for a change by its owner;
        ``services.password_change`` stamps ``password_changed_at`` after calling this."""
        super().set_password(raw_password)
        self.password_changed_at = None

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def scope_code(self) -> str | None:
        """Area-code prefix of everything this staff member may see; None for no staff scope."""
        return self.scope_area.code if self.scope_area_id and self.scope_area else None

    # The area tree asks its viewer (``areas.selectors.AreaViewer``): areas never imports accounts.
    @property
    def area_root(self) -> str | None:
        """Code prefix of the part of the area tree this user may see ('' everything, None nothing)."""
        from zhenwu.accounts.selectors import area_visibility_root

        return area_visibility_root(self)

    def area_staff(self, area: Area) -> list[dict[str, Any]] | None:
        """Staff whose scope is exactly ``area``, with role labels; None when this user may not see them."""
        from zhenwu.accounts.selectors import area_staff

        return area_staff(user=self, area=area)


# Fields of a scope area that authentication and scope checks never read: its GeoJSON can be megabytes
# (a town's boundary), and decoding it on every request cost more than the rest of the request.
SCOPE_AREA_DEFERRED = ("scope_area__geometry",)


class _LightScopeAreaDescriptor(ForwardManyToOneDescriptor):
    """``user.scope_area`` loaded lazily without its geometry (read on access, one query, when needed)."""

    def get_queryset(self, **hints: Any) -> Any:
        return super().get_queryset(**hints).defer("geometry")


# Installed after the class is built rather than by a ForeignKey subclass, so migrations see no change.
User.scope_area = _LightScopeAreaDescriptor(User._meta.get_field("scope_area"))  # type: ignore[assignment,arg-type]


class StaffRole(models.Model):
    """One role held by one staff member."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="staffrole_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class LoginAttempt(models.Model):
    """登录日志: one authentication attempt, successful or not (等保 2.0: every login audited).

    The lockout policy counts the failures of one username from these rows, so the audit trail and
    the lock can never disagree.
    """

    username = models.CharField(_("username"), max_length=150, blank=True)
    user = models.ForeignKey(User, verbose_name=_("user"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="login_attempts")
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=16, choices=LoginMethod.choices)
    success = models.BooleanField(_("success"))
    reason = models.CharField(_("reason"), max_length=32, choices=LoginReason.choices)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("login attempt")
        verbose_name_plural = _("login attempts")
        ordering = ["-at"]
        indexes = [models.Index(fields=["username", "at"], name="loginattempt_user_at")]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M:%S} {self.reason}"


class OtpCode(models.Model):
    """短信验证码: a one-time code for a mobile number (login or registration), stored only as a keyed hash."""

    mobile = models.CharField(_("mobile"), max_length=11, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=16, choices=OtpPurpose.choices, default=OtpPurpose.LOGIN)
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.mobile} {self.created_at:%Y-%m-%d %H:%M:%S}"


class ApiToken(models.Model):
    """API 令牌: a bearer token of one user on one device; the secret is shown once, kept as SHA-256."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    device = models.CharField(_("device"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(_("secret hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.device} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class LoginGate(models.Model):
    """One row per username that ever tried to log in: locked (SELECT … FOR UPDATE) while an attempt is
    reserved, so checking the lockout and counting the attempt are one step across processes."""

    username = models.CharField(_("username"), max_length=150, unique=True)

    class Meta:
        verbose_name = _("login gate")
        verbose_name_plural = _("login gates")

    def __str__(self) -> str:
        return self.username


class ThrottleCounter(models.Model):
    """限流计数: hits of one key (an IP, a mobile) in one scope since the window started.

    Updated by a single conditional UPDATE, so concurrent requests in any process never count past
    the limit; used when no Redis is configured.
    """

    scope = models.CharField(_("scope"), max_length=32)
    key = models.CharField(_("key"), max_length=200)
    window_started_at = models.DateTimeField(_("window started at"))
    hits = models.PositiveIntegerField(_("hits"), default=0)

    class Meta:
        verbose_name = _("throttle counter")
        verbose_name_plural = _("throttle counters")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="throttle_scope_key")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key} {self.hits}"

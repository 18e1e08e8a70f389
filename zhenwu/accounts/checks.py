"""Deployment checks (`zhenwu check --deploy`): the demo's opt-outs and a proxy left unnamed are errors there."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def deployment_checks(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    problems: list[Any] = []
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        problems.append(Error(
            "The development SECRET_KEY is in use (ZHENWU_ALLOW_DEV_SECRET_KEY or DEBUG): anyone can forge "
            "sessions.", hint="Set SECRET_KEY to a long random value and unset ZHENWU_ALLOW_DEV_SECRET_KEY.",
            id="zhenwu.E001"))
    if settings.SMS_BACKEND != "http":
        problems.append(Error(
            f"ZHENWU_SMS_BACKEND={settings.SMS_BACKEND}: one-time login codes are printed or kept in memory, "
            "not sent.", hint="Configure the SMS gateway (README: The SMS gateway) and unset "
            "ZHENWU_ALLOW_INSECURE_SMS.", id="zhenwu.E002"))
    if settings.SECURE_SSL_REDIRECT and not settings.TRUSTED_PROXIES:
        problems.append(Warning(
            "HTTPS is on but ZHENWU_TRUSTED_PROXIES is empty: behind a TLS proxy every request looks like "
            "plain HTTP (a redirect loop) and the login limits see the proxy's address, not the client's.",
            hint="Set ZHENWU_TRUSTED_PROXIES to the proxy's address.", id="zhenwu.W003"))
    return problems

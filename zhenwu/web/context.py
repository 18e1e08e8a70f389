"""Template context shared by every page: the site's name and the menu of pages this user may open."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from zhenwu.web.roles import nav_links


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"DEMO_MODE": settings.DEMO_MODE, "SITE_NAME": "镇务",
            "nav": nav_links(user) if user is not None else []}

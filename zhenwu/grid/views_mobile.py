"""The phone app's shell (/m/): one page, its web app manifest and its service worker.

The shell holds no data: the app signs in for a device token and reads everything through the API, so
the page opens for anyone (and offline, from the service worker's cache). The service worker's cache
name carries a digest of the shell's files, so a new release replaces the old shell at the next visit.
"""

from __future__ import annotations

import functools
import hashlib
import json
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

# The files the app needs to open without a network (besides the page itself and the manifest).
SHELL_STATIC = (
    "grid/mobile/app.css",
    "grid/mobile/app.js",
    "grid/mobile/store.js",
    "grid/mobile/register-sw.js",
    "grid/mobile/icon-192.png",
    "grid/mobile/icon-512.png",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/leaflet.js",
    "zhenwu/leaflet-zh.js",
    "vendor/leaflet/images/marker-icon.png",
    "vendor/leaflet/images/marker-icon-2x.png",
    "vendor/leaflet/images/marker-shadow.png",
)


@functools.cache
def shell_version() -> str:
    """A digest of the shell's static files: it changes whenever one of them does."""
    digest = hashlib.sha256()
    for name in SHELL_STATIC:
        found = finders.find(name)
        if found:
            with open(str(found), "rb") as f:
                digest.update(f.read())
    return digest.hexdigest()[:12]


def _texts() -> dict[str, str]:
    """Every sentence the script shows, translated here (the script holds no user-facing text)."""
    return {
        "offline": pgettext("network", "Offline"), "online": pgettext("network", "Online"),
        "queued": _("Waiting to send: %(n)s"),
        "saved_offline": _("Saved on the phone; it will be sent when the network is back."),
        "sent": _("Reported: %(number)s"),
        "duplicates": _("Open incidents of the same category nearby: %(numbers)s (the dispatcher may merge them)."),
        "sending": _("Sending…"), "failed": _("Not accepted: %(message)s"),
        "need_category": _("Choose a category."), "need_description": _("Describe what you see."),
        "need_location": _("No location yet: wait for GPS or place the pin on the map."),
        "gps_waiting": _("Waiting for GPS…"), "gps_good": _("GPS accuracy %(m)s m"),
        "gps_poor": _("GPS accuracy %(m)s m is poor: drag the pin to where it is."),
        "gps_denied": _("No GPS: place the pin on the map."), "recent": _("Recent"),
        "no_tasks": _("No tasks for you now."), "outbox_empty": _("Nothing waiting: everything has been sent."),
        "tasks_cached": _("Shown from the phone's copy (offline)."),
        "task_verify": _("Verify"), "task_self_close": _("Self-close"), "task_handle": _("Handle"),
        "patrol_running": _("Patrolling since %(time)s"), "patrol_idle": _("No patrol running."),
        "patrol_start": _("Start patrol"), "patrol_stop": _("Stop patrol"),
        "points": _("%(n)s points, %(km)s km"), "checked_in": _("Checked in at %(place)s"),
        "checkin": _("Check in"), "no_places": _("No places with a location nearby."),
        "today": _("Today: %(patrols)s patrols, %(time)s, %(km)s km, %(reports)s reports"),
        "visit_saved": _("Visit saved."), "need_target": _("Choose who you visited."),
        "need_record": _("Write a short record of the visit."), "signed_out": _("Signed out."),
        "login_failed": _("Sign-in failed: %(message)s"), "code_sent": _("A code was sent by SMS; enter it."),
        "network_error": _("No network."), "delete": _("Delete"), "retry": _("Send again"),
        "hours_minutes": _("%(h)s h %(m)s min"), "incident": _("Incident"), "checkin_item": _("Check-in"),
        "patrol_item": _("Patrol"), "visit_item": _("Visit"), "no_incidents": _("No open incidents in your grid."),
        # 一队执法 officers: their tasks and evidence capture (photo, GPS fix and time to a case's evidence)
        "evidence_item": _("Evidence"), "evidence_saved": _("Evidence saved: %(name)s"),
        "evidence_saved_sha": _("Evidence saved: %(name)s. Its fingerprint (SHA-256):"),
        "need_case": _("Choose a case."), "need_photo": _("Take a photo."),
        "no_enforce_tasks": _("No cases in investigation and no supervision tasks for you now."),
        "followup": _("Supervision task"), "evidence_gps": _("Evidence will carry GPS %(m)s m and the time taken."),
        "evidence_no_gps": _("No GPS yet: the evidence carries the time taken only."),
    }


@require_GET
def app(request: HttpRequest) -> HttpResponse:
    config = {
        "api": "/api/v1/",
        "sw": reverse("mobile:sw"),
        "scope": reverse("mobile:app"),
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "goodAccuracy": 50,
        "batchPoints": 20,
        "batchSeconds": 30,
        "text": _texts(),
    }
    return render(request, "grid/mobile/app.html", {"config": config})


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    body: dict[str, Any] = {
        "name": _("Zhenwu grid app"), "short_name": _("Grid app"), "lang": "zh-CN",
        "start_url": reverse("mobile:app"), "scope": reverse("mobile:app"), "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#b71c1c",
        "icons": [{"src": static(f"grid/mobile/icon-{n}.png"), "sizes": f"{n}x{n}", "type": "image/png",
                   "purpose": "any maskable"} for n in (192, 512)],
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/manifest+json")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    shell = [reverse("mobile:app"), reverse("mobile:manifest"), *(static(name) for name in SHELL_STATIC)]
    response = render(request, "grid/mobile/sw.js", {"version": shell_version(), "shell": json.dumps(shell)},
                      content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("mobile:app")
    return response

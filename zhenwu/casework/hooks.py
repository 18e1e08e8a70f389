"""Hooks between pillars: pillars on one layer may not import each other, so where one must tell another
something, or ask it, the kernel names the hook and each side registers or calls it by that name.

- ``SUPERVISION_TASK_OPENED`` — 一窗受理 opened a 审管联动 task (its case, kind SG) in the applicant's grid;
  一队执法 routes it to an officer. Called inside the opening transaction with ``case``, ``id_number``,
  ``uscc`` (the applicant's, for recusal).
- ``SUPERVISION_TASK_COMPLETE`` — 一队执法 ends a 审管联动 task; 一窗受理, which owns the task, records it
  (``actor``, ``case``, ``note_text``, ``expected_version``).
- ``PATROL_SUMMARY`` — 一队执法 asks 一网治理 for the last known position and the patrol distance of some
  users (``user_ids``, ``since``: the distance counts patrols started from then); the answer is
  ``{user_id: {"lng", "lat", "at", "distance_m"}}``.
- ``HALL_APPLICATION_DECIDED`` — a pillar that took over a service-hall application (一窗受理, kind SQ; e.g.
  社会救助 from the window) decided its own case; 一窗受理 records the outcome on the hall's application so the
  window and the applicant's tracking page show it. Called inside the deciding transaction with ``number`` (the
  hall case), ``outcome`` (``approved``, ``denied`` or ``withdrawn``), ``reason`` and ``decided_by`` (the
  deciding pillar's case number).
- ``HALL_APPLICATION_TAKEN_OVER`` — a pillar took over a service-hall application to decide it in its own case
  (社会救助: 核对, 入户调查, 民主评议, 公示 under their own time limits); 一窗受理 pauses the hall's clock as a
  特别程序 until ``HALL_APPLICATION_DECIDED``. Called inside the taking transaction with ``number`` (the hall
  case) and ``taken_by`` (the other pillar's case number).

A listener is registered once from its app's ``ready()``; an unknown name is a configuration error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

SUPERVISION_TASK_OPENED = "supervision_task_opened"
SUPERVISION_TASK_COMPLETE = "supervision_task_complete"
PATROL_SUMMARY = "patrol_summary"
HALL_APPLICATION_DECIDED = "hall_application_decided"
HALL_APPLICATION_TAKEN_OVER = "hall_application_taken_over"
NAMES = frozenset({SUPERVISION_TASK_OPENED, SUPERVISION_TASK_COMPLETE, PATROL_SUMMARY, HALL_APPLICATION_DECIDED,
                   HALL_APPLICATION_TAKEN_OVER})

Listener = Callable[..., Any]
_LISTENERS: dict[str, dict[str, Listener]] = {}


def hook_register(name: str, key: str, fn: Listener) -> None:
    """Register ``fn`` under ``key`` (its app's label: registering again replaces it) for hook ``name``."""
    if name not in NAMES:
        raise ImproperlyConfigured(f"Unknown hook {name!r}; hooks are named in zhenwu/casework/hooks.py.")
    _LISTENERS.setdefault(name, {})[key] = fn


def hook_call(name: str, **kwargs: Any) -> list[Any]:
    """Call every listener of ``name`` in registration order; their answers, in the same order."""
    return [fn(**kwargs) for fn in _LISTENERS.get(name, {}).values()]


def hook_listened(name: str) -> bool:
    return bool(_LISTENERS.get(name))

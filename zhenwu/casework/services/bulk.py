"""Bulk-write whole case histories exactly as ``case_create`` and ``transition()`` would have written them.

For loads of many past cases at once (the demo town, imports of history): the caller describes each case
as plain data — kind, process, area, who opened it when, and its steps (action, moment, actor, fields,
hand-over) — and gets saved ``Case`` rows with gap-free numbers and their per-day ``CaseCounter`` rows,
the deadline fields moved step by step by the kernel's own clock (start / pause / resume / stop, with a
``CasePause`` for each pause left), the holder and its ``CaseHandoff`` history, and each case's audit chain
(one entry per step, the deadline after the step, hashed as ``audit_record`` hashes). ``audit verify``
holds on the result, and a later ``transition()`` continues it.

What a live move checks about the moment — scope, roles, guards, stand-in rights, compare-and-set — does
not apply to history and is not checked; the process is: an unknown kind or process, a process of another
kind, an action not possible from the state the case is in, or a required field missing is a
``FieldError`` naming the draft and step, and nothing is written. Effects are not run. Rows go in with one
``executemany`` each (``casework.bulk_insert``): call it only while nothing else writes cases.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhenwu.accounts.models import Department, User
from zhenwu.casework import bulk_insert, deadlines
from zhenwu.casework.models import AuditEntry, Case, CaseCounter, CaseHandoff, CasePause
from zhenwu.casework.process import DeadlineSpec, ProcessDef, ProcessDefinitionError
from zhenwu.casework.services.audit import GENESIS, case_deadline_snapshot, entry_hash
from zhenwu.casework.services.cases import (
    TOWN_CODE_LENGTH,
    _apply_clock,
    _deadline_push,
    _deadline_start,
    _find_action,
    _target,
    kind_and_process,
)
from zhenwu.errors import FieldError
from zhenwu.errors import gettext as _

KEEP: Any = object()  # a step that leaves the holder as it is


@dataclass
class StepDraft:
    """One move of a drafted case, as ``transition()`` takes it (``deadline`` overrides the target's limit).

    ``handler`` / ``handler_unit``: a hand-over that is part of the step (as ``case_hand_over``: a row of the
    handler history, no entry of its own); ``KEEP`` leaves the holder as it is."""

    action: str
    at: dt.datetime
    actor: User | None = None
    reason: str = ""
    fields: Mapping[str, Any] | None = None
    deadline: DeadlineSpec | None = None
    stand_in_for: User | None = None
    by_applicant: bool = False
    handler: Any = KEEP  # User | None | KEEP
    handler_unit: Department | None = None
    deadline_extend: int = 0  # as ``transition(deadline_extend=…)``: an approved extension moves the due time
    attachments: Sequence[str] = ()  # the SHA-256s the step's entry names, as ``transition(attachments=…)``


@dataclass
class NoteDraft:
    """An entry of the case's chain that is not a move, as ``audit_record`` writes one for a case (an
    escalation, a mediation session, photos added): the state stays, the deadline is recorded as it stands."""

    action: str
    at: dt.datetime
    actor: User | None = None
    reason: str = ""
    data: Mapping[str, Any] | None = None
    attachments: Sequence[str] = ()


@dataclass
class CaseDraft:
    """One case's whole history: opened by ``actor`` at ``created_at`` (``deadline`` overrides the start
    state's limit, as in ``case_create``), then ``steps`` in order."""

    kind: str
    process: str
    area_code: str
    title: str
    created_at: dt.datetime
    actor: User | None = None
    town_code: str | None = None
    deadline: DeadlineSpec | None = None
    reason: str = ""
    steps: list[StepDraft | NoteDraft] = field(default_factory=list)


def _error(where: str, exc: FieldError) -> FieldError:
    """``exc`` re-addressed to the draft (``drafts.<i>.…``), its messages kept translatable."""
    return FieldError(None, errors=[(where, message) for _field, message in exc.errors])


def _entry(case: Case, seq: int, prev: str, actor: User | None, action: str, at: dt.datetime, *,
           from_state: str = "", to_state: str = "", reason: str = "",
           data: Mapping[str, Any] | None = None, attachments: Sequence[str] = ()) -> AuditEntry:
    entry: Any = bulk_insert.instance(AuditEntry, {
        "subject": case.number, "seq": seq, "actor_id": actor.pk if actor else None,
        "actor_name": str(actor or "")[:150], "action": action, "from_state": from_state, "to_state": to_state,
        "reason": reason, "attachments": list(attachments), "request_id": "",
        "data": json.loads(json.dumps(data, default=str)) if data is not None else None,
        "deadline": case_deadline_snapshot(case), "created_at": at, "prev_hash": prev})
    entry.hash = entry_hash(entry)
    return entry


class _Writer:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.entries: list[AuditEntry] = []
        self.pauses: list[CasePause] = []
        self.handoffs: list[CaseHandoff] = []
        self.entry_cases: list[Case] = []  # the case of each entry and hand-over, given its key once inserted
        self.handoff_cases: list[Case] = []
        self.procs: dict[tuple[str, str], tuple[str, ProcessDef]] = {}

    def resolve(self, i: int, d: CaseDraft) -> tuple[str, ProcessDef]:
        """The kind's code and the process of draft ``i`` (each pair checked once)."""
        key = (d.kind, d.process)
        if key not in self.procs:
            try:
                kind, proc = kind_and_process(d.kind, d.process)
            except ProcessDefinitionError as exc:
                raise FieldError(f"drafts.{i}.process", _("Unknown process %(process)r.") % {"process": d.process}
                                 ) from exc
            except FieldError as exc:
                raise _error(f"drafts.{i}.{exc.field or 'kind'}", exc) from exc
            self.procs[key] = (kind.code, proc)
        return self.procs[key]

    def build(self, i: int, d: CaseDraft, number: str, kind: str, proc: ProcessDef, town: str) -> Case:
        case = Case(number=number, kind=kind, process=proc.key, status=proc.start.key, version=1,
                    area_code=d.area_code, town_code=town, title=d.title, created_by=d.actor,
                    created_at=d.created_at, updated_at=d.created_at)
        spec = d.deadline or proc.start.limit
        if spec:
            _deadline_start(case, spec, d.created_at)
        entries = [_entry(case, 1, GENESIS, d.actor, "create", d.created_at, to_state=case.status, reason=d.reason,
                          data={"process": proc.key, "title": d.title})]
        for j, step in enumerate(d.steps):
            entries.append(self._step(case, proc, step, entries[-1], f"drafts.{i}.steps.{j}"))
        self.entries += entries
        self.entry_cases += [case] * len(entries)
        if case.deadline_live and case.paused_at is None:  # the light as the periodic tick leaves it
            case.light = deadlines.light_for(case.deadline_unit, case.deadline_limit, case.deadline_due_at, self.now)
        elif case.deadline_due_at and case.deadline_stopped_at:  # … as it stood when the clock stopped
            case.light = deadlines.light_for(case.deadline_unit, case.deadline_limit, case.deadline_due_at,
                                             case.deadline_stopped_at)
        return case

    def _step(self, case: Case, proc: ProcessDef, step: StepDraft | NoteDraft, last: AuditEntry,
              where: str) -> AuditEntry:
        if step.at < last.created_at:
            raise FieldError(f"{where}.at", _("Steps must be in time order."))
        if isinstance(step, NoteDraft):
            case.updated_at = max(case.updated_at, step.at)
            return _entry(case, last.seq + 1, last.hash, step.actor, step.action, step.at, reason=step.reason,
                          data=step.data, attachments=step.attachments)
        try:
            act = _find_action(proc, case, step.action)
            target = _target(proc, case, act)
        except FieldError as exc:
            raise _error(f"{where}.action", exc) from exc
        fields = dict(step.fields or {})
        missing = [name for name in act.required if fields.get(name) in (None, "", [], {})]
        if missing:
            raise FieldError(f"{where}.fields.{missing[0]}", _("This field is required."))
        old = case.status
        case.status, case.version, case.updated_at = target, case.version + 1, step.at
        _apply_clock(case, proc.states[old], proc.states[target], step.deadline, step.at, self.pauses)
        if step.deadline_extend:
            try:
                _deadline_push(case, step.deadline_extend, step.at)
            except FieldError as exc:
                raise _error(f"{where}.deadline_extend", exc) from exc
        data: dict[str, Any] = {"fields": fields} if fields else {}
        if step.by_applicant:
            data["by_applicant"] = True
        if step.stand_in_for is not None:
            data["stand_in_for"] = {"id": step.stand_in_for.pk, "name": str(step.stand_in_for)}
        if step.handler is not KEEP and (case.handler_id != (step.handler.pk if step.handler else None)
                                         or case.handler_unit_id != (step.handler_unit.pk if step.handler_unit
                                                                     else None)):
            self.handoffs.append(bulk_insert.instance(CaseHandoff, {  # type: ignore[arg-type]
                "handler_id": step.handler.pk if step.handler else None,
                "handler_unit_id": step.handler_unit.pk if step.handler_unit else None,
                "previous_id": case.handler_id, "reason": "", "assigned_by_id": step.actor.pk if step.actor else None,
                "at": step.at}))
            self.handoff_cases.append(case)
            case.handler, case.handler_unit = step.handler, step.handler_unit
        return _entry(case, last.seq + 1, last.hash, step.actor, act.key, step.at, from_state=old,
                      to_state=target, reason=step.reason, data=data or None, attachments=step.attachments)


def _counters(keys: Sequence[tuple[str, str, dt.date]]) -> dict[tuple[str, str, dt.date], int]:
    """The last number of each (kind, town, day) — the rows locked, as ``case_number_allocate`` locks them."""
    found: dict[tuple[str, str, dt.date], int] = {}
    for kind, town in {(k, t) for k, t, _d in keys}:
        days = [d for k, t, d in keys if (k, t) == (kind, town)]
        rows = CaseCounter.objects.select_for_update().filter(kind=kind, town_code=town, day__in=days)
        found.update({(kind, town, day): last for day, last in rows.values_list("day", "last")})
    return found


@transaction.atomic
def cases_bulk_write(drafts: Sequence[CaseDraft], *, now: dt.datetime | None = None) -> list[Case]:
    """Write ``drafts`` (see the module) and return their saved cases in the same order.

    Numbers continue each (kind, town, day of ``created_at``) counter in the drafts' order. Lights are as
    the periodic tick leaves them at ``now`` (a stopped clock: at its stop)."""
    now = now or timezone.now()
    writer = _Writer(now)
    planned: list[tuple[CaseDraft, str, ProcessDef, str, dt.date]] = []
    for i, d in enumerate(drafts):
        kind, proc = writer.resolve(i, d)
        town = d.town_code or d.area_code[:TOWN_CODE_LENGTH]
        planned.append((d, kind, proc, town, timezone.localdate(d.created_at)))
    keys = sorted({(kind, town, day) for _d, kind, _p, town, day in planned})
    counters = _counters(keys)
    last = dict(counters)
    cases = []
    for i, (d, kind, proc, town, day) in enumerate(planned):
        seq = last.get((kind, town, day), 0) + 1
        last[(kind, town, day)] = seq
        cases.append(writer.build(i, d, f"{kind}-{town}-{day:%Y%m%d}-{seq:04d}", kind, proc, town))
    for key, value in last.items():
        if key in counters:
            CaseCounter.objects.filter(kind=key[0], town_code=key[1], day=key[2]).update(last=value)
    CaseCounter.objects.bulk_create([CaseCounter(kind=k, town_code=t, day=day, last=value)
                                     for (k, t, day), value in last.items() if (k, t, day) not in counters])
    with bulk_insert.explicit_timestamps((Case, "created_at"), (Case, "updated_at")):
        bulk_insert.insert(Case, cases)
    # drawn up before their case had its key
    for entry, case in zip(writer.entries, writer.entry_cases, strict=True):
        entry.case_id = case.pk
    for handoff, case in zip(writer.handoffs, writer.handoff_cases, strict=True):
        handoff.case_id = case.pk
    for pause in writer.pauses:
        pause.case_id = pause.case.pk
    bulk_insert.insert(AuditEntry, writer.entries)
    bulk_insert.insert(CasePause, writer.pauses)
    bulk_insert.insert(CaseHandoff, writer.handoffs)
    return cases

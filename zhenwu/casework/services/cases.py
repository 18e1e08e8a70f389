"""Case writes: creation with a gap-free number, and the one ``transition()`` every case kind uses."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.utils import timezone

from zhenwu.accounts.models import User
from zhenwu.accounts.scope import in_scope, scope_prefix
from zhenwu.casework import deadlines, kinds
from zhenwu.casework.choices import Light
from zhenwu.casework.models import AuditEntry, Case, CaseCounter, CasePause
from zhenwu.casework.process import (
    RESUME,
    ActionDef,
    DeadlineSpec,
    ProcessDef,
    StateDef,
    effect_get,
    effect_in_transaction,
    guard_get,
    process_get,
)
from zhenwu.casework.services.assignment import case_cover
from zhenwu.casework.services.audit import audit_record
from zhenwu.errors import Conflict, FieldError, Forbidden, NotFound
from zhenwu.errors import gettext as _
from zhenwu.querycache import Update, hot_cursor, model_sql

TOWN_CODE_LENGTH = 9
log = logging.getLogger("zhenwu.casework.effects")


_BUMP_SQL: dict[str, str] = {}  # per database vendor


def _counter_bump(kind: str, town_code: str, day: dt.date) -> int | None:
    """``UPDATE … SET last = last + 1 … RETURNING last``: one round trip; None when there is no row yet.

    The UPDATE takes the row lock until the caller's transaction ends, so concurrent creators queue on
    it and every number is handed out once (PostgreSQL, and SQLite ≥ 3.35, both have RETURNING).
    """
    conn = connections[DEFAULT_DB_ALIAS]
    sql = model_sql(_BUMP_SQL, CaseCounter, lambda c, table: (
        f"UPDATE {table} SET {c('last')} = {c('last')} + 1 "
        f"WHERE {c('kind')} = %s AND {c('town_code')} = %s AND {c('day')} = %s RETURNING {c('last')}"), conn)
    with hot_cursor(conn) as cursor:
        cursor.execute(sql, [kind, town_code, CaseCounter._meta.get_field("day").get_db_prep_value(day, conn)])
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _counter_next(kind: str, town_code: str, day: dt.date) -> int:
    """Bump the (kind, town, day) counter inside the caller's transaction; a rollback gives it back."""
    for _attempt in range(5):
        key = {"kind": kind, "town_code": town_code, "day": day}
        last = _counter_bump(kind, town_code, day)
        if last is not None:
            return last
        try:
            with transaction.atomic():
                CaseCounter.objects.create(**key, last=1)
            return 1
        except IntegrityError:
            continue  # another creator made the row first: bump it instead
    raise Conflict(_("Could not allocate a case number; try again."))


def case_number_allocate(*, kind: str, town_code: str, day: dt.date | None = None) -> str:
    """Next number ``<KIND>-<town code>-<yyyymmdd>-<seq>``; call inside the creating transaction."""
    day = day or timezone.localdate()
    seq = _counter_next(kind, town_code, day)
    return f"{kind}-{town_code}-{day:%Y%m%d}-{seq:04d}"


def _check_scope(actor: User, area_code: str) -> None:
    """The one scope rule (``accounts.scope``): a case outside the actor's scope does not exist for them."""
    if not in_scope(actor, area_code):
        raise NotFound(_("No such case."))


def _deadline_start(case: Case, spec: DeadlineSpec, now: dt.datetime) -> None:
    case.deadline_unit, case.deadline_limit = spec.unit, spec.value
    case.deadline_started_at, case.deadline_stopped_at = now, None
    case.deadline_due_at, confirmed = deadlines.due_at(spec.unit, spec.value, now)
    case.deadline_unconfirmed = not confirmed
    case.paused_at, case.paused_total = None, None
    case.light = deadlines.light_for(spec.unit, spec.value, case.deadline_due_at, now)


def kind_and_process(kind: str, process: str) -> tuple[kinds.CaseKind, ProcessDef]:
    """The registered kind and its process (400 ``kind`` / ``process`` when unknown or not the kind's)."""
    case_kind = kinds.kind_get(kind)
    if case_kind is None:
        raise FieldError("kind", _("Unknown case kind %(kind)r: a kind is registered by its app first.")
                         % {"kind": kind})
    proc = process_get(process)
    owner = kinds.kind_for_process(proc.key)
    if owner is not None and owner is not case_kind:
        raise FieldError("process", _("Process %(process)s belongs to case kind %(owner)s, not %(kind)s.")
                         % {"process": proc.key, "owner": owner.code, "kind": kind})
    return case_kind, proc


def case_create(*, kind: str, process: str, area_code: str, title: str, actor: User | None,
                town_code: str | None = None, deadline: DeadlineSpec | None = None,
                request_id: str = "", reason: str = "") -> Case:
    """Open a case: allocate its number, enter the start state, start its deadline if that state has one.

    ``deadline`` overrides the start state's limit (e.g. a category's own time limit). ``actor`` None: the
    system opens it (a task a pillar opens by itself, e.g. on a bad rating); no scope is checked.
    Inside a caller's transaction it takes no savepoint: a failure while writing fails that whole
    transaction (a caller that wants to go on after one wraps the call in ``transaction.atomic()``).
    A caller that writes rows of its own referring to the new case takes ``case_opening`` instead.
    """
    opening = _Opening(kind, process, area_code, title, actor, town_code, deadline, request_id, reason)
    # Checked above, written below in the caller's transaction when there is one: no savepoint of its own
    # (a failure here fails the whole filing, as it must); alone, it is its own transaction.
    with transaction.atomic(savepoint=False):
        opening.write()
    return opening.case


_RESERVE_SQL: dict[str, str] = {}
_KEY_BLOCK = 16
# Case keys taken from the sequence and not used yet, per database connection (one thread uses a connection).
_SPARE_KEYS: weakref.WeakKeyDictionary[Any, list[int]] = weakref.WeakKeyDictionary()


def reserved_keys_forget() -> None:
    """Drop the case keys reserved and not used yet (after a bulk load that numbered rows from the table's
    maximum and reset the sequence: ``casework.bulk_insert``)."""
    _SPARE_KEYS.clear()


class _Opening:
    """A new case checked and built (start state, deadline), then numbered and written by ``write()``."""

    def __init__(self, kind: str, process: str, area_code: str, title: str, actor: User | None,
                 town_code: str | None, deadline: DeadlineSpec | None, request_id: str, reason: str) -> None:
        case_kind, proc = kind_and_process(kind, process)
        # staff file in their scope; applicants and the system (no actor) are not cut
        if actor is not None and scope_prefix(actor) is not None:
            _check_scope(actor, area_code)
        self.actor, self.request_id, self.reason, self.proc = actor, request_id, reason, proc
        self.case = Case(number="", kind=case_kind.code, process=proc.key, status=proc.start.key, version=1,
                         area_code=area_code, town_code=town_code or area_code[:TOWN_CODE_LENGTH], title=title,
                         created_by=actor)
        spec = deadline or proc.start.limit
        if spec:
            _deadline_start(self.case, spec, timezone.now())

    def reserve_key(self) -> bool:
        """Take the case's key from its sequence now (PostgreSQL), so that rows referring to it can be written
        before the case itself (foreign keys are checked at commit there); False where keys cannot be taken.

        Keys are taken from the sequence a block at a time per connection (``nextval`` is never rolled back,
        so a key taken is nobody else's): one statement per ``_KEY_BLOCK`` cases. Keys are only identities;
        a rolled-back filing or a closed connection leaves a gap in them, as a sequence always may (the case
        numbers, which must not have gaps, come from the day's counter)."""
        conn = connections[DEFAULT_DB_ALIAS]
        if conn.vendor != "postgresql":
            return False
        conn.ensure_connection()
        spare = _SPARE_KEYS.setdefault(conn.connection, [])
        if not spare:
            sql = model_sql(_RESERVE_SQL, Case, lambda c, table: (
                f"SELECT nextval(pg_get_serial_sequence('{table}', '{Case._meta.pk.column}')) "
                f"FROM generate_series(1, {_KEY_BLOCK})"), conn)
            with hot_cursor(conn) as cursor:
                cursor.execute(sql)
                spare.extend(sorted((int(row[0]) for row in cursor.fetchall()), reverse=True))
        self.case.pk = spare.pop()
        return True

    def write(self) -> None:
        """Allocate the number (the day's counter row stays locked until the commit), write the case and the
        first entry of its audit chain."""
        case = self.case
        case.number = case_number_allocate(kind=case.kind, town_code=case.town_code)
        # The case and the first entry of its chain are written together (one round trip while the counter is
        # locked; zhenwu.querycache.insert_together). The new row is invisible to everyone else until we commit,
        # and its number was never used: the chain is locked and empty (a stray entry would still hit the
        # unique (subject, seq) key).
        audit_record(subject=case.number, case=case, actor=self.actor, action="create", to_state=case.status,
                     reason=self.reason, request_id=self.request_id,
                     data={"process": self.proc.key, "title": case.title}, case_locked=True, new_chain=True,
                     write_case=True)


@contextlib.contextmanager
def case_opening(*, kind: str, process: str, area_code: str, title: str, actor: User | None,
                 town_code: str | None = None, deadline: DeadlineSpec | None = None,
                 request_id: str = "", reason: str = "") -> Iterator[Case]:
    """``case_create`` for a caller that writes rows of its own referring to the new case (an application, an
    incident): they are written inside the block, and the case takes its number as the block ends.

    The day's counter row is locked from the number to the commit (gap-free numbers), and every filing of
    the town's day queues on it: whatever can be written before the number shortens that queue. On
    PostgreSQL the case's key is reserved first and the case is numbered and written when the block ends;
    inside the block ``case.number`` is still empty. Elsewhere (SQLite, whose writers queue on the whole
    database anyway) the case is numbered and written before the block. Either way, after the block the
    case is written with its number; what names the number (audit entries, messages) comes after it.
    Must run inside the caller's transaction (``transaction.atomic``).
    """
    if not connections[DEFAULT_DB_ALIAS].in_atomic_block:
        raise RuntimeError("case_opening needs the caller's transaction")
    opening = _Opening(kind, process, area_code, title, actor, town_code, deadline, request_id, reason)
    later = opening.reserve_key()
    if not later:
        opening.write()
    yield opening.case
    if later:
        opening.write()


def _find_action(proc: ProcessDef, case: Case, action: str) -> ActionDef:
    found = proc.action_for(action, case.status)
    if found is None and action == RESUME:
        raise FieldError("action", _("The case is not paused, so there is nothing to resume (it is at %(state)s).")
                         % {"state": proc.state_label(case.status)})
    if found is None:
        raise FieldError("action", _("This action is not possible in the case's current state."))
    return found


def _paused_from_chain(proc: ProcessDef, case: Case) -> str:
    """Where a pause entered before ``Case.paused_from`` existed returns: the chain's entry into it."""
    here = case.status
    entries = AuditEntry.objects.filter(subject=case.number).exclude(to_state="").order_by("-seq")
    for from_state, to_state in entries.values_list("from_state", "to_state"):
        if to_state != here:
            continue
        state = proc.states.get(from_state)
        if state is None or not state.pauses_clock:
            return from_state if state is not None else ""
        here = from_state  # paused from another pause: keep walking back to where the first one began
    return ""


def _target(proc: ProcessDef, case: Case, act: ActionDef) -> str:
    """The state ``act`` goes to: its own, or for ``resume`` the state the case paused from."""
    if act.key != RESUME:
        return act.target
    back = case.paused_from or _paused_from_chain(proc, case)
    if back not in proc.states or proc.states[back].pauses_clock:
        raise FieldError("action", _("It is not known where this pause returns to; move the case by one of its "
                                     "other actions."))
    return back


def _check_action(actor: User | None, case: Case, act: ActionDef, fields: Mapping[str, Any],
                  by_applicant: bool = False) -> None:
    if act.roles and not by_applicant and actor is not None and not actor.has_role(*act.roles):
        raise Forbidden(_("Your roles do not allow this action."))
    missing = [name for name in act.required if fields.get(name) in (None, "", [], {})]
    if missing:
        raise FieldError(None, errors=[(f"fields.{m}", _("This field is required.")) for m in missing])
    for name in act.guards:
        guard_get(name)(case=case, actor=actor, action=act.key, fields=fields)


def _leave_pause(case: Case, state: str, now: dt.datetime, pauses: list[CasePause] | None = None) -> None:
    """Resume the clock, extended by the pause's length in the deadline's unit; the pause is saved, or
    collected in ``pauses`` (unsaved) for a bulk write."""
    started = case.paused_at
    if started is None:
        return
    extension = 0
    if case.deadline_live and case.deadline_due_at:
        case.deadline_due_at, extension, confirmed = deadlines.extend(
            case.deadline_unit, case.deadline_due_at, started, now)
        case.deadline_unconfirmed = case.deadline_unconfirmed or not confirmed
    case.paused_total = (case.paused_total or dt.timedelta()) + (now - started)
    case.paused_at = None
    pause = CasePause(case=case, state=state, started_at=started, ended_at=now, extension=extension)
    if pauses is None:
        pause.save(force_insert=True)
    else:
        pauses.append(pause)


def _apply_clock(case: Case, old: StateDef, new: StateDef, spec: DeadlineSpec | None,
                 now: dt.datetime, pauses: list[CasePause] | None = None) -> None:
    """Start / pause / resume / stop the deadline for the move old → new (``pauses``: see ``_leave_pause``)."""
    resumed = old.pauses_clock and not new.pauses_clock
    if resumed:
        _leave_pause(case, old.key, now, pauses)
        case.paused_from = ""
    elif new.pauses_clock and not old.pauses_clock:
        case.paused_from = old.key  # where ``resume`` comes back to (a pause within a pause keeps the first)
    if (new.terminal or new.stops_clock) and case.deadline_live:
        case.deadline_stopped_at = now
    elif spec or (new.limit and not resumed):
        _deadline_start(case, spec or new.limit, now)  # type: ignore[arg-type]
    elif new.pauses_clock and not old.pauses_clock and case.deadline_live:
        case.paused_at = now
    if case.deadline_live:
        at = case.paused_at or now
        case.light = deadlines.light_for(case.deadline_unit, case.deadline_limit, case.deadline_due_at, at)


def _deadline_push(case: Case, units: int, now: dt.datetime) -> None:
    """An approved extension: the due time moves out by ``units`` (checked live by the caller)."""
    if case.deadline_due_at is None or case.deadline_stopped_at is not None:
        return  # the step itself stopped the clock: nothing is left to extend
    case.deadline_due_at, confirmed = deadlines.push(case.deadline_unit, case.deadline_due_at, units)
    case.deadline_limit = (case.deadline_limit or 0) + units
    case.deadline_unconfirmed = case.deadline_unconfirmed or not confirmed
    case.light = deadlines.light_for(case.deadline_unit, case.deadline_limit, case.deadline_due_at,
                                     case.paused_at or now)


_CLOCK_FIELDS = ("deadline_unit", "deadline_limit", "deadline_started_at", "deadline_due_at",
                 "deadline_stopped_at", "paused_at", "paused_total", "light", "deadline_unconfirmed")


_CAS = Update(Case, set=("status", "version", "updated_at", *_CLOCK_FIELDS, "paused_from"),
              where=("pk", "status", "version"))  # its SQL written once (zhenwu.querycache)


def _compare_and_set(case: Case, old_status: str, old_version: int, now: dt.datetime) -> None:
    values = {name: getattr(case, name) for name in (*_CLOCK_FIELDS, "paused_from")}
    changed = _CAS.run({"status": case.status, "version": case.version, "updated_at": now, **values},
                       {"pk": case.pk, "status": old_status, "version": old_version})
    if not changed:
        raise Conflict(_("The case was changed by someone else; reload it and try again."), field="version")
    case.updated_at = now


def _run_in_savepoint(name: str, call: functools.partial[None]) -> None:
    """An in-transaction effect: its writes commit with the transition; its failure is undone alone."""
    try:
        with transaction.atomic():
            call()
    except Exception:
        log.exception("effect %s failed on case %s; the transition stands", name, call.keywords["case"].number)


def _after_commit(call: functools.partial[None]) -> Callable[[], None]:
    def effect() -> None:  # a named function: Django logs a robust callback's failure by its __qualname__
        call()

    return effect


def _queue_effects(case: Case, actor: User | None, act: ActionDef, fields: Mapping[str, Any],
                   context: Mapping[str, Any]) -> None:
    """The action's effects in their declared order: in-transaction ones now, the others after commit."""
    for name in act.effects:
        call = functools.partial(effect_get(name), case=case, actor=actor, action=act.key, fields=fields,
                                 context=context)
        if effect_in_transaction(name):
            _run_in_savepoint(name, call)
        else:
            transaction.on_commit(_after_commit(call), robust=True)  # a failure is logged; the others run


@transaction.atomic
def transition(*, actor: User | None, case: Case, action: str, reason: str = "",
               fields: Mapping[str, Any] | None = None, attachments: Iterable[str] = (),
               request_id: str = "", as_stand_in_for: User | None = None,
               deadline: DeadlineSpec | None = None, expected_version: int | None = None,
               by_applicant: bool = False, effect_context: Mapping[str, Any] | None = None,
               deadline_extend: int = 0) -> Case:
    """Move ``case`` by ``action``: scope (404), action from this state (400), role (403), required
    fields and guards (400), compare-and-set on (status, version) (409 on a lost race), audit entry,
    deadline start/pause/resume/stop, and the action's effects queued for after commit.

    A case held by a named person (``Case.handler``) is moved only by them or their current stand-in
    (A/B角, 403 otherwise); the stand-in's entry records ``stand_in_for``. ``as_stand_in_for`` lets a
    caller that has already decided the cover say so; ``deadline`` overrides the target state's limit;
    ``expected_version`` lets an API client say which version it saw. ``by_applicant`` means the
    calling kind app has checked that ``actor`` is the case's own applicant (a citizen or enterprise
    account, which has no scope or roles): scope and role checks are skipped, everything else holds.
    ``effect_context`` is handed to the action's effects as ``context`` and never audited.
    ``deadline_extend`` pushes a live deadline out by that many of its units (an approved extension
    request, 延期): the due time moves, the limit grows by as much, the start stays.
    ``actor`` None: the system moves the case (a kind app's tick step, e.g. an overdue dispute passed up
    a level): no scope, role or holder is checked, the entry names no actor; the state, the required
    fields, the guards (called with ``actor=None``), the compare-and-set and the clock hold as for anyone.
    """
    fields = dict(fields or {})
    system = actor is None
    if not by_applicant and actor is not None:
        _check_scope(actor, case.area_code)
    proc = process_get(case.process)
    act = _find_action(proc, case, action)
    _check_action(actor, case, act, fields, by_applicant)
    if as_stand_in_for is None and not by_applicant and actor is not None:
        as_stand_in_for = case_cover(actor=actor, case=case)  # a held case: its handler or their stand-in (403)
    if expected_version is not None and expected_version != case.version:
        raise Conflict(_("The case was changed by someone else; reload it and try again."), field="version")
    target = _target(proc, case, act)
    if deadline_extend and (deadline_extend < 1 or not case.deadline_live):
        raise FieldError("deadline", _("Only a running deadline can be extended, by at least one unit."))
    old_status, old_version, now = case.status, case.version, timezone.now()
    case.status, case.version = target, old_version + 1
    try:
        _apply_clock(case, proc.states[old_status], proc.states[target], deadline, now)
        if deadline_extend:
            _deadline_push(case, deadline_extend, now)
        _compare_and_set(case, old_status, old_version, now)
    except Conflict:
        case.refresh_from_db()
        raise
    data: dict[str, Any] = {"fields": fields} if fields else {}
    if by_applicant:
        data["by_applicant"] = True
    if system:
        data["system"] = True
    if as_stand_in_for is not None:
        data["stand_in_for"] = {"id": as_stand_in_for.pk, "name": str(as_stand_in_for)}
    audit_record(subject=case.number, case=case, actor=actor, action=act.key, from_state=old_status,
                 to_state=target, reason=reason, attachments=attachments, request_id=request_id,
                 data=data or None, case_locked=True)  # the compare-and-set UPDATE above holds the row lock
    _queue_effects(case, actor, act, fields, dict(effect_context or {}))
    return case


def deadline_refresh_lights(*, now: dt.datetime | None = None) -> int:
    """Recompute the light of every live, running deadline; returns how many changed."""
    now = now or timezone.now()
    changed = 0
    live = Case.objects.filter(deadline_due_at__isnull=False, deadline_stopped_at__isnull=True,
                               paused_at__isnull=True).exclude(light=Light.RED)
    for pk, unit, limit, due, light in live.values_list("pk", "deadline_unit", "deadline_limit",
                                                       "deadline_due_at", "light").iterator():
        fresh = deadlines.light_for(unit, limit, due, now)
        if fresh != light:
            changed += Case.objects.filter(pk=pk, light=light).update(light=fresh)
    return changed

"""Processes as data: states and actions from plain (JSON-compatible) dicts, validated on load.

A definition looks like::

    {"key": "generic", "label": "…",
     "states": [{"key": "registered", "label": "登记", "start": true,
                 "limit": {"unit": "working_days", "value": 5}},
                {"key": "paused", "label": "补正", "pauses_clock": true},
                {"key": "closed", "label": "办结", "terminal": true}],
     "actions": [{"key": "close", "label": "办结", "from": ["registered"], "to": "closed",
                  "roles": ["reviewer"], "required": ["opinion"], "guards": [], "effects": []}]}

Entering a state with a ``limit`` starts (or restarts) the case's deadline; entering a
``pauses_clock`` state pauses it and leaving it resumes it, extended by the pause; entering a
terminal state stops it. Guards and effects are names of callables registered in code.

Pauses return where they came from: entering a ``pauses_clock`` state records the state left on the
case (``Case.paused_from``), and every pausing state has the kernel's action ``resume`` (``RESUME``)
back to it — a process never declares one ``resume_<state>`` action per state it may return to. A
pausing state may say who resumes it and how it is called (``"resume": {"label": "补正到位", "roles":
[…], "required": […], "guards": […], "effects": […]}``); without it the label is 恢复 and the roles are
those of the actions entering the state. ``resume`` is therefore reserved as an action key.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy, pgettext_lazy

from zhenwu.accounts.choices import Role
from zhenwu.casework import kinds
from zhenwu.casework.choices import DeadlineUnit
from zhenwu.errors import gettext as _

Guard = Callable[..., None]
Effect = Callable[..., None]

RESUME = "resume"  # the kernel's action leaving a pause for the state the case paused from
RESUME_LABEL = "恢复"


class ProcessDefinitionError(ValueError):
    """A definition that cannot be used; ``problems`` lists every rule it breaks."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class DeadlineSpec:
    unit: str
    value: int


@dataclass(frozen=True)
class StateDef:
    key: str
    label: str
    start: bool = False
    terminal: bool = False
    pauses_clock: bool = False
    stops_clock: bool = False  # stops the deadline without ending the case (办结 before 出件)
    limit: DeadlineSpec | None = None


@dataclass(frozen=True)
class ActionDef:
    key: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    required: tuple[str, ...] = ()
    guards: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProcessDef:
    key: str
    label: str
    states: dict[str, StateDef]
    actions: dict[str, ActionDef]
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # pausing state → its ``resume`` action (key RESUME, target "" = the state the case paused from)
    resumes: dict[str, ActionDef] = field(default_factory=dict)

    @property
    def start(self) -> StateDef:
        return next(s for s in self.states.values() if s.start)

    def actions_from(self, state: str) -> list[ActionDef]:
        """The actions possible in ``state``, the kernel's ``resume`` last when it is a pause."""
        found = [a for a in self.actions.values() if state in a.sources]
        return found + ([self.resumes[state]] if state in self.resumes else [])

    def action_for(self, key: str, state: str) -> ActionDef | None:
        """The action ``key`` as it applies in ``state`` (``resume`` differs per pausing state)."""
        if key == RESUME:
            return self.resumes.get(state)
        found = self.actions.get(key)
        return found if found is not None and state in found.sources else None

    def state_label(self, key: str) -> str:
        state = self.states.get(key)
        return state.label if state else key


_GUARDS: dict[str, Guard] = {}
_EFFECTS: dict[str, Effect] = {}
_IN_TRANSACTION: set[str] = set()  # effects run inside the transition's transaction (see effect_register)
_PROCESSES: dict[str, ProcessDef] = {}
# Families of processes derived from the database (e.g. one per service-item version): key prefix →
# a function building the definition for a key, or None when it does not exist.
_RESOLVERS: dict[str, Callable[[str], Mapping[str, Any] | None]] = {}


def process_resolver_register(prefix: str, fn: Callable[[str], Mapping[str, Any] | None]) -> None:
    """Let ``process_get`` build (and cache) unknown keys starting with ``prefix`` on first use."""
    _RESOLVERS[prefix] = fn


def guard_register(name: str, fn: Guard) -> None:
    """Register a guard: ``fn(*, case, actor, action, fields)`` raises FieldError/Forbidden to refuse."""
    _GUARDS[name] = fn


def effect_register(name: str, fn: Effect, *, in_transaction: bool = False) -> None:
    """Register an effect: ``fn(*, case, actor, action, fields, context)``, named by actions in ``effects``.

    By default it runs after the transition commits (``transaction.on_commit``, robust: a failure is
    logged, the other effects still run). ``in_transaction=True`` is for effects whose writes must commit
    with the transition and never without it — a message queued in the outbox (which itself delivers
    after commit), a statistics row, a follow-up task: such an effect runs at the end of ``transition()``
    in its own savepoint, so its failure is logged and undone alone while the transition stands.
    ``context`` is what the caller of ``transition()`` handed over for the effects (``effect_context``;
    never audited: a one-time code, the site's address).
    """
    _EFFECTS[name] = fn
    if in_transaction:
        _IN_TRANSACTION.add(name)
    else:
        _IN_TRANSACTION.discard(name)


def effect_in_transaction(name: str) -> bool:
    return name in _IN_TRANSACTION


def guard_get(name: str) -> Guard:
    return _GUARDS[name]


def effect_get(name: str) -> Effect:
    return _EFFECTS[name]


def _limit(raw: Any, where: str, problems: list[str]) -> DeadlineSpec | None:
    if raw in (None, {}):
        return None
    unit, value = (raw.get("unit"), raw.get("value")) if isinstance(raw, Mapping) else (None, None)
    if unit not in DeadlineUnit.values or not isinstance(value, int) or value < 1:
        problems.append(_("%(where)s: a limit needs a unit (working_days, natural_days, hours) and a "
                          "positive whole value.") % {"where": where})
        return None
    return DeadlineSpec(unit=unit, value=value)


def _names(raw: Any) -> tuple[str, ...]:
    if isinstance(raw, str):
        return (raw,)
    return tuple(str(x) for x in raw or ())


def _parse_states(raw: Any, problems: list[str]) -> dict[str, StateDef]:
    states: dict[str, StateDef] = {}
    for item in raw or []:
        key = str(item.get("key", ""))
        if not key or key in states:
            problems.append(_("state %(key)r: missing or duplicate key.") % {"key": key})
            continue
        states[key] = StateDef(key=key, label=str(item.get("label") or key), start=bool(item.get("start")),
                               terminal=bool(item.get("terminal")),
                               pauses_clock=bool(item.get("pauses_clock")),
                               stops_clock=bool(item.get("stops_clock")),
                               limit=_limit(item.get("limit"), f"state {key}", problems))
    return states


def _parse_actions(raw: Any, problems: list[str]) -> dict[str, ActionDef]:
    actions: dict[str, ActionDef] = {}
    for item in raw or []:
        key = str(item.get("key", ""))
        if not key or key in actions:
            problems.append(_("action %(key)r: missing or duplicate key.") % {"key": key})
            continue
        actions[key] = ActionDef(
            key=key, label=str(item.get("label") or key), sources=_names(item.get("from")),
            target=str(item.get("to", "")), roles=_names(item.get("roles")),
            required=_names(item.get("required")), guards=_names(item.get("guards")),
            effects=_names(item.get("effects")))
    return actions


def _parse_resumes(raw_states: Any, states: Mapping[str, StateDef], actions: Mapping[str, ActionDef],
                   problems: list[str]) -> dict[str, ActionDef]:
    """One ``resume`` per pausing state: its own ``resume`` block, else 恢复 by whoever may enter it."""
    given = {str(item.get("key", "")): item.get("resume") for item in raw_states or [] if isinstance(item, Mapping)}
    resumes: dict[str, ActionDef] = {}
    for key, state in states.items():
        spec = given.get(key)
        if not state.pauses_clock:
            if spec not in (None, {}):
                problems.append(_("state %(s)s: only a state that pauses the clock can be resumed.") % {"s": key})
            continue
        if spec is not None and not isinstance(spec, Mapping):
            problems.append(_("state %(s)s: resume must be an object (label, roles, required, guards, "
                              "effects).") % {"s": key})
            spec = None
        spec = spec or {}
        entering = tuple(dict.fromkeys(r for a in actions.values() if a.target == key for r in a.roles))
        roles = _names(spec["roles"]) if "roles" in spec else entering
        resumes[key] = ActionDef(key=RESUME, label=str(spec.get("label") or RESUME_LABEL), sources=(key,),
                                 target="", roles=roles, required=_names(spec.get("required")),
                                 guards=_names(spec.get("guards")), effects=_names(spec.get("effects")))
    return resumes


def _reachable(states: Mapping[str, StateDef], actions: Mapping[str, ActionDef], start: str) -> set[str]:
    seen, queue = {start}, deque([start])
    while queue:
        here = queue.popleft()
        for action in actions.values():
            if here in action.sources and action.target in states and action.target not in seen:
                seen.add(action.target)
                queue.append(action.target)
    return seen


def _check_actions(proc: ProcessDef, problems: list[str], check_callables: bool) -> None:
    if RESUME in proc.actions:
        problems.append(_("action %(a)r is reserved: every pausing state is resumed by the kernel to the state "
                          "the case paused from (give the state a \"resume\" block for its label and roles).")
                        % {"a": RESUME})
    for a in (*proc.actions.values(), *proc.resumes.values()):
        if a.key != RESUME and a.target not in proc.states:
            problems.append(_("action %(a)s goes to unknown state %(s)r.") % {"a": a.key, "s": a.target})
        if not a.sources:
            problems.append(_("action %(a)s has no from state.") % {"a": a.key})
        for s in a.sources if a.key != RESUME else ():
            if s not in proc.states:
                problems.append(_("action %(a)s starts from unknown state %(s)r.") % {"a": a.key, "s": s})
        for r in a.roles:
            if r not in Role.values:
                problems.append(_("action %(a)s names unknown role %(r)r.") % {"a": a.key, "r": r})
        if check_callables:
            for name in (*a.guards, *a.effects):
                if name not in _GUARDS and name not in _EFFECTS:
                    problems.append(_("action %(a)s names unregistered guard or effect %(n)r.")
                                    % {"a": a.key, "n": name})


def _check_graph(proc: ProcessDef, problems: list[str]) -> None:
    starts = [s.key for s in proc.states.values() if s.start]
    if len(starts) != 1:
        problems.append(_("a process needs exactly one start state (found %(n)d).") % {"n": len(starts)})
        return
    if proc.states[starts[0]].pauses_clock:
        problems.append(_("the start state %(s)s cannot pause the clock: a pause returns to the state the "
                          "case came from.") % {"s": starts[0]})
    reachable = _reachable(proc.states, proc.actions, starts[0])
    for s in proc.states.values():
        if s.key not in reachable:
            problems.append(_("state %(s)s cannot be reached from the start state.") % {"s": s.key})
        if not s.terminal and not proc.actions_from(s.key):
            problems.append(_("state %(s)s is not terminal and has no way out.") % {"s": s.key})


def process_load(data: Mapping[str, Any], *, check_callables: bool = False) -> ProcessDef:
    """Build and validate a definition from plain dicts; ProcessDefinitionError lists every problem."""
    problems: list[str] = []
    if not isinstance(data, Mapping) or not data.get("key"):
        raise ProcessDefinitionError([_("a process needs a key.")])
    states = _parse_states(data.get("states"), problems)
    actions = _parse_actions(data.get("actions"), problems)
    proc = ProcessDef(key=str(data["key"]), label=str(data.get("label") or data["key"]), states=states,
                      actions=actions, raw=dict(data),
                      resumes=_parse_resumes(data.get("states"), states, actions, problems))
    prefix = kinds.process_prefix_of(proc.key)
    if prefix and kinds.kind_for_process(proc.key) is None:
        problems.append(_("process %(key)r: no case kind is registered for the prefix %(prefix)r.")
                        % {"key": proc.key, "prefix": prefix})
    if not proc.states:
        problems.append(_("a process needs states."))
    _check_actions(proc, problems, check_callables)
    _check_graph(proc, problems)
    if problems:
        raise ProcessDefinitionError(problems)
    return proc


def process_register(definition: Mapping[str, Any] | ProcessDef) -> ProcessDef:
    """Validate and register a built-in definition under its key (replacing an earlier one)."""
    proc = definition if isinstance(definition, ProcessDef) else process_load(definition)
    _PROCESSES[proc.key] = proc
    return proc


def process_get(key: str) -> ProcessDef:
    """The definition for ``key``: an active admin-edited record wins over the built-in one."""
    stored = _stored_records().get(key)
    if stored is not None:
        return _stored(key, *stored)
    if key in _PROCESSES:
        return _PROCESSES[key]
    for prefix, resolve in _RESOLVERS.items():
        built = resolve(key) if key.startswith(prefix) else None
        if built is not None:
            _RESOLVED.add(key)
            return process_register(built)
    raise ProcessDefinitionError([_("unknown process %(key)r.") % {"key": key}])


_STORED_CACHE: dict[tuple[str, str], ProcessDef] = {}
# Active admin-edited definitions, read in one query and kept for PROCESS_CACHE_SECONDS, so that
# transition() does not query them every time. A save in this process clears it at once (signal in
# apps.py); other processes see the edit within that many seconds.
_RECORDS: dict[str, tuple[dict[str, Any], str]] = {}
_RECORDS_READ_AT = [float("-inf")]


def _stored_records() -> dict[str, tuple[dict[str, Any], str]]:
    from django.conf import settings

    from zhenwu.casework.models import ProcessDefinitionRecord

    if time.monotonic() - _RECORDS_READ_AT[0] > settings.PROCESS_CACHE_SECONDS:
        rows = ProcessDefinitionRecord.objects.filter(is_active=True).values_list("key", "definition", "updated_at")
        _RECORDS.clear()
        _RECORDS.update({k: (definition, updated.isoformat()) for k, definition, updated in rows})
        _RECORDS_READ_AT[0] = time.monotonic()
    return _RECORDS


# Keys built by a resolver: kept for the life of the process (a pillar's versions never change), and
# forgotten between tests, whose rolled-back rows may give the same key other content.
_RESOLVED: set[str] = set()


def process_forget_resolved() -> None:
    """Drop the definitions built by resolvers (tests only: their source rows were rolled back)."""
    for key in _RESOLVED:
        _PROCESSES.pop(key, None)
    _RESOLVED.clear()


def process_cache_clear(**_ignored: Any) -> None:
    """Forget the stored definitions read so far (after a record is saved or deleted)."""
    _RECORDS_READ_AT[0] = float("-inf")


def _stored(key: str, definition: dict[str, Any], stamp: str) -> ProcessDef:
    """Parse a stored definition once per (key, updated_at)."""
    proc = _STORED_CACHE.get((key, stamp))
    if proc is None:
        proc = _STORED_CACHE[(key, stamp)] = process_load({**definition, "key": key})
    return proc


GENERIC = {
    "key": "generic",
    "label": "Generic case",
    "states": [
        {"key": "registered", "label": "登记", "start": True,
         "limit": {"unit": "working_days", "value": 5}},
        {"key": "handling", "label": "办理", "limit": {"unit": "hours", "value": 48}},
        {"key": "supplement", "label": "补正", "pauses_clock": True, "resume": {"label": "补正到位"}},
        {"key": "closed", "label": "办结", "terminal": True},
    ],
    "actions": [
        {"key": "accept", "label": "受理", "from": ["registered"], "to": "handling",
         "roles": ["window_clerk", "grid_worker", "dispatcher"]},
        {"key": "request_supplement", "label": "补正告知", "from": ["handling"], "to": "supplement",
         "roles": ["window_clerk", "reviewer"], "required": ["missing"]},
        {"key": "close", "label": "办结", "from": ["handling"], "to": "closed",
         "roles": ["reviewer", "grid_worker"], "required": ["opinion"]},
    ],
}

process_register(GENERIC)


# ---------------------------------------------------------------- names of steps beside the workflow

# Audit entries also record steps that are not process actions (filing, attachments, and a pillar's
# notes such as a rating); pillars register their names so timelines and the admin can show them.
_NOTE_LABELS: dict[str, Any] = {"create": pgettext_lazy("timeline", "Filed"),
                                "attachment_add": gettext_lazy("Attachment added")}


def note_labels_register(labels: Mapping[str, Any]) -> None:
    _NOTE_LABELS.update(labels)


def action_label(process_key: str, key: str, from_state: str = "") -> str:
    """What an audit entry's action is called: the process's label (``resume``: that of the pause it
    left, ``from_state``), a registered note's, else the key."""
    try:
        proc = process_get(process_key) if process_key else None
        act = None if proc is None else proc.resumes.get(from_state) if key == RESUME else proc.actions.get(key)
    except ProcessDefinitionError:
        act = None
    return str(act.label if act else _NOTE_LABELS.get(key, key))


_STATE_LABELS: dict[str, Any] = {}


def state_labels_register(labels: Mapping[str, Any]) -> None:
    """Names of the states of records that are not cases (a plan, a grant, a payment list) in their audit entries."""
    _STATE_LABELS.update(labels)


def state_label(process_key: str, key: str) -> str:
    try:
        if process_key and key:
            return process_get(process_key).state_label(key)
    except ProcessDefinitionError:
        return key
    return str(_STATE_LABELS.get(key, key))

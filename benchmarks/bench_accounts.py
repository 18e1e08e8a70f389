"""Login-policy and API-token checks against a county's year of login audit rows.

A county has ~2,000 staff accounts and thousands of citizens; at ~150 logins each a year the
``LoginAttempt`` table holds ~300k rows. Every password login asks the lockout question, and every
API request with a bearer token looks the token up, so both must stay a small fraction of a request.
Baselines, measured in the same run: the bare user lookup by username (the least any login does),
and the user lookup by primary key (what a session-authenticated request costs).
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from benchmarks.harness import Report, timed
from zhenwu.accounts.choices import LoginMethod, LoginReason, UserKind
from zhenwu.accounts.models import LoginAttempt, User
from zhenwu.accounts.services import login_locked_until, token_create
from zhenwu.accounts.tokens import authenticate_token

USERS, ATTEMPTS, CALLS = 20_000, 300_000, 2_000


def _fill(rng: random.Random) -> list[str]:
    names = [f"bench_{i:05d}" for i in range(USERS)]
    User.objects.bulk_create([User(username=n, kind=UserKind.STAFF, password="!") for n in names],
                             batch_size=5_000)
    now = timezone.now()
    rows = (LoginAttempt(username=rng.choice(names), method=LoginMethod.PASSWORD,
                         success=(ok := rng.random() > 0.1),
                         reason=LoginReason.OK if ok else LoginReason.BAD_CREDENTIALS,
                         at=now - timedelta(minutes=rng.randrange(365 * 24 * 60))) for _ in range(ATTEMPTS))
    with transaction.atomic():
        LoginAttempt.objects.bulk_create(rows, batch_size=10_000)
    return names


def _per_call_ms(fn: object, args: list[str]) -> float:
    def loop() -> None:
        for a in args:
            fn(a)  # type: ignore[operator]
    return timed(loop, repeat=3) / len(args) * 1000


def run(report: Report) -> None:
    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    names = _fill(rng)
    sample = [rng.choice(names) for _ in range(CALLS)]

    lock = _per_call_ms(lambda n: login_locked_until(username=n), sample)
    bare = _per_call_ms(lambda n: User.objects.filter(username=n).first(), sample)
    report.row("lockout check per login (300k audit rows)", lock, "ms", baseline_name="user by username",
               baseline_value=bare, target="< 5 ms", met=lock < 5)

    users = list(User.objects.filter(username__in=sample[:50]))
    secrets = [token_create(user=u, device="bench")[1] for u in users]
    tokens = [secrets[i % len(secrets)] for i in range(CALLS)]
    ids = [str(users[i % len(users)].pk) for i in range(CALLS)]
    token_ms = _per_call_ms(authenticate_token, tokens)
    by_pk = _per_call_ms(lambda pk: User.objects.select_related("scope_area").get(pk=pk), ids)
    report.row("bearer token authentication", token_ms, "ms", baseline_name="user by pk (session)",
               baseline_value=by_pk, target="< 2 ms", met=token_ms < 2)
    report.note(f"accounts: {USERS:,} users, {ATTEMPTS:,} login audit rows, {CALLS:,} calls per figure "
                "(SQLite unless DATABASE_URL is set)")

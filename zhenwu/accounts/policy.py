"""Login policy: when a run of failures locks an account, and until when (等保 2.0 practice).

Numbers are settings (DOMAIN.md defaults): ``LOGIN_MAX_FAILURES`` failures within
``LOGIN_FAILURE_WINDOW_MINUTES`` lock the username for ``LOGIN_LOCK_MINUTES``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings


@dataclass(frozen=True)
class LockPolicy:
    max_failures: int
    window: timedelta
    lock: timedelta

    @classmethod
    def from_settings(cls) -> LockPolicy:
        return cls(max_failures=settings.LOGIN_MAX_FAILURES,
                   window=timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES),
                   lock=timedelta(minutes=settings.LOGIN_LOCK_MINUTES))

    @property
    def lookback(self) -> timedelta:
        """How far back a failure can still matter for a lock that has not ended."""
        return self.window + self.lock


def lock_until(failures: Sequence[datetime], *, now: datetime, policy: LockPolicy) -> datetime | None:
    """End of the lock in force at ``now``, or None.

    ``failures`` are the counted failure times in ascending order. A lock starts at the failure
    that completes ``max_failures`` failures within ``window`` and lasts ``lock``.
    """
    n = policy.max_failures
    ends = [failures[i] + policy.lock for i in range(n - 1, len(failures))
            if failures[i] - failures[i - n + 1] <= policy.window]
    latest = max(ends, default=None)
    return latest if latest is not None and latest > now else None

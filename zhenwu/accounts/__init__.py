"""Accounts: departments, staff with roles and a scope area, citizens, enterprises, login policy."""

from __future__ import annotations


def demo_logins() -> list[dict[str, str]]:
    """Demo accounts for the login page; see :mod:`zhenwu.accounts.demo`."""
    from zhenwu.accounts.demo import demo_logins as read

    return read()


def demo_logins_save(entries: list[dict[str, str]]) -> object:
    """Write the demo accounts for the login page; see :mod:`zhenwu.accounts.demo`."""
    from zhenwu.accounts.demo import demo_logins_save as write

    return write(entries)

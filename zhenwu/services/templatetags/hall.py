"""``{% load hall %}``: ``{% if user|may_open:"supervision" %}`` shows a link only to those who may follow it."""

from __future__ import annotations

from typing import Any

from django import template

from zhenwu.services import policy

register = template.Library()


@register.filter
def may_open(user: Any, page: str) -> bool:
    return policy.may_open(user, page)

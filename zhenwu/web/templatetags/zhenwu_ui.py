"""Template filters that turn stored codes into what people read: ``{% load zhenwu_ui %}``.

``{{ case.light|light_label }}`` → 红灯, ``{{ m.form|material_form }}`` → 原件和复印件,
``{{ area|area_name }}`` → 东山村第一网格.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from zhenwu.casework.choices import Light
from zhenwu.services.choices import MaterialForm

register = template.Library()


@register.filter
def light_label(value: str | None) -> str:
    return str(Light(value or "").label) if (value or "") in Light.values else ""


@register.filter
def material_form(value: str) -> str:
    return str(MaterialForm(value).label) if value in MaterialForm.values else value


@register.filter
def area_name(area: Any) -> str:
    """An area by name with its code second and smaller (grids, villages): names before codes."""
    if area is None:
        return "—"
    return format_html('{} <span class="code">{}</span>', area.name, area.code)

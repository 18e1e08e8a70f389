"""Permission names in the admin's pickers, in Chinese.

Django stores a permission's name in English when it is created ("Can add API token") and shows that
stored text in the user and group forms whatever the language. The pickers show ``str(permission)``;
here it is built from the translated app and model names and the permission's action instead.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _

ACTIONS = {"add": _("may add"), "change": _("may change"), "delete": _("may delete"), "view": _("may view")}


def permission_label(permission: Permission) -> str:
    """``账户和角色 | 可添加：API 令牌``; a custom permission keeps its own name."""
    model = permission.content_type.model_class()
    if model is None:  # a model removed since: its stored name is all there is
        return permission.name
    action = ACTIONS.get(permission.codename.split("_", 1)[0])
    name = f"{action}：{model._meta.verbose_name}" if action else permission.name
    return f"{model._meta.app_config.verbose_name} | {name}"


def install() -> None:
    Permission.__str__ = permission_label  # type: ignore[assignment,method-assign]

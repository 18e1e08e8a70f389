"""Errors that name the field at fault, shared by services, the API, pages and the CLI.

Messages are translatable: the API answers every error in Chinese (``message``) and English
(``message_en``), whatever the request's language. A message is therefore kept as something that can
be rendered again in another language: a lazy string (``gettext_lazy``) or a :class:`Text` made by
this module's :func:`gettext`, which keeps its msgid and its ``%`` parameters. A string translated
eagerly by Django's ``gettext`` cannot be: it would answer Chinese in ``message_en``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


class Text(str):
    """A message translated into the active language that can translate itself again.

    It is a ``str`` (the text in the language active when it was made), so pages, logs and the
    database use it as before; ``text % params`` keeps the parameters, and :meth:`render` gives
    the message in any language, parameters that are themselves translatable included.
    """

    msgid: str
    params: Any

    def __new__(cls, msgid: str, params: Any = None) -> Text:
        obj = super().__new__(cls, _render(msgid, params))
        obj.msgid, obj.params = msgid, params
        return obj

    def __mod__(self, params: Any) -> Text:  # type: ignore[override]
        return Text(self.msgid, params)

    def render(self, language: str) -> str:
        with translation.override(language):
            return _render(self.msgid, self.params)


class Translated(Text):
    """A message already rendered in each language (e.g. Django's validators, which translate eagerly)."""

    texts: dict[str, str]

    def __new__(cls, texts: dict[str, str]) -> Translated:
        obj = str.__new__(cls, texts.get(translation.get_language() or "", texts["zh-hans"]))
        obj.msgid, obj.params, obj.texts = texts["en"], None, texts
        return obj

    def __mod__(self, params: Any) -> Text:  # type: ignore[override]
        raise TypeError("a Translated message takes no parameters")

    def render(self, language: str) -> str:
        return self.texts.get(language, self.texts["zh-hans"])


def validation_messages(check: Callable[[], object]) -> list[Translated]:
    """The messages of the Django ``ValidationError`` that ``check`` raises, in Chinese and English.

    Django's validators translate when they raise, so the check runs once per language.
    """
    found: dict[str, list[str]] = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            try:
                check()
                found[language] = []
            except ValidationError as exc:
                found[language] = list(exc.messages)
    return [Translated({"zh-hans": zh, "en": en}) for zh, en in zip(found["zh-hans"], found["en"], strict=True)]


def _localized(value: Any) -> Any:
    if isinstance(value, Text):
        return _render(value.msgid, value.params)
    if isinstance(value, Promise):
        return str(value)
    return value


def _render(msgid: str, params: Any) -> str:
    text = translation.gettext(msgid)
    if params is None:
        return text
    if isinstance(params, dict):
        return text % {k: _localized(v) for k, v in params.items()}
    if isinstance(params, tuple):
        return text % tuple(_localized(v) for v in params)
    return text % _localized(params)


def gettext(message: str) -> str:
    """Django's ``gettext`` (translated now, into the active language) whose result can be rendered
    again in another language, parameters included. Use it as ``_`` wherever a message may end up
    in an error. (Typed ``str``, which a :class:`Text` is, so callers' lists stay ``list[str]``.)"""
    return Text(message)


def render(message: Any, language: str) -> str:
    """``message`` (a :class:`Text`, a lazy string or plain text) in ``language``."""
    if isinstance(message, Text):
        return message.render(language)
    with translation.override(language):
        return str(message)


class FieldError(Exception):
    """A user-correctable error: which field, and a translatable message.

    Services raise it; the API turns it into a 4xx with Chinese and English text, pages
    re-show the form with it, and the CLI prints it and exits 2.
    ``errors`` may carry several (field, message) pairs at once.
    """

    def __init__(self, field: str | None, message: Any = None, *, status: int = 400,
                 errors: list[tuple[str | None, Any]] | None = None, code: str | None = None) -> None:
        self.errors: list[tuple[str | None, Any]] = list(errors or [])
        if message is not None:
            self.errors.insert(0, (field, message))
        self.status = status
        self.code = code
        super().__init__(self.text())

    @property
    def field(self) -> str | None:
        return self.errors[0][0] if self.errors else None

    def text(self, language: str = "zh-hans") -> str:
        return "; ".join(f"{f}: {render(m, language)}" if f else render(m, language) for f, m in self.errors)


class Conflict(FieldError):
    """The object changed under us (a lost compare-and-set race): HTTP 409."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(field, message, status=409, code="conflict")


class NotFound(FieldError):
    """Absent, or outside the user's scope (both answer 404 so scope does not leak)."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(field, message, status=404, code="not_found")


class Forbidden(FieldError):
    """The user sees the object but may not take this action: HTTP 403."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(field, message, status=403, code="forbidden")


def error_item(field: str | None, message: Any) -> dict[str, Any]:
    """One entry of an API error body: the message in Chinese and in English."""
    return {"field": field, "message": render(message, "zh-hans"), "message_en": render(message, "en")}


def error_items(exc: FieldError) -> list[dict[str, Any]]:
    return [error_item(field, message) for field, message in exc.errors]

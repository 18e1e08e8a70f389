"""Errors that name the field at fault, shared by services, the API, pages and the CLI."""

from __future__ import annotations

from typing import Any

from django.utils import translation


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
        with translation.override(language):
            return "; ".join(f"{f}: {m}" if f else str(m) for f, m in self.errors)


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


def error_items(exc: FieldError) -> list[dict[str, Any]]:
    items = []
    for field, message in exc.errors:
        with translation.override("zh-hans"):
            zh = str(message)
        with translation.override("en"):
            en = str(message)
        items.append({"field": field, "message": zh, "message_en": en})
    return items

"""Bounds of the API's paging parameters, so no page number or offset overflows the database.

``?page=9223372036854775807`` times a page size is past every integer SQLite or PostgreSQL can hold
as an OFFSET; no real list has a million pages, so such a value is refused (400) like any other.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000
MAX_OFFSET = 100_000_000
MAX_PAGE_SIZE = 200


class BoundedPageNumberPagination(PageNumberPagination):
    """Ninja's page-number pagination with an upper bound on ``page`` and ``page_size``."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

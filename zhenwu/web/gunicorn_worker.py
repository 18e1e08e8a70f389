"""gunicorn's threaded worker, answering the requests it refuses itself in the API's JSON error body.

gunicorn reads the request line and headers before Django sees anything; past its limits (8,190 bytes of
request line, 100 header fields) it answers 414 or 431 with a bare HTML page. An API client, and the
OpenAPI fuzzer, expect the usual ``{"errors": [{"field", "message", "message_en"}]}`` body, so these two
answers are written here in that shape (the request was never parsed, so there is no path to look at).
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from django.utils.translation import gettext_lazy as _
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.util import write_nonblock
from gunicorn.workers.gthread import ThreadWorker

from zhenwu.errors import error_item

ANSWERS = {
    414: ("URI Too Long", _("The address is too long: send long searches in a request body.")),
    431: ("Request Header Fields Too Large", _("The request headers are too large.")),
}


def json_error(status: int) -> bytes:
    """The raw HTTP answer for a request refused before parsing, with the API's error body."""
    reason, message = ANSWERS[status]
    body = json.dumps({"errors": [error_item(None, message)]}, ensure_ascii=False).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
    return head + body


class Worker(ThreadWorker):  # type: ignore[misc]
    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        if isinstance(exc, (LimitRequestLine, LimitRequestHeaders)):
            self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
            with contextlib.suppress(OSError):  # the client may already be gone
                write_nonblock(client, json_error(414 if isinstance(exc, LimitRequestLine) else 431))
            return
        super().handle_error(req, client, addr, exc)

"""Walking /api/v1/openapi.json: every operation, its write operations, a request that fits it."""

from __future__ import annotations

import re
from typing import Any

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BOUNDARY = "zhenwu-test-boundary"


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, op) for path, methods in spec["paths"].items() for method, op in methods.items()]


def write_operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, p, op) for m, p, op in operations(spec) if m in WRITE_METHODS]


def fill_path(path: str, values: dict[str, Any], default: str = "1") -> str:
    return re.sub(r"\{([^}]+)\}", lambda m: str(values.get(m.group(1), default)), path)


def body_for(op: dict[str, Any]) -> tuple[bytes | None, str | None]:
    """A minimal body of the operation's content type: ``{}`` as JSON, or a small PDF as multipart."""
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        return b"{}", "application/json"
    if "multipart/form-data" in content:
        schema = content["multipart/form-data"]["schema"]
        parts = []
        for name, prop in schema.get("properties", {}).items():
            if prop.get("format") == "binary":
                parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="a.pdf"\r\n'
                             f"Content-Type: application/pdf\r\n\r\n".encode() + PDF + b"\r\n")
            else:
                parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\nx\r\n'.encode())
        return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode(), f"multipart/form-data; boundary={BOUNDARY}"
    return None, None


def needs_login(op: dict[str, Any]) -> bool:
    return bool(op.get("security"))


def is_csrf_refusal(status: int, body: bytes) -> bool:
    """A 403 made by the authentication layer (a CSRF failure, whatever its wording), not by a handler:
    handlers' 403s name the rule that refused ("Your roles do not allow this action.")."""
    from zhenwu.api_errors import STATUS_MESSAGES
    from zhenwu.errors import render

    generic = render(STATUS_MESSAGES[403], "en").encode()
    return status == 403 and (b"CSRF" in body or generic in body)

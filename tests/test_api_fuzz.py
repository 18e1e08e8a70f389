"""Schemathesis over the whole API of a live `zhenwu serve`, as an administrator and as a citizen.

For a bounded time (``ZHENWU_FUZZ_SECONDS`` per persona, default 45; 0 skips) it generates valid and
invalid requests for every operation of /api/v1/openapi.json and fails on any 5xx, any status code
the document does not list, and any response body that does not validate against the document.
Half the generated path values are real objects of the seeded town, so requests reach the handlers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live import LiveServer

FUZZ_SECONDS = int(os.environ.get("ZHENWU_FUZZ_SECONDS", "45"))
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
# Revoking "my token" with the fuzzer's own token would end the run; tests/accounts cover it.
EXCLUDED = ["zhenwu_accounts_api_tokens_revoke"]


def _config(live: LiveServer, path: Path) -> Path:
    seed = live.seed
    values = {
        "number": [seed["application"]], "row_id": [seed["resident"], seed["household"], seed["enterprise"]],
        "code": ["321181102201001001", "320000-MZ-0001"], "kind": ["acceptance", "residents"],
    }
    lines = []
    for name, entries in values.items():
        rendered = ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in entries)
        lines += [f"[dictionaries.{name}]", f"values = [{rendered}]", ""]
    lines.append("[parameters]")
    lines += [f'"path.{name}" = {{ dictionary = "{name}", probability = 0.5 }}' for name in values]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.live
@pytest.mark.skipif(FUZZ_SECONDS <= 0, reason="ZHENWU_FUZZ_SECONDS=0")
@pytest.mark.parametrize("persona", ["admin", "citizen"])
def test_the_fuzzer_finds_no_server_error_and_no_schema_violation(live: LiveServer, persona: str,
                                                                  tmp_path: Path) -> None:
    binary = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or "schemathesis"
    command = [binary, "--config-file", str(_config(live, tmp_path / "schemathesis.toml")), "run",
               f"{live.url}/api/v1/openapi.json", "-H", f"Authorization: Bearer {live.token(persona)}",
               "--checks", CHECKS, "--max-time", str(FUZZ_SECONDS), "--workers", "1",
               "--request-timeout", "30", "--no-color"]
    for operation_id in EXCLUDED:
        command += ["--exclude-operation-id", operation_id]
    run = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=FUZZ_SECONDS * 4 + 120)
    assert run.returncode == 0, run.stdout[-12000:] + run.stderr[-3000:]

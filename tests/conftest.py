"""The live server shared by the tests that talk to a real `zhenwu serve` over HTTP (see tests/live.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.live import LiveServer, live_server


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("live-data")) as server:
        yield server

"""The layers contract (pyproject.toml [tool.importlinter]) holds: `make test` fails on a wrong-way import."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lint_imports(*args: str) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).with_name("lint-imports")
    exe = str(command) if command.exists() else shutil.which("lint-imports")
    assert exe, "lint-imports is missing: pip install -e '.[test]'"
    return subprocess.run([exe, "--no-cache", "--no-logo", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_dependencies_point_one_way():
    done = lint_imports()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 3 kept, 0 broken." in done.stdout


def test_a_wrong_way_import_breaks_the_contract(tmp_path):
    # The same contract with accounts and areas swapped: accounts' imports of areas must now be reported.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = config["contracts"][0]["layers"]
    layers[-2], layers[-1] = layers[-1], layers[-2]
    lines = ['[tool.importlinter]', 'root_package = "zhenwu"', '', '[[tool.importlinter.contracts]]',
             'name = "swapped"', 'type = "layers"', f"layers = {layers!r}".replace("'", '"'),
             'ignore_imports = ["zhenwu.*.tests.** -> zhenwu.**"]']
    swapped = tmp_path / "swapped.toml"
    swapped.write_text("\n".join(lines) + "\n")
    done = lint_imports(str(swapped))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "zhenwu.accounts is not allowed to import zhenwu.areas" in done.stdout

"""`make bench`: run every benchmarks/bench_*.py module and print one table.

Each module has ``run(report: Report) -> None``. Benchmarks that need PostgreSQL read
``BENCH_DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/zhenwu_bench) and say so when
it cannot be reached. `python -m benchmarks NAME` runs only the modules whose name contains NAME.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenwu.settings")
os.environ.setdefault("ZHENWU_DATA_DIR", tempfile.mkdtemp(prefix="zhenwu-bench-"))
# Benchmarks serve no real users: the development key and SMS in memory, opted into visibly (and
# inherited by every process a benchmark starts).
os.environ.setdefault("ZHENWU_ALLOW_DEV_SECRET_KEY", "1")
os.environ.setdefault("ZHENWU_ALLOW_INSECURE_SMS", "1")
os.environ.setdefault("ZHENWU_SMS_BACKEND", "fake")


def main() -> int:
    import django

    django.setup()
    from benchmarks.harness import Report

    wanted = sys.argv[1:]
    report = Report()
    names = sorted(m.name for m in pkgutil.iter_modules([os.path.dirname(__file__)]) if m.name.startswith("bench_"))
    for name in names:
        if wanted and not any(w in name for w in wanted):
            continue
        print(f"== {name}", flush=True)
        t0 = time.perf_counter()
        importlib.import_module(f"benchmarks.{name}").run(report)
        print(f"   ({time.perf_counter() - t0:.1f} s)", flush=True)
    print()
    print(report.table())
    for n in report.notes:
        print(f"- {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""一网治理 at volume, on PostgreSQL, each figure beside raw SQL measured in the same run (issue 11 §8).

(a) Incident intake through the HTTP API: ``zhenwu serve --workers 2`` on a fresh database
    (BENCH_DATABASE_URL with ``_grid`` appended) seeded with the test town, the built-in categories and a
    grid worker's API token; BENCH_HTTP_CLIENTS client threads (bench_http's machinery) each POST
    ``/api/v1/grid/incidents`` (form fields, a random point of grid A, a random category: grid lookup,
    duplicate check, number, case, audit entry, incident) for BENCH_HTTP_SECONDS. Baseline: as many
    threads with their own psycopg connection doing the same inserts in raw SQL (counter UPDATE …
    RETURNING, case, audit entry with a SHA-256, incident). Targets: ≥ 500 requests/s, p99 ≤ 100 ms.
(b) The duplicate check (``incident_duplicates``) among 1,000,000 incidents (BENCH_GRID_INCIDENTS),
    beside the same bounding-box SELECT in raw SQL. Target ≤ 5 ms.
(c) The dispatcher's queue (``incident_list(status="open")``: the first page of 20 and the count) with
    100,000 open incidents among them, beside the same two statements in raw SQL. Target ≤ 100 ms.
(d) The queue page's status tabs and light counts (``views_incidents._tab_counts``, ``_light_counts``) for the
    town's dispatcher, beside the same counts in raw SQL. Target ≤ 100 ms.

(b), (c) and (d) share one database, BENCH_GRID_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/zw_griddemo), built once with ``INSERT … SELECT generate_series`` (the
cases copy one real case row, the incidents spread over the town's bounds, a year and every category) and
kept for the next run when it already holds the incidents.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from benchmarks import bench_http as h
from benchmarks.harness import Report
from benchmarks.postgres import bench_database_url, ensure_database

ROOT = Path(__file__).resolve().parent.parent
VOLUME = int(os.environ.get("BENCH_GRID_INCIDENTS", "1000000"))
OPEN = int(os.environ.get("BENCH_GRID_OPEN", "100000"))
SCRATCH = os.environ.get("BENCH_GRID_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zw_griddemo")
CALLS = 200


def _intake_url() -> str:
    parts = urlsplit(bench_database_url())
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_grid"))


def _machine_load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


# ---------------------------------------------------------------- (a) intake over HTTP


def _points(n: int, seed: int = 11) -> list[tuple[float, float]]:
    """Points of grid A of the test town (119.50–119.55 × 31.90–32.00), outside its school grid."""
    rng = random.Random(seed)
    out: list[tuple[float, float]] = []
    while len(out) < n:
        x, y = round(rng.uniform(119.501, 119.549), 6), round(rng.uniform(31.901, 31.999), 6)
        if not (119.519 <= x <= 119.531 and 31.939 <= y <= 31.951):
            out.append((x, y))
    return out


def _intake_op(port: int, token: str, codes: list[str], seed: int) -> Callable[[], None]:
    import http.client

    conn = http.client.HTTPConnection(h.HOST, port, timeout=30)
    rng = random.Random(seed)
    points = _points(4000, seed)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/x-www-form-urlencoded"}

    def op() -> None:
        x, y = rng.choice(points)
        body = urlencode({"category": rng.choice(codes), "lng": x, "lat": y, "description": "路边暴露垃圾",
                          "source": "patrol", "address": "东山村3组"}).encode()
        conn.request("POST", "/api/v1/grid/incidents", body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        if response.status != 201:
            raise RuntimeError(f"POST incidents: HTTP {response.status} {data[:200]!r}")
    return op


def _raw_intake_op(url: str, template: dict[str, dict[str, Any]], seed: int) -> Callable[[], None]:
    import psycopg
    from psycopg.types.json import Jsonb

    conn = psycopg.connect(url)
    rng = random.Random(seed)
    points = _points(4000, seed)
    counter, case, audit, incident = (template[k] for k in ("counter", "case", "audit", "incident"))

    def insert(table: str, row: dict[str, Any], returning: bool = False) -> Any:
        sql = (f'INSERT INTO {table} ({", ".join(row)}) VALUES ({", ".join(["%s"] * len(row))})'
               + (" RETURNING id" if returning else ""))
        cur = conn.execute(sql, [Jsonb(v) if isinstance(v, dict | list) else v for v in row.values()])
        return cur.fetchone()[0] if returning else None  # type: ignore[index]

    def op() -> None:
        x, y = rng.choice(points)
        with conn.transaction():
            seq = conn.execute("UPDATE casework_casecounter SET last = last + 1 WHERE id = %s RETURNING last",
                               [counter["id"]]).fetchone()[0]  # type: ignore[index]
            number = f"RB-{case['town_code']}-{seq:07d}"
            case_id = insert("casework_case", {**case, "number": number}, returning=True)
            entry = {**audit, "subject": number, "case_id": case_id}
            entry["hash"] = hashlib.sha256(json.dumps(entry, sort_keys=True, default=str).encode()).hexdigest()
            insert("casework_auditentry", entry)
            insert("grid_incident", {**incident, "case_id": case_id, "lng": x, "lat": y})
    return op


def _intake_templates(url: str) -> dict[str, dict[str, Any]]:
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(url, row_factory=dict_row) as conn:
        def one(sql: str) -> dict[str, Any]:
            row = conn.execute(sql).fetchone()
            assert row is not None, sql
            return dict(row)

        case = one("SELECT * FROM casework_case WHERE kind = 'SJ' ORDER BY id DESC LIMIT 1")
        counter = one("SELECT * FROM casework_casecounter WHERE kind = 'SJ' ORDER BY id DESC LIMIT 1")
        conn.execute("INSERT INTO casework_casecounter (kind, town_code, day, last) VALUES ('RB', %s, %s, 0)",
                     [counter["town_code"], counter["day"]])
        rows = {"counter": one("SELECT * FROM casework_casecounter WHERE kind = 'RB'"), "case": case,
                "audit": one(f"SELECT * FROM casework_auditentry WHERE case_id = {case['id']} ORDER BY seq LIMIT 1"),
                "incident": one(f"SELECT * FROM grid_incident WHERE case_id = {case['id']}")}
        conn.commit()
    for name in ("case", "audit", "incident"):
        rows[name].pop("id")
    return rows


def measure_intake() -> dict[str, Any]:
    url = _intake_url()
    problem = h._fresh_database(url)
    if problem:
        return {"skipped": f"PostgreSQL at {url} unreachable ({problem})"}
    env = h._env(url)
    subprocess.run([sys.executable, "-m", "zhenwu", "migrate", "--no-input", "-v", "0"], env=env, cwd=ROOT,
                   check=True)
    seeded = subprocess.run([sys.executable, "-m", "benchmarks.bench_grid", "seed"], env=env, cwd=ROOT, check=True,
                            capture_output=True, text=True)
    info = json.loads(seeded.stdout.strip().splitlines()[-1])
    port = h._free_port()
    result: dict[str, Any] = {"clients": h.CLIENTS, "seconds": h.SECONDS, "workers": h.WORKERS,
                              "load_before": _machine_load()}
    with open(ROOT / ".bench-grid-server.log", "wb") as log:
        proc = h._start_server(env, port, log)
        try:
            _intake_op(port, info["token"], info["codes"], 0)()  # the day's counter row, warm caches
            counter = iter(range(1, 1000))
            result["intake"] = h._load(h.CLIENTS, lambda: _intake_op(port, info["token"], info["codes"],
                                                                     next(counter)), proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    template = _intake_templates(url)
    counter = iter(range(1000, 2000))
    result["raw"] = h._load(h.CLIENTS, lambda: _raw_intake_op(url, template, next(counter)))
    result["load_after"] = _machine_load()
    return result


def seed() -> dict[str, Any]:
    import django

    django.setup()
    from zhenwu.accounts.choices import Role
    from zhenwu.accounts.services import token_create
    from zhenwu.grid.services.categories import categories_load
    from zhenwu.testing import build_test_town, make_staff

    town = build_test_town()
    worker = make_staff("bench_gridworker", roles=[Role.GRID_WORKER], scope=town.grid_a, full_name="网格员")
    codes = [c.code for c in categories_load()]
    return {"token": token_create(user=worker, device="bench")[1], "codes": codes}


# ---------------------------------------------------------------- (b), (c) at volume


def build_volume() -> dict[str, Any]:
    """The scratch database with VOLUME incidents (OPEN of them open), built once; a dispatcher of the town."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from zhenwu.accounts.choices import Role
    from zhenwu.accounts.models import User
    from zhenwu.grid.models import Category, Incident
    from zhenwu.grid.services.categories import categories_load
    from zhenwu.grid.services.incidents import incident_report
    from zhenwu.testing import TOWN, build_test_town, make_staff

    call_command("migrate", "--no-input", verbosity=0)
    if Incident.objects.count() >= VOLUME:
        return {"built_s": 0.0, "kept": True}
    t0 = time.perf_counter()
    town = build_test_town() if not User.objects.filter(username="bench_dispatcher").exists() else None
    if town is not None:
        make_staff("bench_dispatcher", roles=[Role.DISPATCHER], scope=town.town, full_name="调度")
        worker = make_staff("bench_gw", roles=[Role.GRID_WORKER], scope=town.grid_a, full_name="网格员")
        categories_load()
        incident_report(actor=worker, category="E0101", lng=119.51, lat=31.91, description="模板", source="patrol")
    template = Incident.objects.select_related("case").order_by("pk").first()
    assert template is not None
    cats = list(Category.objects.filter(parent__isnull=False).values_list("pk", "current_version_id"))
    need = VOLUME - Incident.objects.count()
    with connection.cursor() as cur:
        cur.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'casework_case' "
                    "AND column_name <> 'id' ORDER BY ordinal_position")
        cols = [r[0] for r in cur.fetchall()]
        made = {"number": "'BV-' || g",
                "created_at": "now() - (g % 365) * interval '1 day' - (g % 997) * interval '1 minute'",
                "status": f"CASE WHEN g % {VOLUME // OPEN} = 0 THEN 'dispatched' ELSE 'closed' END",
                "area_code": "CASE WHEN g % 2 = 0 THEN '321181102201001001' ELSE '321181102202001001' END",
                "deadline_due_at": "now() + (g % 72 - 24) * interval '1 hour'",
                "deadline_stopped_at": f"CASE WHEN g % {VOLUME // OPEN} = 0 THEN NULL ELSE now() END"}
        select = ", ".join(made.get(c, f"t.{c}") for c in cols).replace("%", "%%")  # modulo, not a placeholder
        cur.execute(f"INSERT INTO casework_case ({', '.join(cols)}) SELECT {select} "
                    f"FROM casework_case t, generate_series(1, %s) g WHERE t.id = %s", [need, template.case_id])
        cur.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'grid_incident' "
                    "AND column_name <> 'id' ORDER BY ordinal_position")
        icols = [r[0] for r in cur.fetchall()]
        cat_ids = "ARRAY[" + ",".join(str(c) for c, _v in cats) + "]"
        ver_ids = "ARRAY[" + ",".join(str(v) for _c, v in cats) + "]"
        k = len(cats)
        imade = {"case_id": "c.id", "area_code": "c.area_code", "category_id": f"({cat_ids})[1 + (c.id * 7919) % {k}]",
                 "category_version_id": f"({ver_ids})[1 + (c.id * 7919) % {k}]",
                 "lng": "119.50 + random() * 0.10", "lat": "31.90 + random() * 0.10",
                 "is_open": "c.deadline_stopped_at IS NULL", "created_at": "c.created_at",
                 "reported_at": "c.created_at", "status": "c.status",
                 "due_at": "CASE WHEN c.deadline_stopped_at IS NULL THEN c.deadline_due_at END",
                 # the template's clock is the 4-hour dispatch limit: yellow for its last hour (yellow_from)
                 "yellow_at": "CASE WHEN c.deadline_stopped_at IS NULL THEN c.deadline_due_at - interval '1 hour' END"}
        iselect = ", ".join(imade.get(c, f"t.{c}") for c in icols).replace("%", "%%")
        cur.execute(f"INSERT INTO grid_incident ({', '.join(icols)}) SELECT {iselect} FROM casework_case c "
                    f"JOIN grid_incident t ON t.id = %s WHERE c.number LIKE 'BV-%%'", [template.pk])
        cur.execute("ANALYZE casework_case")
        cur.execute("VACUUM ANALYZE grid_incident")  # the visibility map: the queue count is an index-only scan
    return {"built_s": time.perf_counter() - t0, "kept": False, "town": TOWN}


def _paired(fn: Callable[[], Any], raw: Callable[[], Any],
            calls: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """(median, p99) in ms of ``fn`` and of ``raw``, called in alternation so that both see the same machine
    load (the shared 2-core machine's load moves by the second)."""
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(calls):
        for call, times in ((fn, ours), (raw, theirs)):
            t0 = time.perf_counter()
            call()
            times.append((time.perf_counter() - t0) * 1000)

    def figures(times: list[float]) -> tuple[float, float]:
        return statistics.median(times), sorted(times)[int(0.99 * (len(times) - 1))]
    return figures(ours), figures(theirs)


def measure_volume() -> dict[str, Any]:
    built = build_volume()
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from zhenwu.accounts.models import User
    from zhenwu.grid import selectors
    from zhenwu.grid.models import Category, Incident
    from zhenwu.grid.services.incidents import _box, incident_duplicates

    rng = random.Random(5)
    codes = list(Category.objects.filter(parent__isnull=False).values_list("code", flat=True))
    code_ids = dict(Category.objects.filter(code__in=codes).values_list("code", "pk"))
    probes = [(rng.choice(codes), 119.50 + rng.random() * 0.1, 31.90 + rng.random() * 0.1) for _ in range(CALLS // 2)]
    near = (Incident.objects.filter(is_open=True, created_at__gte=timezone.now() - dt.timedelta(days=6))
            .values_list("category__code", "lng", "lat")[:CALLS // 2])  # half the probes find a duplicate
    probes += [(c, x + 0.0001, y) for c, x, y in near if x is not None and y is not None]
    rng.shuffle(probes)
    it = iter(probes * 3)

    def dup() -> None:
        c, x, y = next(it)
        incident_duplicates(category=c, lng=x, lat=y)

    found = sum(len(incident_duplicates(category=c, lng=x, lat=y)) for c, x, y in probes[:50])
    out: dict[str, Any] = {**built, "incidents": Incident.objects.count(), "open": Incident.objects.filter(
        is_open=True).count(), "load": _machine_load(), "dup_found_in_50": found}
    raw_it = iter(probes * 3)

    def raw_dup() -> None:
        c, x, y = next(raw_it)
        dlng, dlat = _box(y, float(settings.GRID_DUPLICATE_METERS))
        with connection.cursor() as cur:
            cur.execute("SELECT i.id, i.lng, i.lat FROM grid_incident i JOIN casework_case c ON c.id = i.case_id "
                        "WHERE i.category_id = %s AND i.is_open AND i.lat BETWEEN %s AND %s "
                        "AND i.lng BETWEEN %s AND %s "
                        "AND i.created_at >= now() - interval '7 days' ORDER BY i.created_at DESC LIMIT 200",
                        [code_ids[c], y - dlat, y + dlat, x - dlng, x + dlng])
            cur.fetchall()

    (out["dup_ms"], out["dup_p99_ms"]), (out["raw_dup_ms"], out["raw_dup_p99_ms"]) = _paired(dup, raw_dup, CALLS)
    dispatcher = User.objects.get(username="bench_dispatcher")
    now = timezone.now()

    def queue() -> None:
        qs = selectors.incident_list(user=dispatcher, status="open", now=now)
        list(qs[:20])
        qs.count()


    def raw_queue() -> None:
        with connection.cursor() as cur:
            cur.execute("SELECT i.*, c.* FROM grid_incident i JOIN casework_case c ON c.id = i.case_id "
                        "WHERE i.is_open AND i.area_code LIKE '321181102%%' "
                        "ORDER BY c.created_at DESC, i.id DESC LIMIT 20")
            cur.fetchall()
            cur.execute("SELECT count(*) FROM grid_incident i WHERE i.is_open AND i.area_code LIKE '321181102%%'")
            cur.fetchone()

    def joined_count() -> None:  # the count as it was before the incident had its own area_code
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM grid_incident i JOIN casework_case c ON c.id = i.case_id "
                        "WHERE c.status IN ('reported','registered','dispatched','extension_requested','fed_back') "
                        "AND c.area_code LIKE '321181102%%'")
            cur.fetchone()

    (out["queue_ms"], out["queue_p99_ms"]), (out["raw_queue_ms"], out["raw_queue_p99_ms"]) = _paired(
        queue, raw_queue, 20)
    out.update(_queue_counts(dispatcher))
    (out["joined_count_ms"], _p99), _unused = _paired(joined_count, lambda: None, 5)
    return out


def _queue_counts(dispatcher: Any) -> dict[str, Any]:
    """(d) The queue page's status tabs and light counts (``views_incidents._tab_counts`` / ``_light_counts``)
    for the town's dispatcher without filters (the tabs from the kept counts, ``IncidentCount``), beside the
    same counts in raw SQL grouped over the incident's own columns (``status``, ``due_at``, ``yellow_at``) — or,
    on a schema without them, joined to the cases."""
    from django.db import connection

    from zhenwu.grid import views_incidents as v

    params = dict.fromkeys(v.FILTERS, "")
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = 'grid_incident' "
                    "AND column_name = 'yellow_at'")
        own = bool(cur.fetchone()[0])

    def counts() -> None:
        v._tab_counts(dispatcher, params)
        v._light_counts(dispatcher, params)

    def raw_counts() -> None:
        with connection.cursor() as cur:
            if own:
                cur.execute("SELECT status, count(*) FROM grid_incident WHERE area_code LIKE '321181102%%' "
                            "GROUP BY status")
                cur.fetchall()
                cur.execute("SELECT count(*) FILTER (WHERE yellow_at > now()), "
                            "count(*) FILTER (WHERE yellow_at <= now() AND due_at >= now()), "
                            "count(*) FILTER (WHERE due_at < now()) FROM grid_incident "
                            "WHERE due_at IS NOT NULL AND area_code LIKE '321181102%%'")
            else:
                cur.execute("SELECT c.status, count(*) FROM grid_incident i JOIN casework_case c ON c.id = i.case_id "
                            "WHERE i.area_code LIKE '321181102%%' GROUP BY c.status")
                cur.fetchall()
                cur.execute("SELECT count(*) FILTER (WHERE c.light = 'green' AND c.deadline_due_at >= now()), "
                            "count(*) FILTER (WHERE c.light = 'yellow' AND c.deadline_due_at >= now()), "
                            "count(*) FILTER (WHERE c.deadline_due_at < now()) "
                            "FROM grid_incident i JOIN casework_case c ON c.id = i.case_id "
                            "WHERE c.deadline_due_at IS NOT NULL AND c.deadline_stopped_at IS NULL "
                            "AND i.area_code LIKE '321181102%%'")
            cur.fetchone()

    (ms, p99), (raw_ms, raw_p99) = _paired(counts, raw_counts, 10)
    return {"counts_ms": ms, "counts_p99_ms": p99, "raw_counts_ms": raw_ms, "raw_counts_p99_ms": raw_p99,
            "counts_own_columns": own}


def _volume_on_postgres() -> dict[str, Any] | str:
    problem = ensure_database(SCRATCH)
    if problem:
        return f"PostgreSQL at {SCRATCH} unreachable ({problem})"
    env = {**os.environ, "DATABASE_URL": SCRATCH, "DJANGO_SETTINGS_MODULE": "zhenwu.settings"}
    done = subprocess.run([sys.executable, "-m", "benchmarks.bench_grid", "volume"], env=env, cwd=ROOT, check=True,
                          capture_output=True, text=True, timeout=3600)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(report: Report) -> None:
    intake = measure_intake()
    if "skipped" in intake:
        report.note(f"grid intake benchmark skipped: {intake['skipped']}")
    else:
        r, raw, c = intake["intake"], intake["raw"], intake["clients"]
        print(f"  {h._line(f'grid intake, {c} clients', r)}", flush=True)
        print(f"  {h._line(f'raw SQL grid intake, {c} clients', raw)}", flush=True)
        report.row(f"HTTP grid incident intake, {c} clients, {intake['workers']} workers "
                   f"(p50 {r['p50_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms; load {intake['load_before']})",
                   r["rps"], "requests/s", baseline_name=f"raw SQL, same inserts, {c} clients",
                   baseline_value=raw["rps"], target="≥ 500 requests/s, p99 ≤ 100 ms",
                   met=r["rps"] >= 500 and r["p99_ms"] <= 100)
    volume = _volume_on_postgres()
    if isinstance(volume, str):
        report.note(f"grid volume benchmarks skipped: {volume}")
        return
    built = "kept" if volume["kept"] else f"built in {volume['built_s']:.0f} s"
    report.note(f"grid volume: {volume['incidents']:,} incidents, {volume['open']:,} open ({built}; "
                f"load {volume['load']})")
    report.row(f"grid duplicate check among {volume['incidents']:,} incidents, median (p99 "
               f"{volume['dup_p99_ms']:.1f} ms)", volume["dup_ms"], "ms", baseline_name="raw SQL bounding box",
               baseline_value=volume["raw_dup_ms"], target="≤ 5 ms", met=volume["dup_ms"] <= 5)
    report.row(f"grid dispatcher's queue, first page + count, {volume['open']:,} open, median (p99 "
               f"{volume['queue_p99_ms']:.0f} ms)", volume["queue_ms"], "ms", baseline_name="raw SQL page + count",
               baseline_value=volume["raw_queue_ms"], target="≤ 100 ms", met=volume["queue_ms"] <= 100)
    report.row(f"grid queue's status tabs + light counts, {volume['incidents']:,} incidents, median (p99 "
               f"{volume['counts_p99_ms']:.0f} ms)", volume["counts_ms"], "ms",
               baseline_name="raw SQL, same counts" + ("" if volume["counts_own_columns"] else " (joined)"),
               baseline_value=volume["raw_counts_ms"], target="≤ 100 ms", met=volume["counts_ms"] <= 100)
    report.note(f"grid queue: the count joined to the cases, as before 0002_incident_area_code: "
                f"{volume['joined_count_ms']:.0f} ms")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenwu.settings")
    os.environ.setdefault("ZHENWU_ALLOW_DEV_SECRET_KEY", "1")
    os.environ.setdefault("ZHENWU_ALLOW_INSECURE_SMS", "1")
    if sys.argv[1:] == ["seed"]:
        print(json.dumps(seed()))
    elif sys.argv[1:] == ["volume"]:
        print(json.dumps(measure_volume(), default=str))
    else:
        print(json.dumps(measure_intake(), default=str))

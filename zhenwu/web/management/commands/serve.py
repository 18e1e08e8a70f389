"""`zhenwu serve`: the production server, several processes, static files through whitenoise.

``--workers`` processes (default: one per CPU core), each with ``--threads`` threads (default 1), under
gunicorn's threaded workers; each thread keeps its database connection between requests (``CONN_MAX_AGE``
with health checks, zhenwu/settings.py). One thread per process is the default because a request here is
mostly Python, which one process runs one thread at a time: a second request in the same process waits for
the interpreter lock and costs CPU in the hand-overs (measured: 2.2–2.5 against 2.5–3.1 ms of server CPU per
grid intake, and 450–493 against 370–434 intakes/s, docs/scaling.md). More threads help where requests wait
on something slow outside Python; behind a buffering proxy (nginx), slow clients are not such a wait.
New connections go to the process with the fewest (zhenwu/web/gunicorn_worker.py).

``--server waitress`` runs the former single-process server
(threads only), for a machine where gunicorn cannot run. Background work without a broker runs in
each process after the response (zhenwu/casework/background.py).
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _

from zhenwu.accounts.demo import demo_logins_path

SERVERS = ("gunicorn", "waitress")


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


class Command(BaseCommand):
    help = "Serve Zhenwu with a production WSGI server: --workers processes (default one per core)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=None,
                            help="Server processes (default: the number of CPU cores).")
        parser.add_argument("--threads", type=int, default=None,
                            help="Threads per process (default: 1 under gunicorn, 4 under waitress's one process).")
        parser.add_argument("--server", choices=SERVERS, default="gunicorn",
                            help="gunicorn (several processes; the default) or waitress (one process).")
        parser.add_argument("--demo", action="store_true",
                            help="Demo mode: the login page lists the demo accounts, and the periodic work runs.")
        parser.add_argument("--tick", type=float, default=None,
                            help="Run `zhenwu tick` every SECONDS in a process beside the server (default: 60 with "
                                 "--demo, else 0 = not at all: production runs it from cron or Celery beat).")

    def handle(self, *args: Any, **options: Any) -> None:
        port, server = options["port"], options["server"]
        workers = default_workers() if options["workers"] is None else options["workers"]
        threads = options["threads"] if options["threads"] is not None else (4 if server == "waitress" else 1)
        if not 0 < port < 65536:
            raise CommandError(f"--port: {port} is not a TCP port (1–65535)", returncode=2)
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads: at least 1", returncode=2)
        every = options["tick"] if options["tick"] is not None else (60.0 if options["demo"] else 0.0)
        if every < 0:
            raise CommandError("--tick: not negative", returncode=2)
        if options["demo"]:
            settings.DEMO_MODE = True
            os.environ["ZHENWU_DEMO"] = "1"  # every worker process, however it starts, sees it too
            self._say_demo_mode()
        if server == "waitress":
            workers = 1
        url = f"http://{options['host']}:{port}"
        self.stdout.write(_("Zhenwu serving at %(url)s with %(server)s: %(workers)d process(es) × %(threads)d threads "
                            "(Ctrl+C to stop)") % {"url": url, "server": server, "workers": workers,
                                                   "threads": threads}, ending="\n")
        self.stdout.flush()
        connections.close_all()  # a connection opened here must not be shared by forked workers
        if every:
            _start_ticker(every)
            self.stdout.write(_("The periodic work (zhenwu tick) runs every %(n)s seconds beside the server.")
                              % {"n": f"{every:g}"})
            self.stdout.flush()
        if server == "waitress":
            from waitress import serve

            from zhenwu.wsgi import application

            serve(application, host=options["host"], port=port, threads=threads, ident="zhenwu", _quiet=True)
            return
        _gunicorn(host=options["host"], port=port, workers=workers, threads=threads)

    def _say_demo_mode(self) -> None:
        """The logins were printed once by `zhenwu demo`; here only where to find them again."""
        if demo_logins_path().exists():
            self.stdout.write(_("Demo mode: the login page lists the demo accounts."))
        else:
            self.stdout.write(_("No demo logins yet: run `zhenwu demo` first."))


def _start_ticker(every: float) -> subprocess.Popen[bytes]:
    """`zhenwu tick --every` in its own process: it ends when this one does (it watches its parent)."""
    ticker = subprocess.Popen([sys.executable, "-m", "zhenwu", "tick", "--every", f"{every:g}"],
                              stdout=subprocess.DEVNULL)
    atexit.register(ticker.terminate)
    return ticker


def _gunicorn(*, host: str, port: int, workers: int, threads: int) -> None:
    from gunicorn.app.base import BaseApplication

    from zhenwu.wsgi import application

    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers, "threads": threads, "worker_class": "zhenwu.web.gunicorn_worker.Worker",
        "timeout": 120, "graceful_timeout": 20, "keepalive": 5,
        "accesslog": None, "errorlog": "-", "loglevel": "warning", "proc_name": "zhenwu",
        # The forwarded-for address is trusted by zhenwu.web.security (TRUSTED_PROXIES), not by gunicorn.
        "forwarded_allow_ips": "",
    }

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    Server().run()

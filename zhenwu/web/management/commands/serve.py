"""`zhenwu serve`: the production WSGI server (waitress), static files through whitenoise."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Serve Zhenwu with a production WSGI server (waitress)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--demo", action="store_true",
                            help="Demo mode: the login page lists the demo accounts.")

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from zhenwu.wsgi import application

        port = options["port"]
        if not 0 < port < 65536:
            raise CommandError(f"--port: {port} is not a TCP port (1–65535)", returncode=2)
        if options["demo"]:
            settings.DEMO_MODE = True
            self._print_demo_logins()
        url = f"http://{options['host']}:{port}"
        self.stdout.write(f"Zhenwu serving at {url}  (Ctrl+C to stop)", ending="\n")
        self.stdout.flush()
        serve(application, host=options["host"], port=port, threads=options["threads"],
              ident="zhenwu", _quiet=True)

    def _print_demo_logins(self) -> None:
        path = settings.DATA_DIR / "demo_logins.json"
        if not path.exists():
            self.stdout.write("No demo logins yet: run `zhenwu demo` first.")
            return
        rows = json.loads(path.read_text(encoding="utf-8"))
        self.stdout.write("Demo logins:")
        for row in rows:
            self.stdout.write(f"  {row['role_label']:<12} {row['username']:<12} {row['password']}  ({row['scope']})")

"""`zhenwu serve`: the production WSGI server (waitress), static files through whitenoise."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from zhenwu.accounts.demo import demo_logins_path


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
            self._say_demo_mode()
        url = f"http://{options['host']}:{port}"
        self.stdout.write(f"Zhenwu serving at {url}  (Ctrl+C to stop)", ending="\n")
        self.stdout.flush()
        serve(application, host=options["host"], port=port, threads=options["threads"],
              ident="zhenwu", _quiet=True)

    def _say_demo_mode(self) -> None:
        """The logins were printed once by `zhenwu demo`; here only where to find them again."""
        if demo_logins_path().exists():
            self.stdout.write(_("Demo mode: the login page lists the demo accounts."))
        else:
            self.stdout.write(_("No demo logins yet: run `zhenwu demo` first."))

"""`zhenwu open311 client add NAME [--contact C] | client list | client rekey NAME | client disable NAME`,
`zhenwu open311 attributes seed` (the built-in questions of some categories)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhenwu.errors import FieldError
from zhenwu.grid.models import Open311Client
from zhenwu.grid.open311.attribute_data import open311_attributes_seed
from zhenwu.grid.open311.clients import open311_client_add, open311_client_rekey


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Open311 clients: add one (its api_key is printed once), list them, replace or disable a key."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="noun", required=True)
        client = sub.add_parser("client", help="Open311 clients and their api_keys")
        verbs = client.add_subparsers(dest="verb", required=True)
        add = verbs.add_parser("add", help="register a client and print its api_key (shown only now)")
        add.add_argument("name")
        add.add_argument("--contact", default="")
        verbs.add_parser("list", help="the clients, without keys")
        for verb, text in (("rekey", "print a new api_key; the old one stops working"),
                           ("disable", "refuse the client's api_key from now on")):
            verbs.add_parser(verb, help=text).add_argument("name")
        attributes = sub.add_parser("attributes", help="the questions services ask")
        attributes.add_subparsers(dest="verb", required=True).add_parser(
            "seed", help="add the built-in questions of the categories that exist (idempotent)")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "_" + options["verb"])(**options)

    def _client(self, name: str) -> Open311Client:
        client = Open311Client.objects.filter(name=name).first()
        if client is None:
            raise CommandError(_("No Open311 client named %(name)s.") % {"name": name}, returncode=2)
        return client

    def _add(self, *, name: str, contact: str, **options: Any) -> None:
        try:
            client, key = open311_client_add(name=name, contact=contact)
        except FieldError as exc:
            raise CommandError(exc.text(), returncode=2) from exc
        self.stderr.write(_("Open311 client %(name)s added. Its api_key, shown only now:") % {"name": client.name})
        self.stdout.write(key)

    def _seed(self, **options: Any) -> None:
        self.stdout.write(_("%(n)d Open311 questions added.") % {"n": open311_attributes_seed()})

    def _list(self, **options: Any) -> None:
        for client in Open311Client.objects.order_by("name"):
            used = client.last_used_at.isoformat(timespec="minutes") if client.last_used_at else "-"
            state = "active" if client.active else "disabled"
            self.stdout.write(f"{client.name}\t{state}\t{client.key_prefix}\t{used}")

    def _rekey(self, *, name: str, **options: Any) -> None:
        self.stdout.write(open311_client_rekey(client=self._client(name)))

    def _disable(self, *, name: str, **options: Any) -> None:
        client = self._client(name)
        Open311Client.objects.filter(pk=client.pk).update(active=False)
        self.stdout.write(_("Open311 client %(name)s disabled.") % {"name": name})

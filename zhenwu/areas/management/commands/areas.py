"""`zhenwu areas import FILE` and `zhenwu areas export [--under CODE] [--output FILE]`."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhenwu.areas.selectors import areas_export
from zhenwu.areas.services import area_import_geojson
from zhenwu.errors import FieldError


class Command(BaseCommand):
    help = "Import or export the area tree as a GeoJSON FeatureCollection."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Upsert areas by code from a GeoJSON file ('-' for stdin).")
        imp.add_argument("file")
        exp = sub.add_parser("export", help="Write areas as GeoJSON (to stdout by default).")
        exp.add_argument("--under", help="Only this area and the areas below it.")
        exp.add_argument("--output", help="File to write instead of stdout.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "import":
                self._import(options["file"])
            else:
                self._export(options.get("under"), options.get("output"))
        except FieldError as exc:
            raise CommandError("\n".join(_lines(exc)), returncode=2) from exc

    def _import(self, path: str) -> None:
        data = _read_json(path)
        result = area_import_geojson(data=data)
        self.stdout.write(_("Imported: %(created)s created, %(updated)s updated.")
                          % {"created": len(result.created), "updated": len(result.updated)})

    def _export(self, under: str | None, output: str | None) -> None:
        text = json.dumps(areas_export(under=under), ensure_ascii=False)
        if not output:
            self.stdout.write(text)
            return
        try:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            raise CommandError(_("Cannot write %(file)s: %(error)s") % {"file": output, "error": exc},
                               returncode=2) from exc


def _read_json(path: str) -> Any:
    try:
        if path == "-":
            return json.load(sys.stdin)
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except OSError as exc:
        raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc},
                           returncode=2) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise CommandError(_("%(file)s is not valid JSON: %(error)s") % {"file": path, "error": exc},
                           returncode=2) from exc


def _lines(exc: FieldError) -> list[str]:
    return [f"{field}: {message}" if field else str(message) for field, message in exc.errors]

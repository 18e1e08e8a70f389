"""`zhenwu registry import KIND FILE [--dry-run] [--valid-only] [--as USERNAME]`,
`zhenwu registry export KIND [--output FILE] [--grid CODE] [--unmasked] [--as USERNAME]` and
`zhenwu registry template KIND [--output FILE]`.

Import without ``--valid-only`` is all or nothing. Exit status 2 when the file cannot be read, or
when rows were rejected and the mode is all or nothing (a dry run included: it says the import
would be refused); 0 otherwise. Without ``--as`` the command acts as the system (no scope limit,
audited with no actor), as whoever has shell access to the server could anyway.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from zhenwu.accounts.models import User
from zhenwu.errors import FieldError
from zhenwu.registry.exporting import Export, ledger_export, template_workbook
from zhenwu.registry.importing import KINDS, import_job_commit, import_job_create
from zhenwu.registry.models import ImportChoice, ImportJob, ImportStatus

KIND_CHOICES = sorted(KINDS)


class Command(BaseCommand):
    help = "Import base data from xlsx/csv, export ledgers to xlsx, or write an import template."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Check a file, then import it (all or nothing unless --valid-only).")
        imp.add_argument("kind", choices=KIND_CHOICES)
        imp.add_argument("file")
        imp.add_argument("--dry-run", action="store_true", help="Only check and print the report.")
        imp.add_argument("--valid-only", action="store_true", help="Import the valid rows, skip the rejected.")
        imp.add_argument("--as", dest="username", help="Act as this staff member (their scope and rights).")
        exp = sub.add_parser("export", help="Write a ledger as xlsx (masked unless --unmasked).")
        exp.add_argument("kind", choices=KIND_CHOICES)
        exp.add_argument("--output", help="File to write (default: <kind>-<time>.xlsx here).")
        exp.add_argument("--grid", help="Only this grid or area (code prefix).")
        exp.add_argument("--unmasked", action="store_true", help="Full personal data (audited).")
        exp.add_argument("--as", dest="username", help="Act as this staff member (their scope and rights).")
        tpl = sub.add_parser("template", help="Write the import template of a kind.")
        tpl.add_argument("kind", choices=KIND_CHOICES)
        tpl.add_argument("--output", help="File to write (default: template-<kind>.xlsx here).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            action = options["action"]
            if action == "import":
                self._import(options)
            elif action == "export":
                self._export(options)
            else:
                self._write(template_workbook(options["kind"]), options.get("output"))
        except FieldError as exc:
            raise CommandError("\n".join(_lines(exc)), returncode=2) from exc

    def _import(self, options: dict[str, Any]) -> None:
        actor = _user(options.get("username"))
        data = _read(options["file"])
        job = import_job_create(actor=actor, kind=options["kind"], data=data,
                                file_name=Path(options["file"]).name, background=False)
        self._report(job)
        valid_only = bool(options["valid_only"])
        if job.status == ImportStatus.FAILED:
            raise CommandError(_("The file cannot be read; nothing was imported."), returncode=2)
        if not options["dry_run"]:
            choice = ImportChoice.VALID_ONLY if valid_only else ImportChoice.ALL_OR_NOTHING
            job = import_job_commit(actor=actor, job=job, choice=choice, background=False)
            self._outcome(job)
        if job.rejected_rows and not valid_only:
            raise CommandError(_("Rows were rejected; with all or nothing, nothing is imported."), returncode=2)

    def _report(self, job: ImportJob) -> None:
        for item in job.report.get("file_errors", []):
            self.stderr.write(item["message"])  # the file as a whole: unreadable, no data rows, …
        english = (translation.get_language() or "").startswith("en")
        for e in job.report.get("errors", []):
            message = e["message_en"] if english else e["message"]
            self.stdout.write(_("row %(row)s, %(column)s: %(message)s") % {**e, "message": message})
        self.stdout.write(_("%(total)s rows: %(valid)s valid, %(rejected)s rejected.")
                          % {"total": job.total_rows, "valid": job.valid_rows, "rejected": job.rejected_rows})

    def _outcome(self, job: ImportJob) -> None:
        if job.status == ImportStatus.IMPORTED:
            self.stdout.write(_("Imported %(n)s rows (import job %(job)s).") % {"n": job.imported_rows, "job": job.pk})
        elif job.status == ImportStatus.FAILED:
            self._report(job)
            raise CommandError(_("Nothing was imported."), returncode=2)
        else:
            self.stdout.write(_("Nothing was imported."))

    def _export(self, options: dict[str, Any]) -> None:
        result = ledger_export(user=_user(options.get("username")), kind=options["kind"],
                               params={"grid": options.get("grid")}, unmasked=bool(options["unmasked"]))
        self._write(result, options.get("output"))

    def _write(self, export: Export, output: str | None) -> None:
        target = Path(output or export.file_name)
        try:
            target.write_bytes(export.content)
        except OSError as exc:
            raise CommandError(_("Cannot write %(file)s: %(error)s") % {"file": target, "error": exc},
                               returncode=2) from exc
        self.stdout.write(_("Wrote %(file)s (%(rows)s rows).") % {"file": target, "rows": export.rows})


def _user(username: str | None) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("No user named %(name)s.") % {"name": username}, returncode=2)
    return user


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc},
                           returncode=2) from exc


def _lines(exc: FieldError) -> list[str]:
    return [f"{field}: {message}" if field else str(message) for field, message in exc.errors]

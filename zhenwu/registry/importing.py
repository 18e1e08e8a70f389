"""批量导入: checking every row of a registry spreadsheet and writing the valid ones.

The flow: ``import_job_create`` parses the upload once (``reading``), stores it content-addressed and
checks it (a dry run that writes nothing but the job's report); ``import_job_commit`` then imports
with the user's explicit choice — ``all_or_nothing`` or ``valid_only``. The chosen import does not
read the file again: it takes the dry run's cleaned rows (kept beside the upload, verified by their
SHA-256) and re-runs only the database checks, because the database may have changed since. Row
numbers are those Excel shows.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, models, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.models import User
from zhenwu.accounts.selectors import scope_prefix
from zhenwu.errors import Conflict, FieldError, Forbidden, NotFound
from zhenwu.registry import cleaning
from zhenwu.registry.choices import Relation
from zhenwu.registry.columns import KINDS, SINGULAR, SYNONYMS, Column, Kind, kind_get
from zhenwu.registry.models import Household, ImportChoice, ImportJob, ImportStatus, Resident, ResidentTag
from zhenwu.registry.policy import can_edit_registry
from zhenwu.registry.reading import Table, cell_value, open_table, sniff_format
from zhenwu.registry.references import Found, in_chunk_size, resolve_enterprises, resolve_grids, resolve_households

__all__ = ["KINDS", "SINGULAR", "Column", "Kind", "kind_get", "Table", "open_table", "sniff_format",
           "import_job_create", "import_job_get", "import_job_commit", "import_job_check", "import_job_execute",
           "import_check_file", "job_table"]

CHUNK = 500  # rows per IN query and per bulk_create batch: far below every database's parameter limit
PROGRESS_EVERY = 5000
STORAGE_DIR = "registry-imports"


def _fmt(message: Any, **params: Any) -> Any:
    """Fill a lazy message's placeholders when it is shown, so the report stays translatable."""
    return lazy(lambda: str(message) % params, str)()


# --- checking rows ---------------------------------------------------------------------------------

@dataclass
class RowError:
    row: int
    column: str
    field: str
    message: Any

    def as_dict(self) -> dict[str, Any]:
        with translation.override("zh-hans"):
            zh = str(self.message)
        with translation.override("en"):
            en = str(self.message)
        return {"row": self.row, "column": self.column, "field": self.field, "message": zh, "message_en": en}


@dataclass
class Checked:
    """The outcome of checking a file: the rows that may be written and every rejection."""

    kind: Kind
    total: int = 0
    valid: dict[int, dict[str, Any]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    sheet: str = ""
    format: str = ""
    header_row: int = 1

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    def reject(self, row: int, field_name: str, message: Any) -> None:
        self.errors.append(RowError(row, self.kind.header_of(field_name), field_name, message))
        self.valid.pop(row, None)


_TERM_FIELDS = ("status", "relation", "kind", "operating_status", "risk_level", "abnormal_listed")
_TAG_SPLIT = re.compile(r"[,，、;；\s]+")


def _translate_terms(kind: Kind, raw: dict[str, Any]) -> None:
    """Replace the Chinese terms of choice fields by values; leave anything unknown for the cleaner to reject."""
    for name in _TERM_FIELDS:
        value = raw.get(name)
        if isinstance(value, str):
            terms = kind.synonyms(name)
            if terms:
                raw[name] = terms.get(value, value)
    if isinstance(raw.get("tags"), str):
        terms = SYNONYMS["tags"]
        raw["tags"] = [terms.get(t, t) for t in _TAG_SPLIT.split(raw["tags"]) if t]


def check_rows(table: Table, kind: Kind, *, prefix: str,
               progress: Callable[[int, int], None] | None = None) -> Checked:
    """Clean every row, then check grids, duplicates and references with a few chunked queries."""
    checked = clean_rows(table, kind, progress=progress)
    check_against_database(checked, prefix)
    return checked


def clean_rows(table: Table, kind: Kind, *, progress: Callable[[int, int], None] | None = None) -> Checked:
    """The row-by-row part (no database): each row's cells normalised, then through the kind's cleaner."""
    checked = Checked(kind, sheet=table.sheet, format=table.format, header_row=table.header_row)
    limit = settings.REGISTRY_IMPORT_MAX_ROWS
    columns = list(table.positions.items())
    with cleaning.one_day():
        _clean_each(checked, table, kind, columns, limit, progress)
    if checked.total == 0:
        raise FieldError("file", _("The file has no data rows."))
    return checked


def _clean_each(checked: Checked, table: Table, kind: Kind, columns: list[tuple[str, int]], limit: int,
                progress: Callable[[int, int], None] | None) -> None:
    for number, cells in table.rows:
        raw = {name: cell_value(cells, index) for name, index in columns}
        if all(v is None for v in raw.values()):
            continue  # blank lines (or lines with only unknown columns) are not rows to Excel users
        checked.total += 1
        if checked.total > limit:
            raise FieldError("file", _fmt(
                _("The file has more than %(max)d data rows; split it into smaller files."), max=limit))
        _check_one(checked, kind, number, raw)
        if progress and checked.total % PROGRESS_EVERY == 0:
            progress(checked.total, max(table.estimate, checked.total))


def _check_one(checked: Checked, kind: Kind, number: int, raw: dict[str, Any]) -> None:
    _translate_terms(kind, raw)
    cleaned, errors = kind.cleaner(raw)
    if errors:
        for field_name, message in errors:
            checked.errors.append(RowError(number, kind.header_of(field_name), field_name, message))
        return
    checked.valid[number] = cleaned


def check_against_database(checked: Checked, prefix: str) -> None:
    """Grids exist and lie in scope, keys are unique in the file and new to the database, references exist."""
    _check_grids(checked, prefix)
    _check_duplicates_in_file(checked)
    _check_duplicates_in_db(checked)
    _check_references(checked, prefix)
    checked.errors.sort(key=lambda e: e.row)


def _chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _check_grids(checked: Checked, prefix: str) -> None:
    """Each row's grid, by code or by a name unique in scope (``references.resolve_grids``)."""
    found = resolve_grids({v["grid"] for v in checked.valid.values()}, prefix)
    for number, values in list(checked.valid.items()):
        grid = found[values["grid"]]
        if isinstance(grid, Found):
            values["grid"] = values["area_code"] = grid.code
            values["grid_id"] = grid.pk
        else:
            checked.reject(number, "grid", grid)


def _key(kind: Kind, values: Mapping[str, Any]) -> tuple[Any, ...]:
    return (values[kind.key[0]],) if len(kind.key) == 1 else tuple(values[f] for f in kind.key)


def _check_duplicates_in_file(checked: Checked) -> None:
    rows_by_key: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for number, values in checked.valid.items():
        rows_by_key[_key(checked.kind, values)].append(number)
    for rows in rows_by_key.values():
        if len(rows) < 2:
            continue
        listed = "、".join(str(r) for r in rows)
        for number in rows:  # every copy is rejected: the file does not say which one is right
            checked.reject(number, checked.kind.key[0], _fmt(
                _("The same value appears in rows %(rows)s of the file."), rows=listed))


def _check_duplicates_in_db(checked: Checked) -> None:
    kind = checked.kind
    first = kind.key[0]
    by_key = {_key(kind, v): n for n, v in checked.valid.items()}
    values = sorted({k[0] for k in by_key})
    for chunk in _chunks(values, in_chunk_size()):
        existing = kind.model._default_manager.filter(**{f"{first}__in": chunk}).values_list(*kind.key)
        for found in existing:
            number = by_key.get(tuple(found))
            if number is not None:
                checked.reject(number, first, kind.key_message)


_REFERENCES = {"household": resolve_households, "enterprise": resolve_enterprises}


def _check_references(checked: Checked, prefix: str) -> None:
    """Residents name a household (number or address), places an enterprise (USCC or name), in scope."""
    for name, resolve in _REFERENCES.items():
        if not any(name in v for v in checked.valid.values()):
            continue
        found = resolve({v[name] for v in checked.valid.values() if v.get(name)}, prefix)
        for number, values in list(checked.valid.items()):
            ref = found.get(values.get(name) or "")
            if ref is None:
                values[f"{name}_id"] = None
            elif isinstance(ref, Found):
                values[name], values[f"{name}_id"] = ref.code, ref.pk
            else:
                checked.reject(number, name, ref)


# --- writing ---------------------------------------------------------------------------------------

def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """How a cleaned value of ``field`` goes to the database driver (only dates need the backend's help)."""
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    return lambda value: value


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """INSERT ``rows`` (attname → cleaned value) with one executemany per chunk.

    bulk_create runs Django's per-value field machinery, which at 100,000 rows costs several times
    what the database does (measured in benchmarks/bench_registry_import.py); the values here are
    already clean python values, so each column needs at most one adapter. Missing values take the
    field's default; created_at/updated_at are the same moment for the whole import.
    """
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    stamps = {f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    plan = [(f.attname, f.get_default(), _adapter(f)) for f in fields if f.attname not in stamps]
    quote = connection.ops.quote_name
    columns = [f.column for f in fields if f.attname not in stamps] + [f.column for f in fields if f.attname in stamps]
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(str(c)) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    tail = (now,) * len(stamps)
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, 2000):
            cursor.executemany(sql, [tuple(adapt(row.get(name, default)) for name, default, adapt in plan) + tail
                                     for row in chunk])


def write_rows(checked: Checked, progress: Callable[[int, int], None] | None = None) -> int:
    """Insert the valid rows in chunks (inside the caller's transaction); return the count."""
    kind = checked.kind
    items = [values for _n, values in sorted(checked.valid.items())]
    written = 0
    for chunk in _chunks(items, 10_000):
        insert_rows(kind.model, chunk)
        if kind.model is Resident:
            _write_resident_extras(chunk)
        written += len(chunk)
        if progress:
            progress(written, len(items))
    return written


def _write_resident_extras(values: list[dict[str, Any]]) -> None:
    """Care tags, and the head of each household that has none: its first member whose relation is 户主."""
    tagged = {v["id_number"]: v["tags"] for v in values if v.get("tags")}
    ids: dict[str, int] = {}
    for chunk in _chunks(list(tagged), in_chunk_size()):
        ids.update(Resident.objects.filter(id_number__in=chunk).values_list("id_number", "pk"))
    ResidentTag.objects.bulk_create([ResidentTag(resident_id=ids[n], tag=t) for n, tags in tagged.items()
                                     for t in tags], batch_size=CHUNK)
    households = sorted({v["household_id"] for v in values if v.get("household_id")
                         and v.get("relation") == Relation.HEAD})
    first_head = Resident.objects.filter(household=OuterRef("pk"), relation=Relation.HEAD).order_by("pk")
    for chunk in _chunks(households):
        Household.objects.filter(pk__in=chunk, head__isnull=True).update(head=Subquery(first_head.values("pk")[:1]))


# --- jobs (the services the wizard, the API and the CLI call) ---------------------------------------

def _actor_prefix(actor: User | None) -> str:
    """The scope prefix an import runs with: the actor's, or everything for the command line (no actor)."""
    if actor is None:
        return ""
    prefix = scope_prefix(actor)
    if prefix is None or not can_edit_registry(actor):
        raise Forbidden(_("You may not import base data."))
    return prefix


def _store(data: bytes, fmt: str) -> tuple[str, str]:
    digest = hashlib.sha256(data).hexdigest()
    name = f"{STORAGE_DIR}/{digest[:2]}/{digest}.{fmt}"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(data))
    return name, digest


def import_job_create(*, actor: User | None, kind: str, data: bytes, file_name: str = "",
                      background: bool | None = None) -> ImportJob:
    """Store an upload and check it (dry run: writes nothing but the job and its report).

    The file is parsed here, once: its format, sheet, header row and columns are checked at once
    (FieldError on ``file``); the parsed rows are then checked inline for small files and in the
    background for large ones (``background`` forces it).
    """
    spec = kind_get(kind)
    _actor_prefix(actor)
    table = open_table(data, spec)
    name, digest = _store(data, table.format)
    job = ImportJob.objects.create(kind=spec.slug, original_name=file_name[:255], file_name=name,
                                   file_sha256=digest, total_rows=table.estimate, created_by=actor)
    if background is None:
        background = table.estimate > settings.REGISTRY_IMPORT_INLINE_ROWS
    from zhenwu.registry.tasks import dispatch

    dispatch("check", job.pk, background=background, table=table)
    job.refresh_from_db()
    return job


def import_job_get(*, user: User | None, job_id: int) -> ImportJob:
    """A job its creator (or an unscoped administrator, or the command line) may see; else 404."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or not (user is None or job.created_by_id == user.pk or scope_prefix(user) == ""):
        raise NotFound(_("No such import."))
    return job


def import_job_commit(*, actor: User | None, job: ImportJob, choice: str,
                      background: bool | None = None) -> ImportJob:
    """Import a checked file with the user's explicit choice (all_or_nothing or valid_only)."""
    if choice not in ImportChoice.values:
        raise FieldError("choice", _("Choose all_or_nothing or valid_only."))
    _actor_prefix(actor)
    ready = (ImportStatus.VALIDATED, ImportStatus.REFUSED)
    updated = ImportJob.objects.filter(pk=job.pk, status__in=ready).update(
        status=ImportStatus.IMPORTING, choice=choice, processed_rows=0)
    if not updated:  # compare-and-set: a second click or another tab must not import twice
        raise Conflict(_("This import is not waiting for a choice (already imported, running or failed)."))
    if background is None:
        background = job.total_rows > settings.REGISTRY_IMPORT_INLINE_ROWS
    from zhenwu.registry.tasks import dispatch

    dispatch("commit", job.pk, background=background)
    job.refresh_from_db()
    return job


def _progress(job_id: int) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed_rows=done, total_rows=total)
    return report


def _verified(name: str, sha256: str) -> bytes:
    """A stored file, refused if its SHA-256 is no longer the one recorded when it was written."""
    with default_storage.open(name, "rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise FieldError("file", _("The stored file has changed since it was uploaded; upload it again."))
    return bytes(data)


def job_table(job: ImportJob) -> Table:
    """The job's upload parsed again (a Celery worker's dry run, the rejected-rows download)."""
    return open_table(_verified(job.file_name, job.file_sha256), kind_get(job.kind))


# The cleaned rows of a dry run are kept beside the upload, so the chosen import (possibly in another
# process) skips the slow part — reading and cleaning the same bytes again — and only re-runs the
# database checks, which may have changed meanwhile. Their SHA-256 is kept on the job.
DATE_FIELDS = ("birth_date", "arrival_date")
CACHE_DIGEST = "checked_sha256"


def _cache_name(job: ImportJob) -> str:
    return f"{STORAGE_DIR}/checked/{job.pk}-{job.file_sha256}.json"


def _cache_save(job: ImportJob, checked: Checked) -> str:
    """Write the cleaned rows; answer their SHA-256."""
    keys = sorted({k for values in checked.valid.values() for k in values})
    payload = {"total": checked.total, "sheet": checked.sheet, "format": checked.format,
               "header_row": checked.header_row, "keys": keys,
               "rows": [[n, [v.get(k) for k in keys]] for n, v in checked.valid.items()],
               "errors": [e.as_dict() for e in checked.errors]}
    text = json.dumps(payload, ensure_ascii=False, default=str, separators=(",", ":")).encode()
    name = _cache_name(job)
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(text))
    return hashlib.sha256(text).hexdigest()


def _rendered(zh: str, en: str) -> Any:
    return lazy(lambda: en if (translation.get_language() or "").startswith("en") else zh, str)()


def _cache_load(job: ImportJob) -> Checked | None:
    name, digest = _cache_name(job), job.report.get(CACHE_DIGEST)
    if not digest or not default_storage.exists(name):
        return None
    payload = json.loads(_verified(name, digest))
    checked = Checked(kind_get(job.kind), total=payload["total"], sheet=payload["sheet"], format=payload["format"],
                      header_row=payload.get("header_row", 1))
    keys, dates = payload["keys"], [k for k in DATE_FIELDS if k in payload["keys"]]
    for number, row in payload["rows"]:
        values = dict(zip(keys, row, strict=True))
        for key in dates:
            if values[key]:
                values[key] = datetime.date.fromisoformat(values[key])
        checked.valid[number] = values
    checked.errors = [RowError(e["row"], e["column"], e["field"], _rendered(e["message"], e["message_en"]))
                      for e in payload["errors"]]
    return checked


def _cache_drop(job: ImportJob) -> None:
    name = _cache_name(job)
    if default_storage.exists(name):
        default_storage.delete(name)


def _report(checked: Checked, **extra: Any) -> dict[str, Any]:
    return {"format": checked.format, "sheet": checked.sheet, "header_row": checked.header_row,
            "rejected": checked.rejected_rows, "errors": [e.as_dict() for e in checked.errors], **extra}


def _finish(job: ImportJob, status: str, **fields: Any) -> None:
    for name, value in {"status": status, "finished_at": timezone.now(), **fields}.items():
        setattr(job, name, value)
    job.save()


def _fail(job: ImportJob, exc: FieldError) -> None:
    items = [{"field": f, "message": _in("zh-hans", m), "message_en": _in("en", m)} for f, m in exc.errors]
    _finish(job, ImportStatus.FAILED, report={**job.report, "file_errors": items})


def _in(language: str, message: Any) -> str:
    with translation.override(language):
        return str(message)


def _counts(checked: Checked) -> dict[str, int]:
    return {"total_rows": checked.total, "processed_rows": checked.total,
            "valid_rows": len(checked.valid), "rejected_rows": len(checked.rejected_rows)}


def import_job_check(job_id: int, table: Table | None = None) -> ImportJob:
    """Run the dry run of a job (from ``tasks``): check every row of ``table`` (parsed by the upload
    in this process), or of the stored upload (a Celery worker), and store the report."""
    job = ImportJob.objects.get(pk=job_id)
    ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.VALIDATING)
    try:
        spec = kind_get(job.kind)
        checked = clean_rows(table or job_table(job), spec, progress=_progress(job.pk))
        digest = _cache_save(job, checked)
        check_against_database(checked, _actor_prefix(job.created_by))
    except FieldError as exc:
        _fail(job, exc)
        return job
    _finish(job, ImportStatus.VALIDATED, report=_report(checked, **{CACHE_DIGEST: digest}), **_counts(checked))
    return job


def import_job_execute(job_id: int) -> ImportJob:
    """Carry out a chosen import (from ``tasks``): re-check the dry run's rows, then write per the choice."""
    job = ImportJob.objects.get(pk=job_id)
    try:
        checked = _cache_load(job) or clean_rows(job_table(job), kind_get(job.kind))
        check_against_database(checked, _actor_prefix(job.created_by))
    except FieldError as exc:
        _fail(job, exc)
        return job
    counts = _counts(checked)
    if job.choice == ImportChoice.ALL_OR_NOTHING and checked.errors:  # the rows stay for a later "valid only"
        report = _report(checked, **{CACHE_DIGEST: job.report.get(CACHE_DIGEST)})
        _finish(job, ImportStatus.REFUSED, report=report, imported_rows=0, **counts)
        return job
    _cache_drop(job)
    try:
        with transaction.atomic():
            written = write_rows(checked, _progress(job.pk)) if checked.valid else 0
            _audit(job, checked, written)
    except IntegrityError:  # someone inserted the same keys since the check: nothing was written
        _fail(job, FieldError("file", _("Some rows were added by someone else meanwhile; nothing was "
                                        "imported. Check the file again.")))
        return job
    _finish(job, ImportStatus.IMPORTED, report=_report(checked), imported_rows=written, **counts)
    return job


def _audit(job: ImportJob, checked: Checked, written: int) -> None:
    from zhenwu.casework.services import audit_record

    audit_record(subject=f"registry.import:{job.pk}", actor=job.created_by, action="import",
                 data={"kind": job.kind, "choice": job.choice, "file_sha256": job.file_sha256,
                       "file_name": job.original_name, "total_rows": checked.total, "imported_rows": written,
                       "rejected_rows": len(checked.rejected_rows)})


def import_check_file(*, actor: User | None, kind: str, data: bytes) -> Checked:
    """Check a file without a job (for scripts and tests): the dry run in one call."""
    spec = kind_get(kind)
    return check_rows(open_table(data, spec), spec, prefix=_actor_prefix(actor))

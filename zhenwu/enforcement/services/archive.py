"""归档: the whole file of a case as one zip, streamed — every document and every piece of evidence in the
order of the procedure, the full-process record (the case's audit chain) and, last, the index.

Order: 立案审批表, 询问笔录, 现场检查笔录, evidence (as filed), 集体讨论记录, 事先告知书, 听证通知书, 行政处罚决定书,
送达回证, 催告书, 强制执行申请书, 结案报告, 全过程记录 (a summary case: its decision form, the evidence, the
record). Each item is hashed while it is written; the index comes last, as ``00-卷内目录.pdf`` (sorted first)
and ``SHA256SUMS`` (``sha256sum -c SHA256SUMS`` checks the unpacked file). Evidence whose stored bytes no longer
match the SHA-256 it was filed under is marked in the index.

Who: after 结案 (closed, dropped; a summary case once filed) every case role that reads the case; before
that only leaders (a file in progress, e.g. for the application to the court), marked as such. Every
download is an entry in the case's audit chain.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhenwu.accounts.choices import Role
from zhenwu.accounts.models import User
from zhenwu.casework.models import AuditEntry, CaseAttachment
from zhenwu.casework.services.audit import audit_record
from zhenwu.enforcement.choices import DocumentKind, Procedure
from zhenwu.enforcement.documents import IndexItem, document_pdf, index_pdf
from zhenwu.enforcement.models import PenaltyCase
from zhenwu.enforcement.services import case_documents as cd
from zhenwu.errors import NotFound
from zhenwu.errors import gettext as lazy_

FINAL_STATES = {Procedure.GENERAL: ("closed", "dropped"), Procedure.SUMMARY: ("filed",)}
CHUNK = 64 * 1024
UNSAFE = re.compile(r'[\x00-\x1f\\/:*?"<>|]+')


@dataclass
class Item:
    title: str
    name: str
    when: datetime.datetime
    chunks: Callable[[], Iterator[bytes]]
    expected_sha: str = ""  # evidence: the SHA-256 it was filed under


def _safe(name: str) -> str:
    return UNSAFE.sub("_", name).strip(" .")[:80] or "file"


def _once(build: Callable[[], bytes]) -> Callable[[], Iterator[bytes]]:
    def chunks() -> Iterator[bytes]:
        yield build()

    return chunks


def _stored(storage_name: str) -> Callable[[], Iterator[bytes]]:
    def chunks() -> Iterator[bytes]:
        with default_storage.open(storage_name, "rb") as fh:
            while block := fh.read(CHUNK):
                yield block

    return chunks


def _documents(row: PenaltyCase) -> list[Item]:
    items: list[Item] = []

    def single(kind: str) -> None:
        doc = row.documents.filter(kind=kind).order_by("-issued_at", "-id").first()
        if doc is not None:
            items.append(Item(str(DocumentKind(kind).label), f"{DocumentKind(kind).label}-{doc.number}.pdf",
                              doc.issued_at, _once(lambda: document_pdf(cd.SINGLE_BUILDERS[kind](row)))))

    def records(kind: str, qs: object) -> None:
        build = cd.RECORD_MODELS[kind][1]
        for record in qs:  # type: ignore[attr-defined]
            items.append(Item(str(DocumentKind(kind).label), f"{DocumentKind(kind).label}-{record.document.number}.pdf",
                              record.document.issued_at, _once(_record_builder(build, row, record))))

    single(DocumentKind.FILING)
    records(DocumentKind.INQUIRY, row.inquiryrecords.select_related("document").order_by("started_at", "id"))
    records(DocumentKind.INSPECTION, row.inspectionrecords.select_related("document").order_by("started_at", "id"))
    items += _evidence(row)
    records(DocumentKind.DISCUSSION, row.discussions.select_related("document").order_by("held_at", "id"))
    single(DocumentKind.NOTICE)
    single(DocumentKind.HEARING)
    records(DocumentKind.HEARING_RECORD, row.hearingrecords.select_related("document").order_by("held_at", "id"))
    for kind in (DocumentKind.DECISION, DocumentKind.SERVICE, DocumentKind.DEMAND, DocumentKind.COURT,
                 DocumentKind.CLOSING):
        single(kind)
    return items


def _record_builder(build: Callable[[PenaltyCase, Any], Any], row: PenaltyCase, record: Any) -> Callable[[], bytes]:
    return lambda: document_pdf(build(row, record))


def _evidence(row: PenaltyCase) -> list[Item]:
    links = CaseAttachment.objects.filter(case=row.case).select_related("attachment").order_by("uploaded_at", "id")
    return [Item(_("Evidence"), f"{_('Evidence')}-{_safe(link.name)}", link.uploaded_at,
                 _stored(link.attachment.storage_name), link.attachment.sha256) for link in links]


def _process_record(row: PenaltyCase) -> bytes:
    entries = AuditEntry.objects.filter(subject=row.case.number).order_by("seq")
    out = [{"seq": e.seq, "at": e.created_at.isoformat(), "action": e.action, "actor": e.actor_name,
            "from": e.from_state, "to": e.to_state, "reason": e.reason, "data": e.data,
            "attachments": e.attachments, "prev_hash": e.prev_hash, "hash": e.hash} for e in entries]
    return json.dumps({"case": row.case.number, "entries": out}, ensure_ascii=False, indent=1).encode()


def archive_items(row: PenaltyCase) -> list[Item]:
    """Every item of the file, in order (the index is made from them as they are written)."""
    if row.procedure == Procedure.SUMMARY:
        from zhenwu.enforcement.services.cases import summary_decision_pdf

        title = _("On-the-spot penalty decision")
        items = [Item(title, f"{title}-{row.decision_number}.pdf", row.case.created_at,
                      _once(lambda: summary_decision_pdf(user=None, row=row)))]  # type: ignore[arg-type]
        items += _evidence(row)
    else:
        items = _documents(row)
    items.append(Item(_("Full-process record"), f"{_('Full-process record')}.json", timezone.now(),
                      _once(lambda: _process_record(row))))
    return items


def archive_final(row: PenaltyCase) -> bool:
    return row.case.status in FINAL_STATES[Procedure(row.procedure)]


@transaction.atomic
def archive_open(*, actor: User, row: PenaltyCase) -> tuple[str, Iterator[bytes]]:
    """(file name, the zip's bytes as they are made) for a reader of ``row`` (already scoped); audited."""
    final = archive_final(row)
    if not final and not actor.has_role(Role.LEADER):
        raise NotFound(lazy_("The case file is archived when the case is closed."), field="archive")
    audit_record(subject=row.case.number, case=row.case, actor=actor, action="archive_download",
                 data={"final": final, "status": row.case.status})
    language = translation.get_language() or "zh-hans"
    return f"{row.case.number}.zip", _stream(row, final=final, language=language)


class _Sink:
    """Where zipfile writes (not seekable: it writes data descriptors); the stream takes what is there."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        out, self.parts = b"".join(self.parts), []
        return out


def _info(name: str, when: datetime.datetime) -> zipfile.ZipInfo:
    local = timezone.localtime(when)
    info = zipfile.ZipInfo(name, date_time=(max(local.year, 1980), local.month, local.day, local.hour,
                                            local.minute, local.second))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _stream(row: PenaltyCase, *, final: bool, language: str) -> Iterator[bytes]:
    with translation.override(language):
        sink = _Sink()
        listed: list[IndexItem] = []
        with zipfile.ZipFile(sink, "w") as archive:
            for n, item in enumerate(archive_items(row), start=1):
                name = f"{n:02d}-{item.name}"
                digest, size = hashlib.sha256(), 0
                with archive.open(_info(name, item.when), "w") as fh:
                    for block in item.chunks():
                        fh.write(block)
                        digest.update(block)
                        size += len(block)
                        yield sink.take()
                sha = digest.hexdigest()
                title = item.title
                if item.expected_sha and item.expected_sha != sha:
                    title += " " + _("(differs from the SHA-256 it was filed under: %(sha)s)") % {
                        "sha": item.expected_sha}
                listed.append(IndexItem(name, title, sha, size))
                yield sink.take()
            note = (_("The complete file after the case was closed.") if final else
                    _("A file in progress (the case is not closed): it may still grow."))
            now = timezone.now()
            index = index_pdf(issuer=cd.issuer(), case_number=row.case.number, decision_number=row.decision_number,
                              party=row.party_name, items=listed, note=note)
            archive.writestr(_info(f"00-{_('Archive index')}.pdf", now), index)
            sums = "".join(f"{i.sha256}  {i.name}\n" for i in listed).encode()
            archive.writestr(_info("SHA256SUMS", now), sums)
        yield sink.take()

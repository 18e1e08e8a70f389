"""听证笔录 as a numbered PDF, added to the case file's record kinds (``case_documents.RECORD_MODELS``) when the app
is ready — so its link on the case page, its API route and its place in the archive are those of every record."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhenwu.enforcement.choices import DocumentKind
from zhenwu.enforcement.documents import Document
from zhenwu.enforcement.models import HearingRecord, PenaltyCase
from zhenwu.enforcement.services import case_documents as cd

PATH = "hearings"  # /api/v1/enforcement/cases/{number}/hearings/{id}.pdf


def hearing_record(row: PenaltyCase, record: HearingRecord) -> Document:
    lines = [*cd._base(row), (_("Time"), cd._local(record.held_at)), (_("Place"), record.place),
             (_("Hearing host"), record.host_name), (_("Participants"), "、".join(record.participants)),
             (_("The investigators' facts, evidence and proposed penalty"), record.investigators_case),
             (_("The party's statements and defence"), record.party_statement),
             (_("Conclusion"), record.conclusion)]
    return Document(cd.issuer(), str(DocumentKind.HEARING_RECORD.label), record.document.number, tuple(lines),
                    (_("Read to the participants, who sign: %(names)s") % {"names": "、".join(record.participants)},
                     _("Hearing host: %(name)s") % {"name": record.host_name}))


def register() -> None:
    """Make the hearing record a record kind of the case file (from ``EnforcementConfig.ready()``)."""
    cd.RECORD_MODELS.setdefault(DocumentKind.HEARING_RECORD, (HearingRecord, hearing_record))
    cd.RECORD_PATHS.setdefault(DocumentKind.HEARING_RECORD, PATH)

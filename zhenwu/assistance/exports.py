"""The needs ledger (需求台账) as xlsx: one row per need of the households the reader may see."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook

from zhenwu.assistance.models import Need
from zhenwu.assistance.selectors import village_names
from zhenwu.sheets import safe_row


def needs_xlsx(needs: Iterable[Need]) -> bytes:
    rows = list(needs)
    villages = village_names(sorted({n.area_code[:12] for n in rows}))
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Needs")))
    sheet.append(safe_row(sheet, [_("Village"), _("Household number"), _("Head of household"), _("Need"),
                                  _("Description"), _("Status"), _("Found on"), _("Resources matched")]))
    for n in rows:
        h = n.file.household
        sheet.append(safe_row(sheet, [
            villages.get(n.area_code[:12], n.area_code[:12]), h.number, h.head.name if h.head else "",
            n.get_kind_display(), n.description, n.get_status_display(), n.found_on.isoformat(),
            "；".join(m.resource.name for m in n.matches.all())]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

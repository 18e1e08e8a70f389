"""The zh-hans catalogue is complete, compiled, and covers every msgid in the code."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.utils.translation.template import templatize

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_it_translates_every_entry():
    po = polib.pofile(str(LOCALE / "django.po"))
    missing = [e.msgid for e in po if e.msgid and not e.translated() and not e.obsolete]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert missing == [] and fuzzy == []


def test_it_ships_a_compiled_catalogue_matching_the_source():
    po = polib.pofile(str(LOCALE / "django.po"))
    with open(LOCALE / "django.mo", "rb") as fh:
        mo = gettext.GNUTranslations(fh)
    def compiled(e: polib.POEntry) -> str:
        return mo.pgettext(e.msgctxt, e.msgid) if e.msgctxt else mo.gettext(e.msgid)

    stale = [e.msgid for e in po if e.msgid and not e.msgid_plural and not e.obsolete and compiled(e) != e.msgstr]
    assert stale == []


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (xgettext) to extract msgids")
def test_it_has_every_msgid_used_in_the_code(tmp_path):
    src = LOCALE.parents[2]
    out = tmp_path / "extracted.pot"
    files = sorted(str(p.relative_to(src)) for p in src.rglob("*.py") if "migrations" not in p.parts)
    for i, tpl in enumerate(sorted(src.rglob("templates/**/*.html"))):
        # The same conversion makemessages applies to templates before xgettext reads them.
        converted = tmp_path / f"tpl_{i}.py"
        converted.write_text(templatize(tpl.read_text(encoding="utf-8")), encoding="utf-8")
        files.append(str(converted))
    subprocess.run(["xgettext", "--language=Python", "--from-code=UTF-8", "--keyword=_", "--keyword=_g",
                    "--keyword=gettext", "--keyword=gettext_lazy", "--keyword=ngettext:1,2", "--keyword=pgettext:1c,2",
                    "--keyword=ngettext_lazy:1,2", "--keyword=pgettext_lazy:1c,2", "-o", str(out), *files],
                   cwd=src, check=True)
    # (context, msgid): pgettext("chart", "Filed") needs its own entry beside a plain "Filed".
    extracted = {(e.msgctxt, e.msgid) for e in polib.pofile(str(out)) if e.msgid}
    known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(LOCALE / "django.po"))}
    assert sorted(extracted - known, key=str) == []

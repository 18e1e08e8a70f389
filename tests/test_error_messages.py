"""Every error message in the code can answer in Chinese and in English (issue 7, defect 7).

``message_en`` was Chinese in casework and services errors because their modules translated eagerly
(``from django.utils.translation import gettext as _`` then ``_("…") % {…}``) in the request's
language. This test reads every module and checks each message passed to FieldError, NotFound,
Conflict and Forbidden: it must come from a translator that can render it again (``gettext_lazy``,
or ``zhenwu.errors.gettext``; ``%`` on a lazy string would make it eager), its msgid must be English,
and the zh-hans catalogue must translate it. The autouse fixture in conftest.py checks, at run time,
every error the whole suite raises.
"""

from __future__ import annotations

import ast
from pathlib import Path

import polib
import pytest
from django.utils import translation

from zhenwu.errors import CJK

SRC = Path(__file__).resolve().parent.parent / "zhenwu"
ERRORS = {"FieldError": 1, "NotFound": 0, "Conflict": 0, "Forbidden": 0}
TRANSLATORS = {
    ("django.utils.translation", "gettext"): "eager", ("django.utils.translation", "ngettext"): "eager",
    ("django.utils.translation", "pgettext"): "eager", ("django.utils.translation", "gettext_lazy"): "lazy",
    ("django.utils.translation", "pgettext_lazy"): "lazy", ("zhenwu.errors", "gettext"): "text",
}


def _modules() -> list[Path]:
    return [p for p in sorted(SRC.rglob("*.py")) if "tests" not in p.parts and "migrations" not in p.parts]


def _translators(tree: ast.Module) -> dict[str, str]:
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                kind = TRANSLATORS.get((node.module, alias.name))
                if kind:
                    names[alias.asname or alias.name] = kind
    return names


def _message(call: ast.Call, position: int) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == "message":
            return kw.value
    return call.args[position] if len(call.args) > position else None


def _messages() -> list[tuple[str, ast.expr, dict[str, str]]]:
    found = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _translators(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ERRORS:
                message = _message(node, ERRORS[node.func.id])
                if message is not None:
                    found.append((f"{path.relative_to(SRC.parent)}:{node.lineno}", message, names))
    return found


MESSAGES = _messages()


def _translator_call(node: ast.expr, names: dict[str, str]) -> tuple[str, str] | None:
    """(kind, msgid) when ``node`` is ``_("literal")`` by a known translator."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names
            and node.args and isinstance(node.args[-1], ast.Constant) and isinstance(node.args[-1].value, str)):
        return names[node.func.id], node.args[-1].value
    return None


def test_it_finds_the_error_messages() -> None:
    assert len(MESSAGES) > 100


@pytest.mark.parametrize("where, node, names", MESSAGES, ids=[m[0] for m in MESSAGES])
def test_every_error_message_can_be_rendered_in_both_languages(where: str, node: ast.expr,
                                                               names: dict[str, str]) -> None:
    formatted = isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod)
    call = _translator_call(node.left if isinstance(node, ast.BinOp) else node, names)
    if call is None:
        return  # a variable or a helper's result: the run-time check in conftest.py judges it
    kind, msgid = call
    assert kind != "eager", f"{where}: an eager gettext is stuck in the request's language; use zhenwu.errors.gettext"
    assert not (kind == "lazy" and formatted), f"{where}: '%' on a lazy string translates it at once"
    assert not CJK.search(msgid), f"{where}: the msgid must be English: {msgid!r}"
    with translation.override("zh-hans"):
        assert CJK.search(translation.gettext(msgid)), f"{where}: no zh-hans translation of {msgid!r}"


def test_the_catalogue_translates_every_error_msgid() -> None:
    po = {e.msgid: e for e in polib.pofile(str(SRC / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))}
    missing = sorted({call[1] for _w, node, names in MESSAGES
                      if (call := _translator_call(node.left if isinstance(node, ast.BinOp) else node, names))
                      and not (call[1] in po and po[call[1]].translated())})
    assert missing == []

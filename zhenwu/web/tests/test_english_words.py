"""The English-word finder of the crawl: words are found, identifiers and allowed terms are not."""

from zhenwu.web.tests.english import english_words, visible_text


def test_it_finds_english_in_text_and_in_shown_attributes() -> None:
    html = '<p>办件 Application filed.</p><span title="green"></span><input type="submit" value="Save">'
    assert english_words(visible_text(html)) == ["Application", "filed", "green", "Save"]


def test_it_ignores_scripts_code_identifiers_addresses_and_allowed_terms() -> None:
    html = ("<script>var x = 'hidden';</script><code>Authorization: Bearer …</code>"
            "<p>SQ-321181102-20261121-0007 photo.png gw_a 王* 导出 xlsx，PDF 通知书 https://example.org/track</p>"
            '<textarea>{"type": "Polygon"}</textarea>')
    assert english_words(visible_text(html)) == []

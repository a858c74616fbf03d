"""The safe Markdown renderer of the source pane: formatting rendered, marks well nested, nothing executable."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from ui.markdown import render_inline, render_markdown

VOID = {"br", "hr", "img"}
POLICY = """# Policy för socialnämndens valfrihetssystem

Socialnämndens valfrihetssystem ska kännetecknas av:

- **Långsiktighet:** Tydliga villkor för etablering.
- **Mångfald:** Det ska finnas *många* olika utförare.

| Nivå | Vem beslutar |
|---|---|
| Strategisk | **Nämnden** |

> Ett citat ur en intervju.
"""


class _Checker(HTMLParser):
    """Records the tags and fails on badly nested ones; collects the text inside <mark>."""

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.marked: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack}"
        self.stack.pop()

    def handle_data(self, data):
        if "mark" in self.stack:
            self.marked.append(data)


def _check(html: str) -> _Checker:
    checker = _Checker()
    checker.feed(html)
    checker.close()
    assert checker.stack == []
    return checker


def test_markdown_is_rendered_not_shown():
    html = render_markdown(POLICY)
    assert "**" not in html and "# Policy" not in html and "|---" not in html
    tags = [t for t, _ in _check(html).tags]
    for tag in ("h4", "ul", "li", "strong", "em", "table", "th", "td", "blockquote"):
        assert tag in tags, tag
    assert "<strong>Långsiktighet:</strong>" in html


@pytest.mark.parametrize(
    ("start_word", "end_word"),
    [
        ("Socialnämndens", "Långsiktighet"),  # from a paragraph into a bold word inside a list item
        ("tighet", "många"),  # from inside bold to inside italics, across items
        ("Strategisk", "Nämnden"),  # across table cells
        ("Policy", "citat"),  # everything, heading to quote
    ],
)
def test_marks_cross_any_formatting_and_stay_well_nested(start_word, end_word):
    start = POLICY.index(start_word)
    end = POLICY.index(end_word) + len(end_word)
    html = render_markdown(POLICY, [(start, end)])
    checker = _check(html)
    marked = "".join(checker.marked)
    assert marked.startswith(start_word) and marked.endswith(end_word)
    marks = [attrs for tag, attrs in checker.tags if tag == "mark"]
    assert sum(1 for a in marks if a.get("id") == "cited-passage") == 1 and marks[0].get("id") == "cited-passage"


def test_document_markup_never_becomes_markup():
    text = (
        '<script>alert(1)</script> <img src=x onerror="alert(2)"> [klicka](javascript:alert(3)) '
        "![bild](http://evil.example/x.png) <a href='javascript:alert(4)'>a</a>\n\n- <b>fet</b>"
    )
    html = render_markdown(text, [(0, 10)])
    tags = _check(html).tags
    assert {t for t, _ in tags} <= {"p", "ul", "li", "mark"}
    assert all(set(attrs) <= {"id", "class"} for _, attrs in tags)  # no href, src or handler on any element
    assert "&lt;script&gt;" in html and "&lt;a href=" in html and "klicka" in html and "[bild: bild]" in html
    assert "evil.example" not in html and "javascript:alert(3)" not in html


def test_private_marker_characters_in_a_document_are_harmless():
    text = "Före \ue000 mitt \ue001 efter."
    html = render_markdown(text, [(5, 10)])
    assert "\ue000" not in html and "\ue001" not in html and html.count("<mark") == 1


def test_inline_quotes_lose_heading_marks_and_emphasis_signs():
    assert (
        render_inline("#### 3 § Om **kommunala** angelägenheter") == "3 § Om <strong>kommunala</strong> angelägenheter"
    )
    assert render_inline("Text <script>") == "Text &lt;script&gt;"


def test_the_answering_sentence_is_bold_inside_the_marked_passage():
    text = "Inledning. Utföraren ska rapportera varje månad. Rapporten går till nämnden. Slut."
    start, end = text.index("Utföraren"), text.index(" Slut")
    key = (start, text.index("månad.") + len("månad."))
    checker = _check(render_markdown(text, [(start, end)], key))
    tags = [t for t, _ in checker.tags]
    assert tags.count("strong") == 1 and "".join(checker.marked).startswith("Utföraren ska")
    html = render_markdown(text, [(start, end)], key)
    assert '<mark class="cited" id="cited-passage"><strong class="key-sentence">Utföraren ska rapportera varje' in html

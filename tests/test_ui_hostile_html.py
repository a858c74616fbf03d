"""Hostile document text through every renderer of the UI: it must arrive as text, not markup.

Each renderer gets `<script>`, `<img onerror>`, a `javascript:` link, Markdown link and image
syntax and a quote that tries to leave an attribute. The output is parsed as a browser would:
no element or attribute that runs code or loads something may appear, and the payload must be
visible as text (escaped, not stripped).
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from assistant.models import Answer, Chunk, Citation, DocumentMeta, Finding, SearchHit, Severity

PAYLOAD = (
    '<script>alert(1)</script> <img src=x onerror=alert(1)> <a href="javascript:alert(1)">klicka</a> '
    '[x](javascript:alert(1)) ![x](http://evil.example/x.png) " onmouseover="alert(1)'
)
# What every rendering must still show (after HTML unescaping) somewhere in its text.
VISIBLE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))"]


class Page(HTMLParser):
    """Elements, attributes and text of an HTML fragment, parsed like a browser tokenises it."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        raise AssertionError(f"a comment in the output: {data!r}")


def assert_inert(markup: str) -> None:
    """No element or attribute that can run script or fetch anything; the payload shows as text."""
    page = Page(markup)
    for tag, attrs in page.tags:
        assert tag not in {"script", "img", "iframe", "object", "embed", "svg", "math", "link", "base", "form"}, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in {"src", "srcset", "action", "formaction", "style"}, (tag, name)
            if name == "href":
                assert (value or "").startswith("#"), (tag, value)
    text = "".join(page.text)
    for visible in VISIBLE:
        assert visible in text, f"{visible!r} was stripped instead of escaped"


def citation(**kw) -> Citation:
    base = dict(
        doc=f"{PAYLOAD}.md",
        title=PAYLOAD,
        quote=PAYLOAD,
        section=PAYLOAD,
        date=PAYLOAD,
        kind=PAYLOAD,
        page=2,
        also_in=[PAYLOAD],
        is_quote_of_person=True,
        repealed=True,
    )
    base.update(kw)
    return Citation.model_construct(**base)


def answer(abstained: bool = False) -> Answer:
    return Answer.model_construct(
        question=PAYLOAD,
        text=f"Svaret [1] {PAYLOAD} [2]",
        abstained=abstained,
        citations=[citation(), citation()],
        nearest=[citation()],
        notes=[PAYLOAD],
        resolved_question=PAYLOAD,
    )


def finding(**kw) -> Finding:
    base = dict(
        rule=PAYLOAD,
        severity=Severity.error,
        quote=PAYLOAD,
        section=PAYLOAD,
        line=3,
        page=1,
        message=PAYLOAD,
        suggestion=PAYLOAD,
        missing=False,
        sources=[citation()],
    )
    base.update(kw)
    return Finding.model_construct(**base)


def meta() -> DocumentMeta:
    return DocumentMeta.model_construct(
        doc=f"{PAYLOAD}.md",
        title=PAYLOAD,
        kind="policy",
        issuer=PAYLOAD,
        date=PAYLOAD,
        status=f"duplicate of {PAYLOAD}",
    )


@pytest.mark.parametrize("abstained", [False, True])
def test_conversation(abstained):
    from ui.render import render_conversation

    assert_inert(render_conversation([answer(abstained)], pending=PAYLOAD))


def test_source_pane_with_the_passage_found_and_not_found():
    from ui.render import render_source

    text = f"Inledning {PAYLOAD}\n\nMitt {PAYLOAD} slut."
    assert_inert(render_source(citation(start=0, end=len(text) // 2), text, [], meta()))
    assert_inert(render_source(citation(start=None, end=None, quote=PAYLOAD), "annan text", [], meta()))
    assert_inert(render_source(citation(start=None, end=None), None, [], None))


def test_status_and_error_boxes():
    from ui.render import render_error, render_status

    assert_inert(render_error(PAYLOAD))
    assert_inert(render_status(f"Rad ett {PAYLOAD}\nRad två", ok=True))
    assert_inert(render_status(PAYLOAD, ok=False))


def test_search_hits_in_the_document_tab():
    from ui.docs_tab import render_hits

    chunk = Chunk(id="c1", doc=f"{PAYLOAD}.md", text=PAYLOAD * 3, start=0, end=10, page_start=1, section=PAYLOAD)
    hit = SearchHit.model_construct(chunk=chunk, meta=meta(), score=1.0, also_in=[])
    assert_inert(render_hits(PAYLOAD, [hit]))
    assert_inert(render_hits(PAYLOAD, []))


@pytest.mark.parametrize("group_by", ["rule", "section"])
def test_findings_summary_and_draft(group_by):
    from ui.render_lint import finding_span, render_draft, render_findings, render_summary

    findings = [finding(), finding(missing=True, quote=None), finding(severity=Severity.info)]
    titles = {PAYLOAD: PAYLOAD}
    assert_inert(render_findings(findings, group_by, titles, [True, False, False]))
    assert_inert(render_summary(findings, f"{PAYLOAD}.md"))
    assert_inert(render_summary([], f"{PAYLOAD}.md"))
    text = f"# {PAYLOAD}\n\n7.2 {PAYLOAD}\n"
    span = finding_span(findings[0], text)
    assert span is not None
    assert_inert(render_draft(text, [(span[0], span[1], 0, Severity.error)]))


def test_html_report():
    from ui.render_lint import report_html

    assert_inert(report_html(f"{PAYLOAD}.md", [finding()], {PAYLOAD: PAYLOAD}, css=""))


def test_markdown_report_renders_to_inert_html():
    """The downloaded .md report opened in a Markdown viewer: no raw HTML, link or image from the text."""
    from markdown_it import MarkdownIt

    from ui.render_lint import report_markdown

    text = report_markdown(f"{PAYLOAD}.md", [finding(), finding(missing=True)], {PAYLOAD: PAYLOAD})
    for renderer in (MarkdownIt("commonmark"), MarkdownIt("gfm-like", {"linkify": False})):
        assert_inert(renderer.render(text))


def test_markdown_escaping_keeps_ordinary_text_readable():
    from markdown_it import MarkdownIt

    from ui.render_lint import md

    plain = "Utföraren ska (enligt 7.2) rapportera – 10 % av ersättningen; se kap. 3 & 4."
    rendered = MarkdownIt("commonmark").render(md(plain))
    assert rendered == f"<p>{plain.replace('&', '&amp;')}</p>\n"

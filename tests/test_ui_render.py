"""HTML rendering of answers, sources and findings: escaping, chips, highlighting."""

from __future__ import annotations

import re

from assistant.models import Answer, Citation, DocumentKind, DocumentMeta, Finding, Severity
from ui.render import context_span, locate, render_answer, render_conversation, render_source
from ui.render_lint import finding_span, render_draft, render_findings, render_summary, report_html, report_markdown

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _tags(html: str) -> set[str]:
    return {t.lower() for t in re.findall(r"<\s*([a-zA-Z][a-zA-Z0-9]*)", html)}


def _citation(**kw) -> Citation:
    base = dict(
        doc="policy.txt", title="Policy för valfrihet", quote="Utföraren ska rapportera.", kind=DocumentKind.policy
    )
    base.update(kw)
    return Citation(**base)


def test_answer_markers_become_chips_and_text_is_escaped():
    answer = Answer(
        question=EVIL,
        text=f"Utföraren ska rapportera varje månad [1]. {EVIL} Se också [2] och [7].",
        abstained=False,
        citations=[_citation(title=EVIL), _citation(doc="b.txt", title="B", page=3, section="2 kap. 5 §")],
        notes=[EVIL],
    )
    html = render_conversation([answer])
    assert "script" not in _tags(html) and "img" not in _tags(html)
    assert "&lt;script&gt;" in html
    chips = re.findall(r'<button type="button" class="cite-chip" data-turn="0" data-group="c" data-n="(\d)"', html)
    # [1] and [2] in the text and in the source list; [7] has no citation and stays plain text.
    assert chips.count("1") == 2 and chips.count("2") == 2 and "7" not in chips
    assert "[7]" in html
    assert "s. 3, 2 kap. 5 §" in html


def test_abstention_looks_different_and_lists_nearest_passages_as_chips():
    answer = Answer(
        question="Vad kostar en kaffe?", text="Jag hittar inget stöd.", abstained=True, nearest=[_citation()]
    )
    html = render_answer(answer, 4)
    assert 'class="answer abstained"' in html
    assert "Inget säkert svar" in html
    assert 'data-turn="4" data-group="n" data-n="1"' in html


def test_quote_of_person_and_repealed_are_flagged():
    html = render_answer(
        Answer(
            question="q", text="x [1]", abstained=False, citations=[_citation(is_quote_of_person=True, repealed=True)]
        ),
        0,
    )
    assert "Citat – en åsikt, inte en regel" in html and "Upphävd" in html


def test_source_pane_highlights_the_cited_span_in_context_and_escapes_the_document():
    text = "Inledning.\n\n" + EVIL + " Före. Utföraren ska rapportera. Efter " + EVIL + "\n\nSlut."
    start = text.index("Utföraren")
    c = _citation(start=start, end=start + len("Utföraren ska rapportera."), page=None, date="2020-01-01")
    meta = DocumentMeta(doc="policy.txt", title="Policy", kind=DocumentKind.policy, issuer="Täby kommun")
    html = render_source(c, text, [], meta)
    assert '<mark class="cited" id="cited-passage">Utföraren ska rapportera.</mark>' in html
    assert "script" not in _tags(html) and "img" not in _tags(html)
    assert "&lt;script&gt;" in html
    assert "Täby kommun" in html and "2020-01-01" in html and "Policy" in html


def test_source_pane_shows_the_page_for_paged_documents():
    text = "Sida ett.\f" + "Sida två har passagen här.\f" + "Sida tre."
    starts = [0, 10, 37]
    start = text.index("passagen")
    c = _citation(start=start, end=start + 8, page=2)
    lo, hi = context_span(text, start, start + 8, starts, 2)
    assert text[lo:hi].startswith("Sida två") and "Sida tre" not in text[lo:hi]
    assert "<dt>Sida</dt><dd>2</dd>" in render_source(c, text, starts)


def test_locate_falls_back_to_the_quote_when_offsets_are_stale():
    text = "Alfa beta.\nUtföraren   ska\nrapportera. Gamma."
    c = _citation(start=999, end=1005, quote="Utföraren ska rapportera.")
    span = locate(c, text)
    assert span is not None and text[span[0] : span[1]].startswith("Utföraren")
    assert locate(_citation(quote="finns inte alls här"), text) is None
    # Unlocatable: the quote itself is shown, still escaped.
    html = render_source(_citation(quote=EVIL), "annan text", [])
    assert "script" not in _tags(html)


def _finding(**kw) -> Finding:
    base = dict(
        rule="konkurrensneutralitet",
        severity=Severity.error,
        quote="Kommunens egen regi omfattas inte av vite.",
        section="7.2",
        line=12,
        message="Egen regi undantas.",
        suggestion="Låt kravet gälla alla utförare.",
        sources=[_citation(quote="ska så långt det är möjligt omfatta samtliga utförare")],
    )
    base.update(kw)
    return Finding(**base)


def test_findings_grouped_by_rule_and_by_section_with_severity():
    findings = [
        _finding(),
        _finding(rule="modalitet", severity=Severity.warning, quote="Utföraren bör ha rutiner.", section="3.1"),
        _finding(rule="insyn", severity=Severity.info, quote=None, missing=True, section=None),
    ]
    titles = {"konkurrensneutralitet": "Konkurrensneutralitet", "modalitet": "Ska-krav", "insyn": "Insyn"}
    by_rule = render_findings(findings, "rule", titles, [True, False, False])
    assert by_rule.index("Konkurrensneutralitet") < by_rule.index("Ska-krav") < by_rule.index("Insyn")
    assert 'class="sev sev-error">Fel<' in by_rule and 'class="sev sev-warning">Varning<' in by_rule
    assert 'href="#utkast-f0"' in by_rule and 'href="#utkast-f1"' not in by_rule
    assert "Saknas i utkastet" in by_rule and "samtliga utförare" in by_rule and "Låt kravet gälla" in by_rule
    by_section = render_findings(findings, "section", titles)
    assert "Avsnitt 7.2" in by_section and "Avsnitt 3.1" in by_section and "Hela dokumentet" in by_section
    assert "3 fynd" in render_summary(findings, "utkast.md")


def test_draft_highlights_are_escaped_and_do_not_overlap():
    text = f"# Rubrik {EVIL}\nKommunens egen regi omfattas inte av vite. Mer text."
    f = _finding()
    span = finding_span(f, text)
    assert span and text[span[0] : span[1]] == f.quote
    html = render_draft(text, [(span[0], span[1], 0, Severity.error), (span[0] + 3, span[1], 1, Severity.info)])
    assert html.count("<mark") == 1 and 'id="utkast-f0"' in html
    assert "script" not in _tags(html) and "img" not in _tags(html)


def test_finding_span_tolerates_markup_and_line_breaks():
    text = "**7.2** Kommunens egen regi\nomfattas *inte* av vite."
    span = finding_span(_finding(), text)
    assert span is not None and text[span[0] : span[1]].startswith("Kommunens")


def test_reports_escape_and_carry_every_finding():
    findings = [_finding(message=EVIL)]
    html = report_html("utkast.md", findings, {})
    assert "script" not in _tags(html)
    assert "Förslag" in report_markdown("utkast.md", findings, {})


def test_the_answering_sentence_is_bold_inside_its_cited_context():
    from assistant.models import Citation
    from ui.render import render_source

    text = "Inledning.\n\nUtföraren ska rapportera avvikelser. Rapporten <b>lämnas</b> varje månad. Slut."
    quote = "Utföraren ska rapportera avvikelser. Rapporten <b>lämnas</b> varje månad."
    start = text.index(quote)
    key = text.index("Rapporten")
    c = Citation(
        doc="a.md",
        title="A",
        quote=quote,
        start=start,
        end=start + len(quote),
        key_start=key,
        key_end=start + len(quote),
    )
    html = render_source(c, text)
    assert '<strong class="key-sentence">Rapporten &lt;b&gt;lämnas&lt;/b&gt; varje månad.</strong>' in html
    cited = html[html.index('id="cited-passage"') :]
    assert cited.index("Utföraren ska rapportera avvikelser.") < cited.index('<strong class="key-sentence">')
    plain = render_source(c.model_copy(update={"key_start": None, "key_end": None}), text)
    assert "key-sentence" not in plain


def test_source_pane_renders_markdown_in_its_section_and_can_show_the_whole_document():
    text = (
        "# Policy\n\nInledning.\n\n## Principer\n\nValfrihetssystemet ska kännetecknas av:\n\n"
        "- **Långsiktighet:** Tydliga villkor.\n- **Mångfald:** Många utförare.\n\n## Uppföljning\n\nSlut."
    )
    start = text.index("Valfrihetssystemet")
    end = text.index("Tydliga villkor.") + len("Tydliga villkor.")
    c = _citation(start=start, end=end, quote=text[start:end])
    section = render_source(c, text, [])
    assert "**" not in section and "<strong>" in section and 'id="cited-passage"' in section
    assert "Principer" in section and "Inledning" not in section and "Slut" not in section  # its section only
    whole = render_source(c, text, [], whole=True)
    assert 'data-view="whole"' in whole and "Inledning" in whole and "Slut" in whole
    assert whole.count('id="cited-passage"') == 1


def test_source_pane_shows_the_pdf_page_with_the_passage_boxed():
    from assistant.page_image import PageImage

    image = PageImage(
        page=2, pages=3, png=b"\x89PNG", width=900, height=1270, boxes=[(0.1, 0.2, 0.6, 0.22)], located_by="text"
    )
    text = "Sida ett.\fSida två med passagen här.\fSida tre."
    start = text.index("passagen")
    # The chunk began on page 1; the pane shows the page the passage is on.
    c = _citation(title=EVIL, start=start, end=start + 8, page=1, quote="passagen")
    html = render_source(c, text, [0, 10, 38], page_image=image)
    assert 'class="pdf-page"' in html and html.count('class="pdf-mark"') == 1
    assert "left:10.00%;top:20.00%;width:50.00%;height:2.00%" in html
    assert 'src="data:image/png;base64,' in html and "Sida 2 av 3" in html
    assert "<dt>Sida</dt><dd>2</dd>" in html
    assert "&lt;script&gt;" in html and "<script>" not in html  # the title in the image's alt text is escaped


def test_intro_html_escapes_what_comes_from_documents():
    from assistant.intro.models import IntroData, RoleStatement, SourceType
    from assistant.intro.relations import build_map
    from ui.render_intro import render_actors, render_decisions, render_glossary, render_mandate, render_map

    role = RoleStatement(
        actor="namnd",
        actor_label="Nämnden",
        modality="skyldighet",
        text=f"Nämnden ska följa upp alla utförare {EVIL}.",
        source_type=SourceType.policy,
        sources=[_citation(title=EVIL, quote=f"**Nämnden** ska {EVIL}")],
    )
    data = IntroData(key="k", roles=[role], map=build_map([role]))
    for render in (render_map, render_actors, render_mandate, render_decisions, render_glossary):
        html = render(data)
        assert "script" not in _tags(html), render.__name__
    actors = render_actors(data)
    assert 'id="map-node-namnd"' in actors and 'id="map-edge-namnd-utforare"' in actors
    assert "**" not in actors and "<strong>Nämnden</strong>" in actors
    assert 'href="#map-node-namnd"' in render_map(data) and 'download="styrdok-karta.svg"' in render_map(data)

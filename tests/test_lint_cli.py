"""`styrdok lint` through click's runner: JSON shape, exit codes, sources, reports, DOCX comments, user rules."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

import assistant.lint.cli as lint_cli
from assistant.lint.cli import eval_lint_command, lint_command
from assistant.lint.convert import markdown_to_docx
from assistant.lint.draft import read_draft
from assistant.lint.engine import SourceFinder, lint_draft
from assistant.lint.rules import load_rules
from assistant.models import Chunk, DocumentKind, DocumentMeta, SearchHit

DATA = Path(__file__).resolve().parent / "data" / "lint"
FAULTY = DATA / "ff_syntetisk_brister.md"
CLEAN = DATA / "ff_syntetisk_nara.md"
TABY = "003_c73df01d320b46e8.txt"
TABY_PATH = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds" / TABY

# Verbatim passages of the Täby policy (seeds/003), as the index would hold them.
TABY_CHUNKS = [
    "I egenskap av beställare fastställer socialnämnden\n\n- krav för att bli godkänd som utförare\n"
    "- krav på tjänstens utförare\n- ersättningsnivåer\n- åtgärder vid kvalitetsbrister i uppdragets utförande\n\n"
    "Dessa krav och villkor ska så långt det är möjligt omfatta samtliga utförare, även kommunens egen regi.",
    "Krav och villkor som utformas i förfrågningsunderlag, avtal och uppdragsbeskrivningar ska präglas av\n\n"
    "- Enkelhet (tydliga och självständiga)\n- Ändamålsenlighet (relevanta, tillräckligt ambitiösa)\n"
    "- Förpliktelse (uppföljningsbara, realistiska)",
    "- **Långsiktighet:** Tydliga villkor för etablering och uppdrag. Förändringar av villkor med god framförhållning",
    "Inom ramen för socialnämndens avtalsförvaltning ska samtliga avtal följas upp regelbundet i linje med vad som "
    "uttrycks i kommunfullmäktiges program⁴ för uppföljning samt socialnämndens uppföljningsplan.",
]


class FakeSearcher:
    """Word-overlap search over a few real Täby sentences; counts its calls."""

    def __init__(self):
        self.calls: list[str] = []
        meta = DocumentMeta(doc=TABY, title="Policy för socialnämndens valfrihetssystem", kind=DocumentKind.policy)
        self.hits = [
            SearchHit(
                chunk=Chunk(
                    id=f"c{i}", doc=TABY, text=text, start=i * 1000, end=i * 1000 + len(text), section="Policy"
                ),
                meta=meta,
                score=0.0,
            )
            for i, text in enumerate(TABY_CHUNKS)
        ]

    def search(self, query, k=10, kinds=None, docs=None):
        self.calls.append(query)
        if kinds and DocumentKind.policy not in [DocumentKind(x) for x in kinds]:
            return []
        words = set(re.findall(r"\w{4,}", query.lower()))
        scored = [(len(words & set(re.findall(r"\w{4,}", h.chunk.text.lower()))), h) for h in self.hits]
        return [h.model_copy(update={"score": float(s)}) for s, h in sorted(scored, key=lambda x: -x[0]) if s][:k]


@pytest.fixture()
def fake(monkeypatch):
    searcher = FakeSearcher()
    monkeypatch.setattr(lint_cli, "_open_searcher", lambda index_dir: searcher)
    return searcher


def run(*args):
    return CliRunner().invoke(lint_command, [str(a) for a in args])


def test_fake_passages_are_verbatim_from_the_policy():
    if not TABY_PATH.exists():
        pytest.skip("shared corpus not available")
    text = TABY_PATH.read_text(encoding="utf-8")
    assert all(chunk in text for chunk in TABY_CHUNKS)


def test_json_shape_and_sources(fake):
    result = run(FAULTY, "--json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    [entry] = data["drafts"]
    assert entry["draft"] == FAULTY.name
    # The contract's keys, exactly; "also" (the other places of a grouped finding) is an added key.
    keys = {"rule", "severity", "quote", "missing", "section", "page", "line", "message", "suggestion", "sources"}
    assert entry["classification"]["kind"] == "lov" and "valfrihetssystem" in entry["classification"]["reason"]
    assert set(entry["classification"]) == {"kind", "label", "reason", "welfare"}
    for finding in entry["findings"]:
        assert set(finding) == keys | {"also"}
        assert isinstance(finding["also"], list)
        assert finding["severity"] in ("error", "warning", "info")
        assert isinstance(finding["missing"], bool)
        assert (finding["quote"] is None) == finding["missing"]
        for source in finding["sources"]:
            assert set(source) == {"doc", "title", "page", "section", "quote"}
    neutral = next(f for f in entry["findings"] if f["rule"] == "konkurrensneutralitet")
    assert neutral["sources"][0]["doc"] == TABY
    principle = "så långt det är möjligt omfatta samtliga utförare, även kommunens egen regi"
    assert principle in neutral["sources"][0]["quote"]
    for finding in entry["findings"]:
        for source in finding["sources"]:
            assert any(source["quote"] in chunk for chunk in TABY_CHUNKS)


def test_each_source_is_looked_up_once_per_run():
    searcher = FakeSearcher()
    finder = SourceFinder(searcher)
    rules = load_rules()
    first = lint_draft(read_draft(FAULTY), rules, finder)
    calls = len(searcher.calls)
    assert calls > 0
    second = lint_draft(read_draft(FAULTY), rules, finder)
    assert len(searcher.calls) == calls
    assert [f.sources for f in first] == [f.sources for f in second]


def test_exit_code_zero_without_errors(fake):
    result = run(CLEAN)
    assert result.exit_code == 0, result.output
    assert "inga fynd" in result.stdout


def test_unreadable_draft_does_not_stop_the_others(fake, tmp_path):
    result = run(tmp_path / "finns_inte.pdf", FAULTY, "--json")
    assert result.exit_code == 2
    assert "finns_inte.pdf" in result.stderr and "finns inte" in result.stderr
    drafts = json.loads(result.stdout)["drafts"]
    assert [d["draft"] for d in drafts] == ["finns_inte.pdf", FAULTY.name]
    assert drafts[1]["findings"]


def test_unsupported_and_corrupt_files_exit_2(fake, tmp_path):
    odd = tmp_path / "utkast.odt"
    odd.write_text("x")
    broken = tmp_path / "trasig.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    result = run(odd, broken)
    assert result.exit_code == 2
    assert "utkast.odt" in result.stderr and "trasig.pdf" in result.stderr


def test_bad_rule_file_exits_2_with_line(fake, tmp_path):
    (tmp_path / "trasig.yaml").write_text("id: x\ntitle: [oavslutad\n", encoding="utf-8")
    result = run(FAULTY, "--rules", tmp_path)
    assert result.exit_code == 2
    assert "trasig.yaml, rad" in result.stderr


def test_user_rule_from_folder(fake, tmp_path):
    rules = tmp_path / "regler"
    rules.mkdir()
    shutil.copy(DATA / "user_rules" / "tolk.yaml", rules / "tolk.yaml")
    draft = tmp_path / "utkast.md"
    draft.write_text("# Utkast\n\n## 1 Krav\n\n1.1 Samtal sker utan tolk.\n", encoding="utf-8")
    result = run(draft, "--rules", rules, "--json")
    findings = json.loads(result.stdout)["drafts"][0]["findings"]
    assert [(f["section"], f["severity"]) for f in findings if f["rule"] == "tolk"] == [("1.1", "error")]
    assert result.exit_code == 1


def test_no_index_warns_once_and_lints_without_sources(tmp_path):
    result = run(FAULTY, "--index", tmp_path / "inget_index", "--json")
    assert result.exit_code == 1
    assert result.stderr.count("Varning") == 1 and "källhänvisningar" in result.stderr
    findings = json.loads(result.stdout)["drafts"][0]["findings"]
    assert findings and all(f["sources"] == [] for f in findings)


def test_terminal_report_shows_kind_and_ranks_by_severity(fake):
    result = run(FAULTY)
    out = result.stdout
    assert "Dokumentslag: LOV-förfrågningsunderlag (valfrihetssystem)" in out
    severities = re.findall(r"^  \d+\. (FEL|VARNING|INFO) ", out, flags=re.M)
    assert severities and severities == sorted(severities, key=["FEL", "VARNING", "INFO"].index)
    assert "punkt 3.1, rad" in out and "– 3 Krav på tjänsten" in out  # where, with the heading above it
    assert "Förslag:" in out and "Källa:" in out


def test_markdown_and_html_reports(fake, tmp_path):
    result = run(FAULTY, "--format", "html", "--report", tmp_path / "rapport.html")
    page = (tmp_path / "rapport.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "konkurrensneutralitet" in page and "&lt;" not in page[:50]
    assert "Dokumentslag: LOV-förfrågningsunderlag" in page and "Viktigast först" in page
    result = run(FAULTY, "--format", "md")
    assert result.stdout.startswith("# Granskning") and "### Viktigast först" in result.stdout
    assert "Dokumentslag: LOV-förfrågningsunderlag" in result.stdout


def test_kind_option_overrides_the_classification(fake, tmp_path):
    """A LOV draft linted as a call-off from a framework agreement: no LOV or welfare rules run."""
    as_lov = {f["rule"] for f in json.loads(run(CLEAN, "--json").stdout)["drafts"][0]["findings"]}
    draft = tmp_path / "utkast.md"
    draft.write_text(
        "# Förfrågningsunderlag – Valfrihetssystem för ledsagarservice enligt LOV\n\n## 1 Krav\n\n"
        "1.1 Utföraren ska utföra insatserna enligt biståndsbeslutet.\n",
        encoding="utf-8",
    )
    lov = json.loads(run(draft, "--json").stdout)["drafts"][0]
    assert lov["classification"]["kind"] == "lov"
    assert {"insyn", "ickevalsalternativ", "sanktioner"} <= {f["rule"] for f in lov["findings"]}
    avrop = json.loads(run(draft, "--json", "--kind", "avrop").stdout)["drafts"][0]
    assert avrop["classification"] == {
        "kind": "avrop",
        "label": "Avrop från ramavtal (förnyad konkurrensutsättning)",
        "reason": "angivet med --kind",
        "welfare": False,
    }
    assert not {f["rule"] for f in avrop["findings"]} & {"insyn", "ickevalsalternativ", "lov_innehall", "ersattning"}
    assert not as_lov & {"insyn", "ickevalsalternativ"}  # the clean LOV draft has both sections


def test_unknown_kind_exits_2_and_lists_the_kinds(fake):
    result = run(FAULTY, "--kind", "vårdval")
    assert result.exit_code == 2
    assert "Okänt dokumentslag 'vårdval'" in result.stderr and "avrop" in result.stderr and "okand" in result.stderr


def test_docx_comments_on_the_clauses(fake, tmp_path):
    source = markdown_to_docx(FAULTY.read_text(encoding="utf-8"), tmp_path / "utkast.docx")
    out = tmp_path / "kommenterad.docx"
    result = run(source, "--json", "--docx-comments", out)
    findings = json.loads(result.stdout)["drafts"][0]["findings"]
    document = docx.Document(str(out))
    comments = list(document.comments)
    assert len(comments) == len(findings)
    assert any("[konkurrensneutralitet]" in c.text for c in comments)
    xml = document.element.xml
    anchored = re.findall(r'<w:commentRangeStart w:id="(\d+)"/>(.*?)<w:commentRangeEnd w:id="\1"/>', xml, re.S)
    texts = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", body)) for _, body in anchored]
    assert "Leverantören bör ha minst tre års erfarenhet av ledsagarservice." in texts


def test_docx_comments_for_a_markdown_draft(fake, tmp_path):
    out = tmp_path / "kommenterad.docx"
    result = run(FAULTY, "--docx-comments", out)
    assert "DOCX-version" in result.stderr
    assert len(list(docx.Document(str(out)).comments)) > 5


def test_eval_command_prints_precision_and_recall(tmp_path):
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    for name in ("ff_syntetisk_brister.md", "ff_syntetisk_nara.md", "ff_syntetisk_saknas.md"):
        shutil.copy(DATA / name, drafts / name)
    args = ["--labels", str(DATA / "labels.jsonl"), "--drafts", str(drafts), "--json"]
    result = CliRunner().invoke(eval_lint_command, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["overall"]["precision"] >= 0.9 and data["overall"]["recall"] >= 0.9
    assert data["clean_false_positives"] == {"ff_syntetisk_nara.md": 0}


def test_markdown_report_shows_document_markup_as_text():
    """A downloaded Markdown report must not run HTML or links that came from the draft or a policy."""
    from assistant.lint.report import DraftResult, render_markdown
    from assistant.models import Citation, Finding, Severity

    payload = '<img src=x onerror="alert(1)"> [klicka](javascript:alert(1)) ![x](http://evil.example/x.png)'
    finding = Finding(
        rule="konkurrensneutralitet",
        severity=Severity.error,
        quote=f"Leverantören ska {payload}",
        section="3 Krav",
        message="Kravet gynnar egen regi.",
        suggestion="Stryk kravet.",
        sources=[Citation(doc="<script>.md", title=f"Policy {payload}", quote=payload)],
    )
    report = render_markdown([DraftResult(draft="<b>utkast</b>.md", findings=[finding], groups=["3 Krav"])])
    import markdown_it

    page = markdown_it.MarkdownIt("commonmark").render(report)
    assert "<img" not in page and "<script" not in page and "<b>" not in page
    assert "<a " not in page and "href=" not in page
    assert "onerror" in page and "javascript:alert(1)" in page  # still visible, as text

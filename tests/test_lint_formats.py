"""The same findings (rule and clause) whether a draft is Markdown, PDF or DOCX; and the dev-set scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.lint.convert import markdown_to_docx, markdown_to_pdf
from assistant.lint.draft import read_draft
from assistant.lint.engine import lint_draft
from assistant.lint.evaluate import evaluate
from assistant.lint.rules import load_rules
from assistant.text import normalize

DATA = Path(__file__).resolve().parent / "data" / "lint"
EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
DEV_DRAFTS = sorted((EVAL / "drafts").glob("*.md")) if (EVAL / "drafts").is_dir() else []
OWN_DRAFTS = sorted(DATA.glob("*.md")) + sorted((DATA / "slag").glob("*.md"))
RULES = load_rules()


def signature(path: Path) -> set[tuple]:
    """(rule, clause text or 'saknas') of every finding, and the kind of document: what must not change
    with the format."""
    draft = read_draft(path)
    findings = lint_draft(draft, RULES)
    kind = {("dokumentslag", draft.classification.kind, None)}
    return kind | {(f.rule, normalize(f.quote) if f.quote else "saknas", f.section) for f in findings}


@pytest.mark.parametrize("source", DEV_DRAFTS + OWN_DRAFTS, ids=lambda p: p.stem)
def test_same_findings_as_markdown_pdf_and_docx(source, tmp_path):
    text = source.read_text(encoding="utf-8")
    pdf = markdown_to_pdf(text, tmp_path / f"{source.stem}.pdf")
    doc = markdown_to_docx(text, tmp_path / f"{source.stem}.docx")
    expected = signature(source)
    assert signature(pdf) == expected
    assert signature(doc) == expected


def test_pdf_findings_have_pages_and_lines(tmp_path):
    source = DATA / "ff_syntetisk_brister.md"
    pdf = markdown_to_pdf(source.read_text(encoding="utf-8"), tmp_path / "utkast.pdf", repeat=2)
    findings = [f for f in lint_draft(read_draft(pdf), RULES) if not f.missing]
    assert findings and all(f.page is not None and f.line is not None for f in findings)
    assert max(f.page for f in findings) >= 2


@pytest.mark.skipif(not (EVAL / "lint_dev.jsonl").exists(), reason="shared eval set not available")
def test_dev_set_precision_and_recall():
    report = evaluate(EVAL / "lint_dev.jsonl", EVAL / "drafts", RULES)
    assert report.overall.recall >= 0.9 and report.overall.precision >= 0.9, report.to_dict()
    assert report.clean_false_positives == {"ff_daglig_verksamhet_lindvik.md": 0}
    for score in report.rules:
        assert score.recall in (None, 1.0) or score.recall >= 0.5, score


def test_own_labelled_drafts():
    report = evaluate(DATA / "labels.jsonl", DATA, RULES)
    assert report.overall.recall >= 0.9 and report.overall.precision >= 0.9, report.to_dict()
    assert report.clean_false_positives == {"ff_syntetisk_nara.md": 0}

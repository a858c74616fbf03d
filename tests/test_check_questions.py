"""eval/check_questions.py finds a question's evidence by file name in the corpus or by path in the library."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))

from check_questions import Corpus, check_line  # noqa: E402


def test_library_evidence_is_found_by_its_path_where_the_name_recurs(tmp_path):
    corpus, library = tmp_path / "corpus", tmp_path / "library"
    (corpus / "lag").mkdir(parents=True)
    (corpus / "lag" / "lov.md").write_text("Den enskilde ska kunna välja utförare av hemtjänst.\n", encoding="utf-8")
    for unit, rule in (("Hemtjänst", "två"), ("Gruppbostad", "tre")):
        (library / unit).mkdir(parents=True)
        (library / unit / "Nycklar.md").write_text(
            f"Nyckeln kvitteras av {rule} personal vid varje byte.\n", encoding="utf-8"
        )
    docs = Corpus(corpus, library)
    question = {
        "question": "Hur många kvitterar nyckeln?",
        "type": "fakta",
        "answer_keys": ["två personal"],
        "evidence": [
            {"doc": "Hemtjänst/Nycklar.md", "quote": "Nyckeln kvitteras av två personal vid varje byte."},
            {"doc": "lov.md", "quote": "Den enskilde ska kunna välja utförare av hemtjänst."},
        ],
    }
    assert check_line(question, docs) == []
    # The same name in two folders is ambiguous without its folder; a quote from the other copy is not there.
    question["evidence"] = [{"doc": "Nycklar.md", "quote": "Nyckeln kvitteras av två personal vid varje byte."}]
    assert any("flera filer med samma namn" in p for p in check_line(question, docs))
    question["evidence"] = [
        {"doc": "Gruppbostad/Nycklar.md", "quote": "Nyckeln kvitteras av två personal vid varje byte."}
    ]
    assert any("quote finns inte i dokumentet" in p for p in check_line(question, docs))

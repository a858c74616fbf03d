"""The answer metrics of eval/README.md on hand-made answers."""

from __future__ import annotations

from assistant.answering.evaluate import QAItem, _figures, score_answer
from assistant.models import Answer, Citation

ITEM = QAItem.model_validate(
    {
        "id": "x",
        "question": "Vem?",
        "type": "roll",
        "answer_keys": ["beställare", "utförare"],
        "evidence": [{"doc": "002.txt", "quote": "Beställare bestämmer värdet på tjänsten"}],
    }
)


def _answer(text: str, citations: list[Citation], abstained: bool = False) -> Answer:
    return Answer(question="Vem?", text=text, abstained=abstained, citations=citations)


def test_key_recall_and_citation_precision():
    good = Citation(doc="002.txt", title="T", quote="Beställare bestämmer värdet på tjänsten", chunk_id="c1")
    other = Citation(doc="003.txt", title="T", quote="Något annat", chunk_id="c2")
    res = score_answer(
        ITEM,
        _answer("Beställare [1] och annat [2].", [good, other]),
        {"c1": "x Beställare bestämmer värdet på tjänsten, y"},
        {},
    )
    assert res.key_recall == 0.5 and res.missing_keys == ["utförare"]
    assert (res.citations, res.correct_citations, res.strict_citations) == (2, 1, 1)


def test_near_duplicate_doc_counts_as_the_gold_doc():
    dup = Citation(doc="004.txt", title="T", quote="Beställare bestämmer\nvärdet på tjänsten", chunk_id="c")
    res = score_answer(ITEM, _answer("Beställare, utförare [1].", [dup]), {}, {"004.txt": {"002.txt"}})
    assert res.correct_citations == 1


def test_abstention_figures():
    unans = QAItem(id="u", question="?", type="ej_besvarbar")
    results = [
        score_answer(unans, _answer("Jag hittar inget stöd.", [], abstained=True), {}, {}),
        score_answer(ITEM, _answer("Jag hittar inget stöd.", [], abstained=True), {}, {}),
    ]
    f = _figures(results)
    assert f.unanswerable_abstained == 1.0
    assert f.wrongly_abstained == 1.0
    assert f.answer_key_recall == 0.0


def test_the_first_sentence_is_scored_by_the_part_of_the_quote_that_answers():
    """A quote may hold the answer only in its context (the sentence before the one that answers): citation
    precision counts it, the first-sentence precision does not."""
    context = "Beställare bestämmer värdet på tjänsten. "
    key = "Avgiften betalas varje månad."
    quote = context + key

    def cited(key_start: int | None) -> Citation:
        return Citation(
            doc="002.txt",
            title="T",
            quote=quote,
            chunk_id="c",
            start=100,
            end=100 + len(quote),
            key_start=key_start,
            key_end=100 + len(quote) if key_start is not None else None,
        )

    off = score_answer(ITEM, _answer("Avgiften betalas [1].", [cited(100 + len(context))]), {"c": quote}, {})
    on = score_answer(ITEM, _answer("Beställare ... [1].", [cited(None)]), {"c": quote}, {})
    assert (off.strict_citations, off.lead_correct) == (1, False)
    assert (on.strict_citations, on.lead_correct) == (1, True)
    assert _figures([off, on]).lead_precision == 0.5
    abstained = score_answer(ITEM, _answer("Jag hittar inget stöd.", [], abstained=True), {}, {})
    assert abstained.lead_correct is None and _figures([abstained]).lead_precision is None

"""Answer metrics as defined in eval/README.md: answer-key recall, citation precision, abstention.

Citation precision counts a citation as right when the cited passage contains a gold quote
of a gold document (or of a near-duplicate of one); the strict variant also asks the quoted
text itself to overlap a gold quote.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from difflib import SequenceMatcher
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.answering.service import Answerer
from assistant.evaluation import same_document
from assistant.models import Answer, Citation
from assistant.text import normalize


class Evidence(BaseModel):
    doc: str
    quote: str


class QAItem(BaseModel):
    id: str
    question: str
    type: str = "fakta"
    style: str | None = None
    conversation: str | None = None
    answer_keys: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)

    @property
    def answerable(self) -> bool:
        return self.type != "ej_besvarbar"


class QuestionResult(BaseModel):
    id: str
    type: str
    style: str | None = None
    turn: int = Field(default=0, description="0 for a first question, 1 for the next turn of a conversation, ...")
    in_conversation: bool = False
    question: str
    answer: str
    abstained: bool
    key_recall: float | None = Field(default=None, description="Answerable questions only.")
    missing_keys: list[str] = Field(default_factory=list)
    citations: int = 0
    correct_citations: int = 0
    strict_citations: int = 0
    lead_correct: bool | None = Field(
        default=None, description="Answered, answerable: the first citation's answering sentence holds gold text."
    )
    seconds: float = 0.0


class Figures(BaseModel):
    questions: int = 0
    answer_key_recall: float | None = None
    citation_precision: float | None = None
    citation_precision_strict: float | None = None
    unanswerable_abstained: float | None = Field(
        default=None, description="Share of ej_besvarbar abstained with no citation."
    )
    wrongly_abstained: float | None = Field(default=None, description="Share of answerable questions abstained.")
    lead_precision: float | None = Field(
        default=None,
        description="Share of answered answerable questions whose first citation's key passage (the sentence, "
        "list or item that answers, without the context quoted around it) overlaps a gold quote: what a "
        "reader who stops after the first sentence is told.",
    )


class AnswerReport(BaseModel):
    overall: Figures
    by_type: dict[str, Figures]
    by_style: dict[str, Figures] = Field(default_factory=dict)
    by_turn: dict[str, Figures] = Field(default_factory=dict)
    results: list[QuestionResult]
    latency_p50: float
    latency_p95: float


def load_questions(path: Path) -> list[QAItem]:
    items = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            items.append(QAItem.model_validate(json.loads(line)))
    return items


def _key_text(c: Citation) -> str:
    """The part of a citation's quote that answers (key_start:key_end), or the whole quote."""
    if c.key_start is None or c.key_end is None or c.start is None:
        return c.quote
    return c.quote[c.key_start - c.start : c.key_end - c.start] or c.quote


def _citation_correct(
    c: Citation, passage: str, item: QAItem, dup: dict[str, set[str]], quote: str | None = None
) -> tuple[bool, bool]:
    """(cited passage holds a gold quote of a gold doc, the quote itself (or `quote`, a part of it)
    overlaps a gold quote)."""
    docs = {c.doc, *c.also_in}
    docs |= set().union(*(dup.get(d, set()) for d in list(docs)))
    passage_n, quote_n = normalize(passage), normalize(c.quote if quote is None else quote)
    loose = strict = False
    for ev in item.evidence:
        if not same_document(ev.doc, docs):
            continue
        gold = normalize(ev.quote)
        if gold in passage_n:
            loose = True
        if gold in quote_n or quote_n in gold:
            strict = True
        else:
            m = SequenceMatcher(None, gold, quote_n, autojunk=False).find_longest_match(0, len(gold), 0, len(quote_n))
            strict = strict or m.size >= min(40, int(0.6 * len(gold)))
    return loose or strict, strict


def score_answer(item: QAItem, answer: Answer, passages: dict[str, str], dup: dict[str, set[str]]) -> QuestionResult:
    text = normalize(answer.text)
    res = QuestionResult(
        id=item.id,
        type=item.type,
        style=item.style,
        in_conversation=bool(item.conversation),
        question=item.question,
        answer=answer.text,
        abstained=answer.abstained,
    )
    if item.answerable:
        keys = [k for k in item.answer_keys]
        found = [k for k in keys if normalize(k) in text] if not answer.abstained else []
        res.key_recall = len(found) / len(keys) if keys else (0.0 if answer.abstained else 1.0)
        res.missing_keys = [k for k in keys if k not in found]
    res.citations = len(answer.citations)
    for c in answer.citations:
        loose, strict = _citation_correct(c, passages.get(c.chunk_id or "", c.quote), item, dup)
        res.correct_citations += loose
        res.strict_citations += strict
    if item.answerable and answer.citations and not answer.abstained:
        first = answer.citations[0]
        passage = passages.get(first.chunk_id or "", first.quote)
        res.lead_correct = _citation_correct(first, passage, item, dup, _key_text(first))[1]
    return res


def _figures(results: list[QuestionResult]) -> Figures:
    f = Figures(questions=len(results))
    answerable = [r for r in results if r.type != "ej_besvarbar"]
    unanswerable = [r for r in results if r.type == "ej_besvarbar"]
    if answerable:
        f.answer_key_recall = round(sum(r.key_recall or 0.0 for r in answerable) / len(answerable), 3)
        f.wrongly_abstained = round(sum(r.abstained for r in answerable) / len(answerable), 3)
        n = sum(r.citations for r in answerable)
        if n:
            f.citation_precision = round(sum(r.correct_citations for r in answerable) / n, 3)
            f.citation_precision_strict = round(sum(r.strict_citations for r in answerable) / n, 3)
        led = [r.lead_correct for r in answerable if r.lead_correct is not None]
        if led:
            f.lead_precision = round(sum(led) / len(led), 3)
    if unanswerable:
        f.unanswerable_abstained = round(
            sum(r.abstained and r.citations == 0 for r in unanswerable) / len(unanswerable), 3
        )
    return f


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    idx = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return round(ordered[idx], 3)


def evaluate(answerer: Answerer, items: list[QAItem], duplicates: dict[str, set[str]] | None = None) -> AnswerReport:
    """Answer every question and score the answers.

    Items sharing a `conversation` value are asked in file order in one conversation, so a
    follow-up is understood (and scored) as the user would see it.
    """
    from assistant.answering.followup import Conversation

    dup = duplicates or {}
    results: list[QuestionResult] = []
    conversations: dict[str, Conversation] = {}
    for item in items:
        conversation = conversations.setdefault(item.conversation, Conversation()) if item.conversation else None
        turn = len(conversation.turns) if conversation is not None else 0
        t0 = time.perf_counter()
        answer = answerer.ask(item.question, conversation=conversation)
        seconds = time.perf_counter() - t0
        passages = {h.chunk.id: h.chunk.text for h in answerer.last_hits}
        res = score_answer(item, answer, passages, dup)
        res.seconds = round(seconds, 3)
        res.turn = turn
        results.append(res)
    by_type: dict[str, list[QuestionResult]] = defaultdict(list)
    by_style: dict[str, list[QuestionResult]] = defaultdict(list)
    by_turn: dict[str, list[QuestionResult]] = defaultdict(list)
    for r in results:
        by_type[r.type].append(r)
        if r.style:
            by_style[r.style].append(r)
        if r.in_conversation:
            by_turn["första frågan" if r.turn == 0 else "följdfråga"].append(r)
    times = [r.seconds for r in results]
    return AnswerReport(
        overall=_figures(results),
        by_type={t: _figures(rs) for t, rs in sorted(by_type.items())},
        by_style={t: _figures(rs) for t, rs in sorted(by_style.items())},
        by_turn={t: _figures(rs) for t, rs in sorted(by_turn.items())},
        results=results,
        latency_p50=_percentile(times, 50),
        latency_p95=_percentile(times, 95),
    )


def duplicate_groups(library) -> dict[str, set[str]]:
    """Doc -> docs holding the same text, from the library's duplicate_of metadata."""
    groups: dict[str, set[str]] = defaultdict(set)
    documents = getattr(library, "documents", None)
    if documents is None:
        return {}
    for meta in documents():
        if meta.duplicate_of:
            groups[meta.doc].add(meta.duplicate_of)
            groups[meta.duplicate_of].add(meta.doc)
    return dict(groups)


def report_sv(report: AnswerReport) -> str:
    """A short Swedish table of the figures."""

    def fmt(v: float | None) -> str:
        return "–" if v is None else f"{v:.3f}"

    lines = [
        "typ                    frågor  nyckel-recall  källprecision  (strikt)  ej_besv. avstått  felaktigt avstått"
        "  första meningen",
    ]
    rows = [
        ("totalt", report.overall),
        *report.by_type.items(),
        *[(f"stil: {k}", v) for k, v in report.by_style.items()],
        *[(f"samtal: {k}", v) for k, v in report.by_turn.items()],
    ]
    for name, f in rows:
        lines.append(
            f"{name:<22} {f.questions:>6}  {fmt(f.answer_key_recall):>13}  {fmt(f.citation_precision):>13}  "
            f"{fmt(f.citation_precision_strict):>8}  {fmt(f.unanswerable_abstained):>16}  "
            f"{fmt(f.wrongly_abstained):>17}  {fmt(f.lead_precision):>15}"
        )
    lines.append(f"svarstid p50 {report.latency_p50:.3f} s, p95 {report.latency_p95:.3f} s")
    return "\n".join(lines)

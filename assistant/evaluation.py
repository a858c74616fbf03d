"""Retrieval evaluation as defined in shared/eval/README.md: recall@k and MRR@10 per question type."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.models import SearchHit
from assistant.text import normalize

KS = (1, 5, 10)


def load_questions(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise ValueError(f"{Path(path).name}, rad {n}: ogiltig JSON ({error.msg}).") from error
    return rows


def same_document(gold: str, docs: set[str] | Sequence[str]) -> bool:
    """Is the gold document one of `docs`? Gold names a file ("lov.md") or a path below a library
    folder ("Hemtjänst/Dagsrutiner.md"); an index names it by its path below the folder ingested,
    which may hold more folders in front ("lag/lov.md", "botkyrka-vof/Hemtjänst/Dagsrutiner.md")."""
    for doc in docs:
        if doc == gold or doc.endswith("/" + gold) or gold.endswith("/" + doc):
            return True
    return False


def hit_matches(hit: SearchHit, evidence: Sequence[dict], duplicates: dict[str, set[str]]) -> bool:
    """Does the hit's chunk contain a gold quote of a gold document (or of a near-duplicate of it)?"""
    text = normalize(hit.chunk.text)
    docs = {hit.chunk.doc, *hit.also_in} | duplicates.get(hit.chunk.doc, set())
    for item in evidence:
        if same_document(item["doc"], docs) and normalize(item["quote"]) in text:
            return True
    return False


def first_relevant_rank(hits: Sequence[SearchHit], evidence: Sequence[dict], duplicates) -> int | None:
    for rank, hit in enumerate(hits, start=1):
        if hit_matches(hit, evidence, duplicates):
            return rank
    return None


def duplicate_groups(metas) -> dict[str, set[str]]:
    """doc -> the docs it duplicates or that duplicate it."""
    groups: dict[str, set[str]] = defaultdict(set)
    for meta in metas:
        if meta.duplicate_of:
            groups[meta.doc].add(meta.duplicate_of)
            groups[meta.duplicate_of].add(meta.doc)
    return groups


def evaluate_retrieval(
    questions: Sequence[dict], search: Callable[[str], list[SearchHit]], duplicates: dict[str, set[str]]
) -> dict:
    """Metrics overall, per type, per style and per turn for answerable questions; per-question ranks.

    Lines sharing a `conversation` value are one conversation in file order: a later turn is
    searched as the answering does, resolved against the earlier questions.
    """
    from assistant.answering.followup import QuestionOnlyConversation

    groups: dict[str, list[int | None]] = defaultdict(list)
    details = []
    conversations: dict[str, QuestionOnlyConversation] = {}
    for q in questions:
        conversation = (
            conversations.setdefault(q["conversation"], QuestionOnlyConversation()) if q.get("conversation") else None
        )
        turn = len(conversation.turns) if conversation is not None else 0
        query = conversation.ask(q["question"]) if conversation is not None else q["question"]
        if not q.get("evidence"):
            continue
        rank = first_relevant_rank(search(query), q["evidence"], duplicates)
        for key in question_groups(q, turn):
            groups[key].append(rank)
        details.append({"id": q["id"], "type": q.get("type"), "style": q.get("style"), "rank": rank})
    return {"metrics": {t: _metrics(ranks) for t, ranks in groups.items()}, "questions": details}


def question_groups(q: dict, turn: int) -> list[str]:
    """The report rows a question counts in: all, its type, its style, and follow-up turn."""
    keys = ["alla", q.get("type", "okänd")]
    if q.get("style"):
        keys.append(f"stil: {q['style']}")
    if q.get("conversation"):
        keys.append("samtal: första frågan" if turn == 0 else "samtal: följdfråga")
    return keys


def _metrics(ranks: list[int | None]) -> dict:
    n = len(ranks)
    out = {"n": n}
    for k in KS:
        out[f"recall@{k}"] = round(sum(1 for r in ranks if r is not None and r <= k) / n, 3) if n else 0.0
    out["mrr@10"] = round(sum(1 / r for r in ranks if r is not None and r <= 10) / n, 3) if n else 0.0
    return out


def format_table(results: dict[str, dict]) -> str:
    """Side-by-side table: rows = method x question type."""
    lines = ["| metod | frågetyp | n | R@1 | R@5 | R@10 | MRR@10 |", "|---|---|---|---|---|---|---|"]
    for method, result in results.items():
        metrics = result["metrics"]
        for qtype in [
            "alla",
            *sorted(t for t in metrics if t != "alla" and ":" not in t),
            *sorted(t for t in metrics if ":" in t),
        ]:
            m = metrics[qtype]
            lines.append(
                f"| {method} | {qtype} | {m['n']} | {m['recall@1']:.2f} | {m['recall@5']:.2f} | "
                f"{m['recall@10']:.2f} | {m['mrr@10']:.2f} |"
            )
    return "\n".join(lines)

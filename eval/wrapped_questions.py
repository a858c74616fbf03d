"""How much an answer depends on what people wrap their question in, on å, ä, ö typed without marks, and on a
typing error.

Real questions on municipal FAQ and Q&A pages come with a greeting, a framing ("jag undrar ..."), a thank-you
and a signature: "Hej! Jag undrar vem som betalar om hemtjänsten tappar min nyckel? Tack på förhand! Mvh Anna".
This answers every question of a set twice, as written and wrapped in one of the templates below (in turn, so
each question gets one), and a third time with å, ä, ö typed as a, a, o (a keyboard without Swedish keys, a
hurried phone), a fourth time with one typing error in its longest lowercase word (two letters swapped, one
left out or one doubled, in turn), and a fifth with one letter of that word changed for another, and reports all
five. Answers to the changed questions should be as good as to the plain ones.

    .venv/bin/python eval/wrapped_questions.py --index eval/.cache/index-full --questions ../shared/eval/qa_people.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from assistant.answering.evaluate import QAItem, duplicate_groups, evaluate, report_sv
from assistant.api import Styrdok
from assistant.evaluation import duplicate_groups as document_duplicates
from assistant.evaluation import first_relevant_rank, load_questions

# {q}: the question with its first letter in lower case; {Q}: as written.
TEMPLATES = (
    "Hej! Jag undrar {q} Tack på förhand!",
    "Hej, {Q} Mvh Anna",
    "Jag har en fråga. {Q} Med vänliga hälsningar, Karin",
    "Hejsan! Vi undrar {q}",
    "{Q} Tack för svar! /Lars",
    "God morgon! {Q} Vänliga hälsningar Per",
)


WITHOUT_MARKS = str.maketrans("åäöÅÄÖ", "aaoAAO")


_LONG_WORD = re.compile(r"(?<![\w-])[a-zåäö]{6,}(?![\w-])")


def mistype(question: str, n: int) -> str:
    """One typing error in the question's longest lowercase word: two letters swapped, one left out or one
    doubled (by n), at a place inside the word that also depends on n."""
    words = list(_LONG_WORD.finditer(question))
    if not words:
        return question
    m = max(words, key=lambda m: len(m.group(0)))
    w, i = m.group(0), 1 + n % (len(m.group(0)) - 2)
    typed = (w[:i] + w[i + 1] + w[i] + w[i + 2 :], w[:i] + w[i + 1 :], w[:i] + w[i] + w[i:])[n % 3]
    return question[: m.start()] + typed + question[m.end() :]


_LETTERS = "abcdefghijklmnopqrstuvwxyzåäö"


def change_letter(question: str, n: int) -> str:
    """One letter of the question's longest lowercase word changed for another (a neighbouring key, a slip of
    the thumb), at a place and to a letter that depend on n."""
    words = list(_LONG_WORD.finditer(question))
    if not words:
        return question
    m = max(words, key=lambda m: len(m.group(0)))
    w, i = m.group(0), 1 + n % (len(m.group(0)) - 2)
    letter = _LETTERS[(_LETTERS.index(w[i]) + 1 + n % 5) % len(_LETTERS)] if w[i] in _LETTERS else "e"
    return question[: m.start()] + w[:i] + letter + w[i + 1 :] + question[m.end() :]


def wrap(question: str, n: int) -> str:
    template = TEMPLATES[n % len(TEMPLATES)]
    return template.format(q=question[:1].lower() + question[1:], Q=question)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    api = Styrdok.open(args.index)
    rows = load_questions(args.questions)
    # A conversation's later turns are answered after its first, so only the first turn is wrapped (and only
    # first turns are searched alone: a follow-up's query needs its conversation).
    seen: set[str] = set()
    wrapped, firsts = [], []
    for n, row in enumerate(rows):
        first = not row.get("conversation") or row["conversation"] not in seen
        seen.add(row.get("conversation") or "")
        wrapped.append({**row, "question": wrap(row["question"], n) if first else row["question"]})
        firsts.append(first and bool(row.get("evidence")))
    dup = duplicate_groups(api.library)
    docs_dup = document_duplicates(api.library.documents())
    out = {}
    plain = [{**row, "question": row["question"].translate(WITHOUT_MARKS)} for row in rows]
    mistyped = [{**row, "question": mistype(row["question"], n)} for n, row in enumerate(rows)]
    changed = [{**row, "question": change_letter(row["question"], n)} for n, row in enumerate(rows)]
    variants = (
        ("som skrivna", rows),
        ("inslagna", wrapped),
        ("utan å, ä, ö", plain),
        ("med ett skrivfel", mistyped),
        ("med en ändrad bokstav", changed),
    )
    for name, items in variants:
        searched = [r for r, first in zip(items, firsts, strict=True) if first]
        ranks = [first_relevant_rank(api.search(r["question"], k=5), r["evidence"], docs_dup) for r in searched]
        recall = round(sum(r is not None for r in ranks) / max(1, len(ranks)), 3)
        report = evaluate(api.answerer(), [QAItem.model_validate(r) for r in items], dup)
        out[name] = {"r_at_5": recall, **json.loads(report.model_dump_json(exclude={"results"}))}
        print(f"## Frågorna {name}\nsökning R@5 {recall} ({len(ranks)} första frågor)\n{report_sv(report)}\n")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

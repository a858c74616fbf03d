"""How many typing errors the speller restores, and how many correctly written questions it misreads, by the
number of passages a correction must occur in (wording.TYPO_MIN_PASSAGES), with and without the Swedish dictionary
(swedish.is_swedish).

Every question of the given sets is read three times: as written, with one typing error in its longest word
(wrapped_questions.mistype: a letter dropped, doubled, or two swapped) and with one letter of that word changed
(wrapped_questions.change_letter). An error is restored when the mistyped question reads as the written one does; a
correctly written question is misread when the correction changes one of its words. Both over each index given
(corpus + library knows the routines' everyday words, the corpus alone does not).

    .venv/bin/python eval/typo_threshold.py --index eval/.cache/index-full eval/.cache/index \\
        --questions ../shared/eval/qa_people.jsonl ../shared/eval/qa_dev.jsonl eval/qa_extra.jsonl
"""

from __future__ import annotations

import argparse
from pathlib import Path

from wrapped_questions import change_letter, mistype

from assistant import swedish, wording
from assistant.api import Styrdok
from assistant.evaluation import load_questions

THRESHOLDS = (2, 5, 10, 20, 50, 100)


def measure(library, questions: list[str], least: int, dictionary: bool) -> dict:
    wording.TYPO_MIN_PASSAGES = least
    real, real_dictionary = swedish.is_swedish, swedish.dictionary
    if not dictionary:  # as where hunspell-sv is not installed
        swedish.is_swedish, swedish.dictionary = (lambda word: False), (lambda: None)
    try:
        library._speller = wording.Speller()
        restored = typed = changed = changed_restored = 0
        misread = []
        for n, q in enumerate(questions):
            read = library.respell(q)
            marked = wording.respell(q, library._speller._spelling[1])  # the marks alone, no correction
            if read != marked:
                misread.append([(a, b) for a, b in zip(marked.split(), read.split(), strict=False) if a != b])
            wrong = mistype(q, n)
            if wrong != q:
                typed += 1
                restored += library.respell(wrong) == read
            slip = change_letter(q, n)
            if slip != q:
                changed += 1
                changed_restored += library.respell(slip) == read
    finally:
        swedish.is_swedish, swedish.dictionary = real, real_dictionary
    return {
        "restored": restored,
        "typed": typed,
        "changed_restored": changed_restored,
        "changed": changed,
        "misread": len(misread),
        "examples": misread[:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, nargs="+", required=True)
    parser.add_argument("--questions", type=Path, nargs="+", required=True)
    args = parser.parse_args()
    questions = [row["question"] for path in args.questions for row in load_questions(path)]
    for index in args.index:
        library = Styrdok.open(index).library
        for dictionary in (False, True):
            for least in THRESHOLDS:
                m = measure(library, questions, least, dictionary)
                print(
                    f"{index.name:<12} {'med ordlista' if dictionary else 'utan ordlista':<14} {least:>3} ställen: "
                    f"{m['restored']} av {m['typed']} fel rättade, {m['changed_restored']} av {m['changed']} ändrade "
                    f"bokstäver, {m['misread']} rätt skrivna frågor ändrade "
                    f"{m['examples']}",
                    flush=True,
                )


if __name__ == "__main__":
    main()

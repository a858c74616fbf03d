"""Check a question file (qa_*.jsonl) against the corpus before it is used for evaluation.

For every line:
- the fields and the type are valid, ids are unique;
- `ej_besvarbar` lines have no answer keys and no evidence;
- answerable lines have 1-4 answer keys and at least one evidence item;
- every evidence `doc` is a file name that exists in the corpus (searched in all subfolders), or a path inside
  the corpus or the library (`--library`, the real library's "Hemtjänst/Rutin.md");
- every evidence `quote` (30-150 characters) is a substring of that document's loader text
  after the evaluation's normalisation (join words hyphenated across a line break,
  collapse whitespace, lowercase);
- every answer key occurs, normalised, in at least one of the line's evidence documents.

Documents are loaded with assistant.loading.load_document, i.e. the text the project indexes
(for PDF and DOCX this differs from a plain extraction).

Usage (from the repo root):
    .venv/bin/python eval/check_questions.py [--questions eval/qa_extra.jsonl] [--corpus ../shared/corpus]

Prints every problem and a summary; exits 1 if there is any problem, 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from assistant.loading import SUPPORTED_SUFFIXES, load_document  # noqa: E402
from assistant.text import normalize  # noqa: E402

TYPES = ("roll", "krav", "sanktion", "fakta", "mixed", "ej_besvarbar")
QUOTE_MIN, QUOTE_MAX = 30, 150
MAX_KEYS = 4


class Corpus:
    """Finds documents by file name anywhere under the corpus folders, or by their path inside one (the library's
    "Hemtjänst/Rutin.md", whose name recurs in several folders), and caches their normalised text."""

    def __init__(self, *roots: Path) -> None:
        self.paths: dict[str, list[Path]] = {}
        for root in roots:
            for path in sorted(root.rglob("*")):
                if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES and path.name != "README.md":
                    self.paths.setdefault(path.name, []).append(path)
                    self.paths.setdefault(path.relative_to(root).as_posix(), []).append(path)
        self._texts: dict[str, str | None] = {}
        self.errors: dict[str, str] = {}

    def text(self, name: str) -> str | None:
        """Normalised loader text of the document called `name`, or None (reason in self.errors)."""
        if name in self._texts:
            return self._texts[name]
        paths = list(dict.fromkeys(self.paths.get(name, [])))
        text: str | None = None
        if not paths:
            self.errors[name] = "finns inte i korpusen"
        elif len(paths) > 1:
            self.errors[name] = "flera filer med samma namn: " + ", ".join(str(p) for p in paths)
        else:
            try:
                text = normalize(load_document(paths[0]).text)
            except Exception as exc:  # report, do not stop: the other lines are still worth checking
                self.errors[name] = f"kunde inte läsas: {exc}"
        self._texts[name] = text
        return text


def check_line(q: dict, corpus: Corpus) -> list[str]:
    problems: list[str] = []
    qtype = q.get("type")
    if not isinstance(q.get("question"), str) or not q["question"].strip():
        problems.append("question saknas eller är tom")
    if qtype not in TYPES:
        problems.append(f"okänd type {qtype!r} (tillåtna: {', '.join(TYPES)})")
    keys = q.get("answer_keys")
    evidence = q.get("evidence")
    if not isinstance(keys, list) or not isinstance(evidence, list):
        return problems + ["answer_keys och evidence måste vara listor"]

    if qtype == "ej_besvarbar":
        if keys:
            problems.append("ej_besvarbar ska ha tomma answer_keys")
        if evidence:
            problems.append("ej_besvarbar ska ha tom evidence")
        return problems

    if not 1 <= len(keys) <= MAX_KEYS:
        problems.append(f"{len(keys)} answer_keys (ska vara 1-{MAX_KEYS})")
    if not evidence:
        problems.append("evidence saknas")

    doc_texts: list[str] = []
    for i, ev in enumerate(evidence, 1):
        if not isinstance(ev, dict):
            problems.append(f"evidence {i}: inte ett objekt")
            continue
        doc, quote = ev.get("doc"), ev.get("quote")
        if not isinstance(doc, str) or not doc or "\\" in doc:
            problems.append(f"evidence {i}: doc {doc!r} ska vara ett filnamn eller en sökväg med /")
            continue
        if not isinstance(quote, str) or not quote.strip():
            problems.append(f"evidence {i} ({doc}): quote saknas")
            continue
        if not QUOTE_MIN <= len(quote) <= QUOTE_MAX:
            problems.append(f"evidence {i} ({doc}): quote är {len(quote)} tecken (ska vara {QUOTE_MIN}-{QUOTE_MAX})")
        text = corpus.text(doc)
        if text is None:
            problems.append(f"evidence {i}: {doc} {corpus.errors.get(doc, 'kunde inte läsas')}")
            continue
        doc_texts.append(text)
        if normalize(quote) not in text:
            problems.append(f"evidence {i} ({doc}): quote finns inte i dokumentet: {quote!r}")

    for key in keys:
        if not isinstance(key, str) or not key.strip():
            problems.append(f"tom eller ogiltig answer_key {key!r}")
            continue
        if doc_texts and not any(normalize(key) in text for text in doc_texts):
            problems.append(f"answer_key {key!r} finns inte i något av evidensdokumenten")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=Path, default=REPO / "eval" / "qa_extra.jsonl")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument(
        "--library",
        type=Path,
        default=REPO.parent / "shared" / "library" / "botkyrka-vof",
        help="A second folder whose documents are named by their path in it (skipped if missing).",
    )
    args = parser.parse_args()

    if not args.corpus.is_dir():
        print(f"Korpusmappen finns inte: {args.corpus}")
        return 2
    corpus = Corpus(args.corpus, *([args.library] if args.library.is_dir() else []))

    n_problems = 0
    seen: set[str] = set()
    types: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    lines = args.questions.read_text(encoding="utf-8").splitlines()
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
        except json.JSONDecodeError as exc:
            print(f"rad {lineno}: ogiltig JSON: {exc}")
            n_problems += 1
            continue
        qid = q.get("id") if isinstance(q, dict) else None
        if not isinstance(q, dict) or not isinstance(qid, str) or not qid:
            print(f"rad {lineno}: id saknas")
            n_problems += 1
            continue
        problems = check_line(q, corpus)
        if qid in seen:
            problems.append("id förekommer mer än en gång")
        seen.add(qid)
        types[q.get("type", "?")] += 1
        for ev in q.get("evidence") or []:
            if isinstance(ev, dict) and isinstance(ev.get("doc"), str):
                docs[ev["doc"]] += 1
        for problem in problems:
            print(f"{qid} (rad {lineno}): {problem}")
        n_problems += len(problems)

    total = sum(types.values())
    print(f"\n{total} frågor i {args.questions}")
    print(
        "per typ: "
        + ", ".join(f"{t}={types[t]}" for t in TYPES if types[t])
        + "".join(f", {t}={n}" for t, n in types.items() if t not in TYPES)
    )
    print(f"{len(docs)} olika evidensdokument, {sum(docs.values())} citat")
    if n_problems:
        print(f"{n_problems} problem")
        return 1
    print("Inga problem.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

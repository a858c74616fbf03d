"""Benchmark: lint a ~30-page PDF draft built from the dev drafts; prints the seconds (target < 10 s).

    .venv/bin/python eval/bench_lint.py [--pages 30] [--index DIR] [--keep OUT.pdf]

Without --index the source lookup is skipped (the index's own search speed is benchmarked elsewhere).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.lint.convert import markdown_to_pdf  # noqa: E402
from assistant.lint.draft import read_draft  # noqa: E402
from assistant.lint.engine import SourceFinder, lint_draft  # noqa: E402
from assistant.lint.rules import load_rules  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "drafts"
OWN = ROOT / "tests" / "data" / "lint"
TOWNS = ["Lindviks", "Norrby", "Södervik", "Västby", "Österås", "Granby", "Sjöholms", "Backa"]


def body(text: str, offset: int, town: str) -> str:
    """A draft without its title, sections renumbered from `offset` and another municipality's name."""
    lines = [line for line in text.splitlines() if not line.startswith("# ")]
    out = "\n".join(lines).replace("Lindviks", town)
    out = re.sub(r"^(## )(\d+)\b", lambda m: f"{m.group(1)}{int(m.group(2)) + offset}", out, flags=re.M)
    return re.sub(r"^(\d+)\.(\d+)", lambda m: f"{int(m.group(1)) + offset}.{m.group(2)}", out, flags=re.M)


def build_markdown(sources: list[Path], rounds: int) -> str:
    parts, offset = ["# Förfrågningsunderlag – samlat utkast för prestandatest"], 0
    for r in range(rounds):
        for i, source in enumerate(sources):
            text = source.read_text(encoding="utf-8").replace("## Bilagor", "## Bilagor del")
            parts.append(body(text, offset, TOWNS[(r + i) % len(TOWNS)]))
            offset += 10
    return "\n\n".join(parts) + "\n"


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--index", type=Path, default=None)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args()
    sources = sorted(DEV.glob("*.md")) or sorted(OWN.glob("*.md"))
    with tempfile.TemporaryDirectory() as tmp:
        pdf = args.keep or Path(tmp) / "bench.pdf"
        rounds = 1
        while True:
            markdown_to_pdf(build_markdown(sources, rounds), pdf)
            count = pages(pdf)
            if count >= args.pages:
                break
            rounds = max(rounds + 1, int(rounds * args.pages / max(count, 1)))
        searcher = None
        if args.index is not None:
            from assistant.library import open_library

            searcher = open_library(args.index)
        start = time.perf_counter()
        rules = load_rules()
        draft = read_draft(pdf)
        parsed = time.perf_counter()
        findings = lint_draft(draft, rules, SourceFinder(searcher))
        done = time.perf_counter()
    grouped = sum(len(getattr(f, "also", [])) for f in findings)
    print(f"{count} sidor, {len(draft.sentences)} meningar, {len(findings)} fynd (+{grouped} grupperade ställen)")
    print(f"dokumentslag: {draft.classification.label}")
    print(f"läsning {parsed - start:.2f} s, granskning {done - parsed:.2f} s")
    print(f"{done - start:.2f}")


if __name__ == "__main__":
    main()

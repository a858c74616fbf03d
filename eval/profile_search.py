"""pyinstrument profile of hybrid search over the development questions.

Two profiles, each in this fresh process: the *cold* pass (open the library, first time each
question is asked: BM25 read from disk, query embeddings computed) and the *warm* pass (the
same questions again). For each, the functions with the largest inclusive time and the
largest self time are listed; the warm pass also gets the full call tree as text.

    .venv/bin/python eval/profile_search.py --index eval/.cache/index --json prof.json --text prof.txt
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _short(path: str | None) -> str:
    if not path:
        return "?"
    p = str(path)
    for marker in ("/site-packages/", "/work/main/"):
        if marker in p:
            return p.split(marker, 1)[1]
    try:
        return str(Path(p).resolve().relative_to(ROOT))
    except ValueError:
        return p


def top_costs(session, n: int = 15, calls: int = 1) -> dict:
    """Aggregate a pyinstrument session by function: inclusive and self time, in ms per call.

    Inclusive time counts a function once per stack even when it recurses.
    `calls` is the number of searches profiled, to express times per query.
    """
    inclusive: dict[tuple, float] = defaultdict(float)
    self_time: dict[tuple, float] = defaultdict(float)
    root = session.root_frame()
    total = root.time if root is not None else 0.0

    def walk(frame, active: set) -> None:
        if frame.is_synthetic:
            key = ("[self]", _short(frame.file_path), frame.line_no or 0)
        else:
            key = (frame.function or "?", _short(frame.file_path), frame.line_no or 0)
        if key not in active:
            inclusive[key] += frame.time
        self_time[key] += frame.total_self_time if not frame.is_synthetic else frame.time
        for child in frame.children:
            walk(child, active | {key})

    if root is not None:
        walk(root, set())

    def rows(table: dict[tuple, float], project_only: bool = False) -> list[dict]:
        items = [
            (k, v) for k, v in table.items() if k[0] != "[self]" and (not project_only or k[1].startswith("assistant/"))
        ]
        items.sort(key=lambda kv: -kv[1])
        return [
            {
                "function": k[0],
                "where": f"{k[1]}:{k[2]}",
                "ms_total": round(v * 1000, 1),
                "ms_per_query": round(v * 1000 / max(calls, 1), 2),
                "share": round(v / total, 3) if total else None,
            }
            for k, v in items[:n]
        ]

    return {
        "total_s": round(total, 3),
        "cpu_s": round(float(getattr(session, "cpu_time", 0.0) or 0.0), 3),
        "queries": calls,
        "ms_per_query": round(total * 1000 / max(calls, 1), 1),
        "inclusive_project": rows(inclusive, project_only=True),
        "inclusive_all": rows(inclusive),
        "self": rows(self_time),
    }


def profile(index: Path, queries: Sequence[str], settings=None, repeats: int = 3, interval: float = 0.001) -> dict:
    from pyinstrument import Profiler

    from assistant.library import open_library

    profiler = Profiler(interval=interval)
    profiler.start()
    t0 = time.perf_counter()
    library = open_library(index, settings=settings)
    for q in queries:
        library.search(q, k=10, mode="hybrid")
    cold_wall = time.perf_counter() - t0
    profiler.stop()
    cold = top_costs(profiler.last_session, calls=len(queries))
    cold["wall_s"] = round(cold_wall, 3)

    profiler = Profiler(interval=interval)
    profiler.start()
    t0 = time.perf_counter()
    for _ in range(repeats):
        for q in queries:
            library.search(q, k=10, mode="hybrid")
    warm_wall = time.perf_counter() - t0
    profiler.stop()
    warm = top_costs(profiler.last_session, calls=len(queries) * repeats)
    warm["wall_s"] = round(warm_wall, 3)
    tree = profiler.output_text(unicode=False, color=False, show_all=False)
    return {"cold": cold, "warm": warm, "warm_tree": tree, "chunks": library.catalog.chunk_count()}


def format_costs(part: dict, n: int = 10) -> str:
    lines = [
        f"{part['queries']} queries, {part['ms_per_query']} ms/query profiled ({part.get('wall_s', '?')} s wall, "
        f"{part.get('cpu_s', '?')} s CPU; the machine is shared, so wall time includes waiting for a core)",
        "",
        "| function | where | ms/query (inclusive) | share |",
        "|---|---|---|---|",
    ]
    for row in part["inclusive_project"][:n]:
        lines.append(f"| `{row['function']}` | `{row['where']}` | {row['ms_per_query']} | {row['share']:.0%} |")
    lines += ["", "| function (self time) | where | ms/query | share |", "|---|---|---|---|"]
    for row in part["self"][:n]:
        lines.append(f"| `{row['function']}` | `{row['where']}` | {row['ms_per_query']} | {row['share']:.0%} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=ROOT.parent / "shared" / "eval" / "qa_dev.jsonl")
    parser.add_argument("--embedder", default=None)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--text", type=Path, default=None, help="Write the warm call tree here.")
    args = parser.parse_args(argv)

    from assistant.evaluation import load_questions
    from assistant.settings import Settings

    settings = Settings().model_copy(
        update={"index": args.index, **({"embedder": args.embedder} if args.embedder else {})}
    )
    queries = [q["question"] for q in load_questions(args.questions)]
    result = profile(args.index, queries, settings=settings, repeats=args.repeats)
    print("## cold\n" + format_costs(result["cold"]) + "\n\n## warm\n" + format_costs(result["warm"]))
    if args.text:
        args.text.parent.mkdir(parents=True, exist_ok=True)
        args.text.write_text(result["warm_tree"])
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({k: v for k, v in result.items() if k != "warm_tree"}, indent=1))


if __name__ == "__main__":
    main()

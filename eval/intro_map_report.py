"""What the Introduktion map shows on an index: boxes, arrows by relation, examples with their citations,
the mandate checklist and who decided what. Writes Markdown (and the map as SVG) for the reports.

    .venv/bin/python eval/intro_map_report.py --index /tmp/intro-full --name corpus+library \
        --out eval/reports/intro-map-full.md --svg eval/reports/intro-map-full.svg
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from assistant.api import Styrdok
from assistant.intro.cache import build_intro
from assistant.intro.diagram import standalone_svg


def _where(c) -> str:
    return ", ".join(x for x in (c.title, c.section, f"s. {c.page}" if c.page else "") if x)


def report(index: Path, name: str) -> tuple[str, object]:
    api = Styrdok.open(index, use_embedder=False)
    started = time.perf_counter()
    data = build_intro(api.library, "report")
    seconds = time.perf_counter() - started
    labels = {n.id: n.label for n in data.map.nodes}
    lines = [
        f"# Introduktionens karta: {name}",
        "",
        f"Index `{index}`: {len(api.documents())} dokument, {len(data.roles)} ansvarsuppgifter, "
        f"{len(data.glossary)} begrepp; introduktionen byggdes på {seconds:.1f} s.",
        "",
        "## Rutorna",
        "",
        "| ruta | nivå | uppgifter | i sammanfattningen | beslutar om | har beslutat dokument |",
        "|---|---|---|---|---|---|",
    ]
    for n in data.map.nodes:
        topics = ", ".join(f"{t} ({c})" for t, c in n.topics[:3]) or "–"
        lines.append(
            f"| {n.label} | {n.level or 'utanför'} | {len(n.statements)} | {len(n.summary)} | {topics} | {n.decided} |"
        )
    by_relation = Counter(e.label for e in data.map.edges)
    lines += ["", "## Pilarna", "", "| relation | pilar | uppgifter bakom |", "|---|---|---|"]
    for label, count in by_relation.items():
        statements = sum(len(e.statements) for e in data.map.edges if e.label == label)
        lines.append(f"| {label} | {count} | {statements} |")
    lines += ["", "| från | relation | till | uppgifter | första källan |", "|---|---|---|---|---|"]
    for e in data.map.edges:
        first = data.roles[e.statements[0]]
        quote = first.text[:140].replace("|", "/") + ("…" if len(first.text) > 140 else "")
        source = _where(first.sources[0]).replace("|", "/")
        lines.append(
            f"| {labels[e.source]} | {e.label} | {labels[e.target]} | {len(e.statements)} | ”{quote}” – {source} |"
        )
    lines += ["", "## Det här måste fullmäktige besluta", ""]
    for item in data.mandate:
        basis = "; ".join(
            f"{b.label}" + (f" → {_where(b.citation)}" if b.citation else " (lagtexten saknas)") for b in item.basis
        )
        lines.append(f"- **{item.title}** ({item.when.lower()}): {basis}")
        for c in item.support:
            lines.append(f"  - samma i: {_where(c)}")
        for o in item.older:
            lines.append(f"  - upphävd: {o.label}, citerad i " + "; ".join(dict.fromkeys(c.title for c in o.citations)))
    decided = Counter(labels.get(d.node, "andra") if d.node else "andra" for d in data.decisions)
    lines += [
        "",
        "## Vem har beslutat dokumenten",
        "",
        f"{len(data.decisions)} dokument anger vem som beslutat dem:",
        "",
    ]
    lines += [f"- {who}: {count}" for who, count in decided.most_common()]
    return "\n".join(lines) + "\n", data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--name", default="index")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--svg", type=Path)
    args = parser.parse_args()
    text, data = report(args.index, args.name)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    if args.svg:
        args.svg.write_text(standalone_svg(data.map), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()

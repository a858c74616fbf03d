"""The `styrdok` command. Output for people is Swedish; --json output follows the documented contracts."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from assistant.cli_options import index_option
from assistant.errors import StyrdokError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

INDEX_OPTION = index_option()


def _open(index: Path | None, **kwargs):
    """The index as the operator at the command line uses it: everything, with changes audited as 'cli:<user>'."""
    from assistant.access.cli import actor
    from assistant.access.models import Principal
    from assistant.api import Styrdok

    return Styrdok.open(index, **kwargs).for_principal(Principal.cli(actor().removeprefix("cli:")))


def _emit(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


class _Group(click.Group):
    """Turns StyrdokError into one Swedish line on stderr and exit code 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except StyrdokError as error:
            click.echo(f"Fel: {error}", err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="styrdok")
def main() -> None:
    """Styrdok: sök, fråga och granska i kommunala styrdokument, helt offline."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@INDEX_OPTION
@click.option("--sync", is_flag=True, help="Ta bort indexerade dokument som inte längre finns i mapparna.")
@click.option("--rebuild", is_flag=True, help="Töm indexet först och bygg om allt.")
@click.option("--json", "as_json", is_flag=True, help="Skriv sammanfattningen som JSON.")
@click.option("--quiet", is_flag=True, help="Ingen förloppsindikator.")
@click.option(
    "--no-wait",
    is_flag=True,
    help="Vänta inte på vektorerna: dokumenten är sökbara med ord direkt, nästa ingest gör klart resten.",
)
@click.option(
    "--collection",
    default=None,
    help="Samling för dokument som inget annat placerar (standard Styrdokument), t.ex. 'Upphandling pågående'.",
)
@click.option(
    "--collections",
    "collections_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="YAML-fil som mappar undermappar till samlingar (annars collections.yaml i mappen, om den finns).",
)
def ingest(paths, index, sync, rebuild, as_json, quiet, no_wait, collection, collections_file) -> None:
    """Indexera filer och mappar (PDF, DOCX, Markdown, text).

    Dokument identifieras av sin sökväg i mappen (t.ex. Hemtjänst/Dagsrutiner.md). De går att söka
    med ord så fort de lästs in; vektorerna för semantisk sökning beräknas sedan. Varje dokument
    hör till en samling (--collection, collections.yaml); användare läser bara sina samlingar.
    """
    from tqdm import tqdm

    api = _open(index, rebuild=rebuild)
    bars: dict[str, tqdm] = {}

    def update(key: str, desc: str, unit: str, done: int, total: int, name: str = "") -> None:
        if quiet:
            return
        bar = bars.get(key)
        if bar is None:
            bar = bars[key] = tqdm(total=total, unit=unit, file=sys.stderr, desc=desc, leave=False)
        bar.total = total
        bar.n = done
        if name:
            bar.set_postfix_str(name[-40:], refresh=False)
        bar.refresh()

    def progress(name: str, done: int, total: int) -> None:
        update("files", "Läser in (sökbart med ord)", "fil", done, total, name)

    def vector_progress(done: int, total: int) -> None:
        if "files" in bars:
            bars.pop("files").close()
        update("vectors", "Semantisk indexering", "avsnitt", done, total)

    report = api.ingest(
        paths,
        sync=sync,
        progress=progress,
        vector_progress=vector_progress,
        wait_for_vectors=not no_wait,
        collection=collection,
        collections_file=collections_file,
    )
    for bar in bars.values():
        bar.close()
    if as_json:
        _emit(report.model_dump())
    else:
        click.echo(report.summary_sv())
    if report.skipped:
        for item in report.skipped:
            click.echo(f"Varning: {item.reason}", err=True)


@main.command()
@click.argument("query", required=False)
@INDEX_OPTION
@click.option("--k", "k", default=10, show_default=True, help="Antal träffar.")
@click.option("--kind", "kinds", multiple=True, help="Filtrera på dokumenttyp (policy, lag, avtal, ...).")
@click.option("--doc", "docs", multiple=True, help="Filtrera på dokument (sökväg som 'styrdok docs' visar).")
@click.option("--folder", help="Sök bara i dokument i den här mappen (t.ex. en enhets rutiner: Hemtjänst).")
@click.option(
    "--batch", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="JSONL med id och question."
)
@click.option("--mode", type=click.Choice(["hybrid", "lexical", "dense"]), default="hybrid", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON.")
def search(query, index, k, kinds, docs, folder, batch, mode, as_json) -> None:
    """Sök efter de textavsnitt som bäst svarar mot en fråga."""
    from assistant.models import DocumentKind

    for kind in kinds:
        if kind not in DocumentKind.__members__:
            raise StyrdokError(f"Okänd dokumenttyp '{kind}'. Välj bland: {', '.join(DocumentKind.__members__)}.")
    if not query and not batch:
        raise click.UsageError("Ange en fråga eller --batch FIL.")
    api = _open(index)
    if batch:
        from assistant.evaluation import load_questions

        for row in load_questions(batch):
            hits = api.search(row["question"], k=k, kinds=kinds or None, docs=docs or None, mode=mode, folder=folder)
            _emit({"id": row.get("id"), "results": [_hit_json(h) for h in hits]})
        return
    hits = api.search(query, k=k, kinds=kinds or None, docs=docs or None, mode=mode, folder=folder)
    if as_json:
        _emit({"query": query, "results": [_hit_json(h) for h in hits]})
        return
    if not hits:
        click.echo("Inga träffar.")
    for rank, hit in enumerate(hits, start=1):
        where = ", ".join(
            x for x in (f"s. {hit.chunk.page_start}" if hit.chunk.page_start else None, hit.chunk.section) if x
        )
        click.echo(f"{rank}. {hit.meta.title} ({hit.chunk.doc}{', ' + where if where else ''}) [{hit.score:.3f}]")
        if hit.also_in:
            click.echo(f"   Samma text finns även i: {', '.join(hit.also_in)}")
        snippet = " ".join(hit.chunk.text.split())
        click.echo(f"   {snippet[:300]}{'…' if len(snippet) > 300 else ''}")


def _hit_json(hit) -> dict:
    return {
        "doc": hit.chunk.doc,
        "title": hit.meta.title,
        "page": hit.chunk.page_start,
        "section": hit.chunk.section,
        "text": hit.chunk.text,
        "score": hit.score,
    }


@main.command()
@INDEX_OPTION
@click.option("--json", "as_json", is_flag=True)
@click.option("--folder", help="Bara dokument i den här mappen (och dess undermappar).")
@click.option("--kind", help="Bara dokument av den här typen (rutin, riktlinje, policy, ...).")
@click.option(
    "--text", help="Bara dokument vars titel, sökväg, beslutsfattare eller dokumentansvarig innehåller texten."
)
@click.option("--folders", is_flag=True, help="Antal dokument per mapp.")
@click.option("--collection", help="Bara dokument i den här samlingen.")
@click.option("--collections", "list_collections", is_flag=True, help="Antal dokument per samling.")
def docs(index, as_json, folder, kind, text, folders, collection, list_collections) -> None:
    """Lista indexerade dokument (filtrera på mapp, typ, samling eller text i titel och sökväg)."""
    api = _open(index, use_embedder=False)
    if list_collections:
        per: dict[str, int] = {}
        for meta in api.documents():
            per[meta.collection] = per.get(meta.collection, 0) + 1
        if as_json:
            _emit(dict(sorted(per.items())))
            return
        for name, count in sorted(per.items()):
            click.echo(f"{name}: {count} dokument")
        return
    if folders:
        counts = api.folder_counts()
        if as_json:
            _emit(counts)
            return
        for name, count in counts.items():
            click.echo(f"{name or '(översta mappen)'}: {count} dokument")
        return
    entries = api.describe(folder=folder, kind=kind, text=text, collection=collection)
    collection_of = {m.doc: m.collection for m in api.documents()}
    if as_json:
        click.echo(json.dumps(entries, ensure_ascii=False))
        return
    if not entries:
        click.echo(
            "Inga dokument matchar." if (folder or kind or text) else "Indexet är tomt. Kör 'styrdok ingest corpus/'."
        )
    for e in entries:
        status = {"current": "gällande", "repealed": "upphävd"}.get(
            e["status"], e["status"].replace("duplicate of", "dubblett av")
        )
        pages = f", {e['pages']} s." if e["pages"] else ""
        decided = f", beslutat av {e['decided_by']}" if e.get("decided_by") else ""
        click.echo(
            f"- {e['title']} [{e['kind']}{pages}, {e['chunks']} avsnitt, {status}{decided}, "
            f"samling {collection_of.get(e['doc'], '')}] ({e['doc']})"
        )


@main.command()
@click.argument("docs", nargs=-1, required=True)
@INDEX_OPTION
def remove(docs, index) -> None:
    """Ta bort dokument ur indexet.

    Ange sökvägen som 'styrdok docs' visar, eller filnamnet om bara ett dokument har det.
    """
    api = _open(index)
    failed = False
    for name in docs:
        found = api.resolve(name)
        if len(found) > 1:
            click.echo(f"Flera dokument heter {name}; ange vilket: " + ", ".join(found), err=True)
            failed = True
            continue
        removed = api.remove(found[:1] or [name])
        if removed:
            click.echo(f"Borttaget: {removed[0]}")
        else:
            click.echo(f"Finns inte i indexet: {name}")
            failed = True
    if failed:
        sys.exit(1)


@main.group(name="eval")
def eval_group() -> None:
    """Utvärdera sökning, svar och granskning mot ett utvecklingsset."""


@eval_group.command(name="retrieval")
@click.option("--questions", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True)
@click.option(
    "--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Indexera den här mappen först."
)
@INDEX_OPTION
@click.option("--json", "as_json", is_flag=True)
def eval_retrieval(questions, corpus, index, as_json) -> None:
    """Recall@1/5/10 och MRR@10 per frågetyp: hybrid, endast lexikal och endast vektor."""
    from assistant.evaluation import duplicate_groups, evaluate_retrieval, format_table, load_questions

    api = _open(index)
    if corpus:
        report = api.ingest([corpus])
        click.echo(report.summary_sv(), err=True)
    rows = load_questions(questions)
    duplicates = duplicate_groups(api.documents())
    modes = ["hybrid", "lexical"] + (["dense"] if api.dense_enabled else [])
    results = {
        mode: evaluate_retrieval(rows, lambda q, m=mode: api.search(q, k=10, mode=m), duplicates) for mode in modes
    }
    if as_json:
        _emit({mode: r for mode, r in results.items()})
    else:
        click.echo(format_table(results))
        missed = [d["id"] for d in results["hybrid"]["questions"] if d["rank"] != 1]
        click.echo(f"\nHybrid, frågor utan rätt träff på plats 1: {', '.join(missed) or 'inga'}")


def _register() -> None:
    """Commands that live beside their stage: onboarding (intro), answering, lint, the UI."""
    from assistant.access.cli import audit_command, users_command
    from assistant.answering.cli import ask_command, eval_answer_command
    from assistant.intro.cli import glossary_command, map_command, roles_command, starters_command
    from assistant.lint.cli import eval_lint_command, lint_command
    from ui.server import serve_command

    for command in (
        ask_command,
        roles_command,
        glossary_command,
        map_command,
        starters_command,
        lint_command,
        serve_command,
        users_command,
        audit_command,
    ):
        main.add_command(command)
    eval_group.add_command(eval_answer_command)
    eval_group.add_command(eval_lint_command)


_register()


if __name__ == "__main__":  # pragma: no cover
    main()

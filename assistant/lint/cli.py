"""Click commands `styrdok lint` and `styrdok eval lint` (wired into the main group by assistant.cli)."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import click

from assistant.api import Linter, load_rules
from assistant.errors import StyrdokError
from assistant.lint.report import DraftResult, render_html, render_json, render_markdown, render_text
from assistant.models import Severity
from assistant.protocols import Searcher


def _warn(message: str) -> None:
    click.echo(f"Varning: {message}", err=True)


def _open_searcher(index_dir: Path | None) -> Searcher | None:
    """The user's index as a searcher, or None (with one Swedish warning) when it is missing or empty."""
    try:
        if index_dir is None:
            from assistant.settings import Settings

            index_dir = Path(Settings().index)
        if not Path(index_dir).is_dir():
            _warn(
                f"hittade inget index i {index_dir}; fynden visas utan källhänvisningar. "
                "Bygg ett index med 'styrdok ingest' eller ange --index."
            )
            return None
        from assistant.api import Styrdok

        api = Styrdok.open(index_dir)
        if not api.documents():
            _warn(f"indexet i {index_dir} är tomt; fynden visas utan källhänvisningar.")
            return None
        return api
    except Exception as exc:  # noqa: BLE001 - lint must run without sources
        _warn(f"kunde inte öppna indexet ({exc}); fynden visas utan källhänvisningar.")
        return None


def _comment_targets(out: Path, drafts: list) -> list[Path]:
    """OUT for a single draft (or the only DOCX draft); OUT_<draft>.docx for the others."""
    docx_drafts = [d for d in drafts if d.name.lower().endswith(".docx")]
    sole = drafts[0] if len(drafts) == 1 else (docx_drafts[0] if len(docx_drafts) == 1 else None)
    return [out if d is sole else out.with_name(f"{out.stem}_{Path(d.name).stem}.docx") for d in drafts]


@click.command("lint")
@click.argument("drafts", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--rules",
    "rules_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Mapp med egna regelfiler (YAML); de läggs till eller ersätter inbyggda regler med samma id.",
)
@click.option(
    "--index",
    "index_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Index att hämta källhänvisningar ur (standard: STYRDOK_INDEX eller .styrdok/index).",
)
@click.option("--no-sources", is_flag=True, help="Hämta inga källhänvisningar.")
@click.option(
    "--kind",
    "kind",
    metavar="SLAG",
    help="Ange dokumentslaget i stället för att läsa det ur texten: lov, lou_valfard, lou, ramavtal, avrop, "
    "kontrakt, uppdragsbeskrivning eller okand (alla regler). Egna slag kan läggas i --rules.",
)
@click.option("--json", "as_json", is_flag=True, help="Skriv fynden som JSON.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "html"]),
    default="text",
    show_default=True,
    help="Rapportformat på skärmen eller i --report.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Skriv rapporten till en fil (.md eller .html).",
)
@click.option(
    "--docx-comments",
    "docx_out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Spara en kopia av utkastet med varje fynd som Word-kommentar.",
)
def lint_command(drafts, rules_dir, index_dir, no_sources, kind, as_json, fmt, report_path, docx_out) -> None:
    """Granska utkast till förfrågningsunderlag mot policyprinciper.

    Varje utkast klassas först (LOV, LOU, avrop, kontrakt, uppdragsbeskrivning …) så att bara de
    regler som hör till slaget körs; klassningen och skälet visas i rapporten.
    Slutkod 1 när något fynd är ett fel, 2 när ett utkast eller en regelfil inte kan läsas.
    """
    from assistant.lint.classify import check_kind, classify, forced, kinds_for

    try:
        rules = load_rules(rules_dir)
        kinds = kinds_for(rules_dir)
        if kind is not None:
            check_kind(kind, kinds)  # an unknown kind stops before any draft is read
    except StyrdokError as exc:
        click.echo(f"Fel: {exc}", err=True)
        sys.exit(2)
    linter = Linter(None if no_sources else _open_searcher(index_dir), rules=rules)
    results: list[DraftResult] = []
    parsed = {}
    unreadable = False
    for path in drafts:
        try:
            review = linter.review(path)
            # The review classified the draft with the built-in kinds; --kind or the user's own kinds
            # decide instead (sources are cached, so the second run searches nothing).
            chosen = forced(kind, review.draft, kinds) if kind else classify(review.draft, kinds)
            if chosen.kind != review.draft.classification.kind:
                review.draft.classification = chosen
                review = linter.review_draft(review.draft)
            else:
                review.draft.classification = chosen
        except StyrdokError as exc:
            unreadable = True
            click.echo(f"Fel: {exc}", err=True)
            results.append(DraftResult(draft=Path(path).name, path=str(path), error=str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - one broken draft must not stop the others
            unreadable = True
            message = f"{Path(path).name}: kunde inte granskas ({type(exc).__name__}: {exc})."
            click.echo(f"Fel: {message}", err=True)
            results.append(DraftResult(draft=Path(path).name, path=str(path), error=message))
            continue
        parsed[len(results)] = review.draft
        results.append(DraftResult.build(review.draft, review.findings))

    if linter.source_errors:
        _warn(f"sökningen efter källor misslyckades ({linter.source_errors[0]}); vissa fynd saknar källhänvisning.")
    if as_json:
        click.echo(render_json(results))
    elif fmt == "md" and report_path is None:
        click.echo(render_markdown(results), nl=False)
    elif fmt == "html" and report_path is None:
        click.echo(render_html(results), nl=False)
    else:
        click.echo(render_text(results, color=sys.stdout.isatty()), nl=False)
    if report_path is not None:
        kind = fmt if fmt != "text" else ("html" if report_path.suffix.lower() in (".html", ".htm") else "md")
        report_path.write_text(render_html(results) if kind == "html" else render_markdown(results), encoding="utf-8")
        click.echo(f"Rapporten sparades i {report_path}.", err=True)
    if docx_out is not None:
        _write_comments(results, parsed, docx_out)

    if unreadable:
        sys.exit(2)
    if any(f.severity == Severity.error for r in results for f in r.findings):
        sys.exit(1)


def _write_comments(results: list[DraftResult], parsed: dict, out: Path) -> None:
    from assistant.lint.docx_comments import write_commented_docx

    targets = _comment_targets(out, list(parsed.values()))
    for (i, draft), target in zip(parsed.items(), targets, strict=True):
        source = Path(draft.path)
        if source.suffix.lower() != ".docx":
            _warn(f"{draft.name} är ingen DOCX-fil; kommentarerna läggs i en DOCX-version av texten.")
        try:
            count = write_commented_docx(results[i].findings, target, source=source, draft=draft)
        except Exception as exc:  # noqa: BLE001 - the report is already written
            click.echo(f"Fel: {draft.name}: kunde inte skriva {target.name} ({exc}).", err=True)
            continue
        click.echo(f"{count} kommentarer sparades i {target}.", err=True)


@click.command("lint")
@click.option(
    "--labels",
    "labels_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="JSONL med kända defekter (draft, rule, quote eller missing).",
)
@click.option(
    "--drafts", "drafts_dir", required=True, type=click.Path(path_type=Path, file_okay=False), help="Mapp med utkasten."
)
@click.option(
    "--rules", "rules_dir", type=click.Path(path_type=Path, file_okay=False), help="Mapp med egna regelfiler."
)
@click.option("--convert", type=click.Choice(["pdf", "docx"]), help="Konvertera Markdown-utkasten först.")
@click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON.")
def eval_lint_command(labels_path, drafts_dir, rules_dir, convert, as_json) -> None:
    """Precision och recall per regel för granskningen, mot märkta utkast."""
    from assistant.lint.evaluate import evaluate, render_eval

    for path, what in ((labels_path, "etikettfilen"), (drafts_dir, "utkastmappen")):
        if not Path(path).exists():
            click.echo(f"Fel: {what} {path} finns inte.", err=True)
            sys.exit(2)
    try:
        from assistant.lint.classify import kinds_for

        rules = load_rules(rules_dir)
        kinds = kinds_for(rules_dir)
        with tempfile.TemporaryDirectory(prefix="styrdok-lint-") as tmp:
            folder = _converted(drafts_dir, Path(tmp), convert) if convert else drafts_dir
            report = evaluate(labels_path, folder, rules, kinds=kinds)
    except StyrdokError as exc:
        click.echo(f"Fel: {exc}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_eval(report), nl=False)


def _converted(source: Path, target: Path, kind: str) -> Path:
    from assistant.lint.convert import markdown_to_docx, markdown_to_pdf

    for path in sorted(source.iterdir()):
        if path.suffix.lower() in (".md", ".markdown", ".txt"):
            text = path.read_text(encoding="utf-8")
            out = target / f"{path.stem}.{kind}"
            (markdown_to_pdf if kind == "pdf" else markdown_to_docx)(text, out)
    return target

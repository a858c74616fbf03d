"""`styrdok ask` and `styrdok eval answer`: click commands the main CLI group mounts."""

from __future__ import annotations

import json
from pathlib import Path

import click

from assistant.cli_options import index_option
from assistant.errors import StyrdokError
from assistant.models import Answer, Citation, DocumentKind

INDEX_OPTION = index_option()


def _open(index: Path | None, k: int, llm: bool):
    """The index through the API; with --llm the configured language model (an error if none is set)."""
    from assistant.api import Styrdok, configured_chat_model

    chat_model = configured_chat_model(required=True) if llm else None
    return Styrdok.open(index, chat_model=chat_model, k=k)


def _kinds(kinds: tuple[str, ...]) -> list[DocumentKind] | None:
    for kind in kinds:
        if kind not in DocumentKind.__members__:
            raise StyrdokError(f"Okänd dokumenttyp '{kind}'. Välj bland: {', '.join(DocumentKind.__members__)}.")
    return [DocumentKind(k) for k in kinds] or None


def _where(c: Citation) -> str:
    parts = [c.title]
    if c.page is not None:
        parts.append(f"s. {c.page}")
    if c.section:
        parts.append(c.section)
    return ", ".join(parts) + f" ({c.doc})"


def _labels(c: Citation) -> str:
    labels = []
    if c.is_quote_of_person:
        labels.append("citat ur intervju – en åsikt, inte en regel")
    if c.repealed:
        labels.append("upphävd källa")
    if c.also_in:
        labels.append("samma text även i " + ", ".join(c.also_in))
    return f" [{'; '.join(labels)}]" if labels else ""


def _plain(quote: str) -> str:
    return " ".join(quote.split()).strip('”“"')


def format_answer(answer: Answer) -> str:
    """The answer for a person: text, numbered sources with quotes, trust notes."""
    lines = [answer.text, ""]
    if answer.resolved_question:
        lines.insert(0, f"(Tolkad fråga: {answer.resolved_question})\n")
    if answer.abstained:
        if answer.nearest:
            lines.append("Närmaste textavsnitt:")
            for i, c in enumerate(answer.nearest, start=1):
                lines.append(f"  {i}. {_where(c)}{_labels(c)}")
                lines.append(f"     ”{_plain(c.quote)[:400]}”")
    else:
        lines.append("Källor:")
        for i, c in enumerate(answer.citations, start=1):
            lines.append(f"  [{i}] {_where(c)}{_labels(c)}")
            lines.append(f"      ”{_plain(c.quote)}”")
    if answer.notes:
        lines.append("")
        lines.extend(f"Obs: {n}" for n in answer.notes)
    return "\n".join(lines).rstrip()


def _public(answer: Answer, qid=None, with_id: bool = False) -> dict:
    out: dict = {"id": qid} if with_id else {}
    out.update(
        {
            "answer": answer.text,
            "abstained": answer.abstained,
            "citations": [c.public() for c in answer.citations],
        }
    )
    return out


def _details(answer: Answer) -> dict:
    """What a person reading the answer also sees: the question as it was read (a follow-up made self-contained),
    the trust notes, and on an abstention the nearest passages ("Närmast i dokumenten ...")."""
    return {
        "resolved_question": answer.resolved_question,
        "notes": answer.notes,
        "nearest": [c.public() for c in answer.nearest],
    }


@click.command(name="ask")
@click.argument("question", required=False)
@click.option(
    "--batch", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="JSONL med id och question."
)
@click.option("--json", "as_json", is_flag=True, help="Skriv svaret som JSON (en rad per fråga med --batch).")
@INDEX_OPTION
@click.option("--k", "k", default=8, show_default=True, help="Antal textavsnitt att svara utifrån.")
@click.option("--kind", "kinds", multiple=True, help="Sök bara i en dokumenttyp (policy, lag, avtal, ...).")
@click.option("--folder", help="Svara bara ur dokument i den här mappen (t.ex. en enhets rutiner: Hemtjänst).")
@click.option(
    "--llm", is_flag=True, help="Formulera svaret med språkmodellen i STYRDOK_LLM_* (verifieras mot källorna)."
)
@click.option(
    "--details",
    is_flag=True,
    help="Med --batch --json: lägg till hur frågan lästes, noteringar och de närmaste textavsnitten när svaret uteblir "
    "(fälten resolved_question, notes, nearest).",
)
def ask_command(question, batch, as_json, index, k, kinds, folder, llm, details) -> None:
    """Besvara en fråga med källhänvisningar, eller säg att dokumenten inte ger stöd."""
    if not question and not batch:
        raise click.UsageError("Ange en fråga eller --batch FIL.")
    kind_list = _kinds(kinds)
    api = _open(index, k, llm)
    if batch:
        conversations: dict = {}  # lines with the same "conversation" value are one conversation, in file order
        for n, line in enumerate(Path(batch).read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text = row["question"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise StyrdokError(f"{Path(batch).name}, rad {n}: förväntade JSON med fälten id och question.") from exc
            key = row.get("conversation")
            conversation = conversations.setdefault(str(key), api.conversation()) if key not in (None, "") else None
            answer = api.ask(text, kinds=kind_list, conversation=conversation, folder=folder)
            if as_json:
                out = _public(answer, row.get("id"), with_id=True)
                if details:  # the contract's four fields stay as they are; these come after them
                    out.update(_details(answer))
                click.echo(json.dumps(out, ensure_ascii=False))
            else:
                click.echo(f"## {row.get('id', n)}: {text}\n{format_answer(answer)}\n")
        return
    answer = api.ask(question, kinds=kind_list, folder=folder)
    if as_json:
        out = {"question": question, **_public(answer), **_details(answer)}
        if not details:
            del out["resolved_question"]  # one question's JSON always had the notes and the nearest passages
        click.echo(json.dumps(out, ensure_ascii=False))
    else:
        click.echo(format_answer(answer))


@click.command(name="answer")
@click.option("--questions", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True)
@INDEX_OPTION
@click.option("--k", "k", default=8, show_default=True, help="Antal textavsnitt att svara utifrån.")
@click.option("--llm", is_flag=True, help="Utvärdera det generativa läget (STYRDOK_LLM_*).")
@click.option("--json", "as_json", is_flag=True, help="Hela rapporten som JSON.")
@click.option("--verbose", is_flag=True, help="Visa varje fråga med svar och missade nyckelord.")
def eval_answer_command(questions, index, k, llm, as_json, verbose) -> None:
    """Nyckelords-recall, källprecision och avstående per frågetyp."""
    from assistant.answering.evaluate import duplicate_groups, evaluate, load_questions, report_sv

    api = _open(index, k, llm)
    items = load_questions(questions)
    report = evaluate(api.answerer(), items, duplicate_groups(api.library))
    if as_json:
        click.echo(report.model_dump_json())
        return
    click.echo(report_sv(report))
    if verbose:
        for r in report.results:
            mark = "AVSTÅR" if r.abstained else f"recall {r.key_recall if r.key_recall is not None else '–'}"
            click.echo(f"\n{r.id} [{r.type}] {mark}, källor {r.correct_citations}/{r.citations}: {r.question}")
            click.echo(f"  {r.answer[:500]}")
            if r.missing_keys:
                click.echo(f"  saknas: {', '.join(r.missing_keys)}")


@click.group()
def _standalone() -> None:
    """Answering commands on their own (before they are mounted in `styrdok`)."""


_standalone.add_command(ask_command)
_standalone.add_command(eval_answer_command, name="eval-answer")

if __name__ == "__main__":  # pragma: no cover - `python -m assistant.answering.cli ask ...`
    _standalone()

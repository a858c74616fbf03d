"""Collections through the API: two users, the same questions, different answers; and nothing of a document
a user cannot read (title, id, quote, count) in anything they get back. Writes checked by role."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.access.models import Principal, Role
from assistant.api import Styrdok
from assistant.errors import StyrdokError

PUBLIC = {
    "policy.md": (
        "# Policy för valfrihetssystem\n\n## 4. Uppföljning\n\nSocialnämnden ska följa upp alla avtal med privata "
        "utförare minst en gång per år.\n\n## 5. Konkurrensneutralitet\n\nKommunens egen regi och privata utförare "
        "ska behandlas lika och ha samma villkor och samma ersättning.\n\n## 6. Begrepp\n\nMed ickevalsalternativ "
        "avses den utförare som tilldelas den som inte själv väljer.\n"
    ),
    # The same booklet in two collections: a copy here, the other in the hidden collection below.
    "vagledning.md": (
        "# Vägledning om uppföljning\n\nUppföljningen ska vara regelbunden och resultaten ska återföras till "
        "utförarna och publiceras för medborgarna. Nämnden ska besluta om en plan för uppföljning varje år och "
        "redovisa den för fullmäktige. Avvikelser ska dokumenteras och åtgärdas inom en månad.\n"
    ),
}
# Titles and sentences that only these documents have: none of it may reach a user who cannot read them.
SECRET = {
    "Upphandling/anbud_norrby.md": {
        "title": "Anbudsutvärdering hemtjänst Norrbyholm 2027",
        "sentence": "Omsorgsbolaget Lindqvistgården AB lämnade det lägsta anbudet, 412 kronor per timme, och "
        "upphandlingschefen ska underteckna tilldelningsbeslutet för Norrbyholm senast den 3 mars.",
        "words": ["Norrbyholm", "Lindqvistgården", "412 kronor", "anbud_norrby"],
    },
    "Personal/rehab_karlsson.md": {
        "title": "Rehabiliteringsutredning undersköterska Mirjam Karlsbacka",
        "sentence": "Mirjam Karlsbacka ska omplaceras till nattpatrullen i Östervåla efter sjukskrivningen, och "
        "med arbetsanpassning avses här en tillfällig ändring av arbetstiderna.",
        "words": ["Karlsbacka", "Mirjam", "Östervåla", "rehab_karlsson"],
    },
}
COLLECTIONS = "default: Styrdokument\nfolders:\n  Upphandling: Upphandling pågående\n  Personal: Personalärenden\n"

BUYER = Principal(
    name="bo",
    role=Role.redaktor,
    read=frozenset({"Styrdokument", "Upphandling pågående"}),
    edit=frozenset({"Upphandling pågående"}),
)
ADMIN = Principal(name="ceci", role=Role.administrator, read=None, edit=None)
READS_PUBLIC = Principal(name="anna", role=Role.lasare, read=frozenset({"Styrdokument"}), edit=frozenset())


def secret_doc(doc: str) -> str:
    info = SECRET[doc]
    return f"# {info['title']}\n\n## Förslag\n\n{info['sentence']}\n\n## Bakgrund\n\n{PUBLIC['vagledning.md'][30:]}"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from assistant.embedding import HashingEmbedder

    folder = tmp_path_factory.mktemp("access_api")
    docs = folder / "docs"
    for name, text in PUBLIC.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    for name in SECRET:
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(secret_doc(name), encoding="utf-8")
    # The booklet copy lives in the procurement folder too (a hidden duplicate of a readable document).
    (docs / "Upphandling" / "vagledning_kopia.md").write_text(PUBLIC["vagledning.md"], encoding="utf-8")
    (docs / "collections.yaml").write_text(COLLECTIONS, encoding="utf-8")
    styrdok = Styrdok.open(folder / "index", embedder=HashingEmbedder())
    report = styrdok.ingest([docs])
    assert not report.skipped and len(report.added) == 5
    return styrdok


def hidden_traces(text: str, docs=SECRET) -> list[str]:
    found = []
    for doc, info in docs.items():
        for needle in [doc, info["title"], *info["words"], "vagledning_kopia"]:
            if needle.lower() in text.lower():
                found.append(needle)
    return found


def dump(obj) -> str:
    if hasattr(obj, "model_dump"):
        obj = obj.model_dump(mode="json")
    if isinstance(obj, list):
        obj = [o.model_dump(mode="json") if hasattr(o, "model_dump") else o for o in obj]
    return json.dumps(obj, ensure_ascii=False)


def answer_output(answer) -> str:
    """Everything an answer shows, without the user's own question echoed back."""
    return dump(answer.model_copy(update={"question": "", "resolved_question": None}))


def test_collections_come_from_the_folder_map(api):
    collection = {m.doc: m.collection for m in api.documents()}
    assert collection == {
        "policy.md": "Styrdokument",
        "vagledning.md": "Styrdokument",
        "Upphandling/anbud_norrby.md": "Upphandling pågående",
        "Upphandling/vagledning_kopia.md": "Upphandling pågående",
        "Personal/rehab_karlsson.md": "Personalärenden",
    }
    # A copy in another collection is its own document, not a duplicate that points across.
    assert all(m.duplicate_of is None for m in api.documents())


def test_two_users_get_different_answers_to_the_same_question(api):
    question = "Vem lämnade det lägsta anbudet för hemtjänsten i Norrbyholm?"
    buyer = api.for_principal(BUYER).ask(question)
    reader = api.for_principal(READS_PUBLIC).ask(question)
    assert not buyer.abstained and "Lindqvistgården" in buyer.text
    assert buyer.citations[0].doc == "Upphandling/anbud_norrby.md"
    assert reader.abstained
    assert hidden_traces(answer_output(reader)) == []


def test_a_question_answered_from_readable_documents_is_the_same_for_both(api):
    question = "Hur ofta ska socialnämnden följa upp avtalen med privata utförare?"
    reader = api.for_principal(READS_PUBLIC).ask(question)
    admin = api.for_principal(ADMIN).ask(question)
    assert not reader.abstained and reader.citations[0].doc == "policy.md"
    assert reader.text == admin.text


@pytest.mark.parametrize("hidden", sorted(SECRET))
def test_leak_titles_and_sentences_of_hidden_documents_leave_no_trace(api, hidden):
    """The leak test: a hidden document's own title and a sentence from it, asked every way a reader can."""
    reader = api.for_principal(READS_PUBLIC)
    info = SECRET[hidden]
    outputs = []
    for question in (info["title"], info["sentence"], f"Vad står det i {info['title']}?", hidden):
        conversation = reader.conversation()
        outputs.append(answer_output(reader.ask(question, conversation=conversation)))
        outputs.append(answer_output(reader.ask("Och vad mer?", conversation=conversation)))
        outputs.append(dump([h.model_dump(mode="json") for h in reader.search(question, k=20)]))
        outputs.append(dump(reader.search(question, k=20, docs=[hidden])))
        outputs.append(dump(reader.search(question, k=5, mode="lexical")))
        outputs.append(dump(reader.describe(text=question)))
    outputs += [dump(reader.roles()), dump(reader.glossary()), dump(reader.documents()), dump(reader.describe())]
    outputs += [dump(reader.folder_counts()), dump(reader.chunk_counts()), dump(reader.collections())]
    outputs += [dump(reader.find_documents(folder="Upphandling")), dump(reader.resolve(hidden.rsplit("/", 1)[-1]))]
    outputs.append(dump(reader.linter().review_text(f"# Utkast\n\n## 1. Krav\n\n{info['sentence']}").findings))
    with pytest.raises(StyrdokError) as error:
        reader.source(hidden)
    assert str(error.value) == f"{hidden}: dokumentet finns inte i indexet."  # the same as for no document
    assert reader.document(hidden) is None and reader.find_documents(collection="Personalärenden") == []
    leaks = [(n, hidden_traces(text)) for n, text in enumerate(outputs) if hidden_traces(text)]
    assert leaks == []


def test_counts_are_of_readable_documents_only(api):
    reader = api.for_principal(READS_PUBLIC)
    assert len(reader.documents()) == 2 and reader.folder_counts() == {"": 2}
    assert set(reader.chunk_counts()) == {"policy.md", "vagledning.md"}
    done, total = reader.vector_progress()
    assert total == sum(reader.chunk_counts().values()) < sum(api.chunk_counts().values())
    assert reader.state_token() != api.for_principal(BUYER).state_token()


def test_the_readable_copy_is_cited_not_the_hidden_one(api):
    """The booklet exists in both collections: the reader's hit is their own copy and names no other."""
    question = "Hur snabbt ska avvikelser åtgärdas?"
    reader_hits = api.for_principal(READS_PUBLIC).search(question, k=5)
    assert reader_hits[0].chunk.doc == "vagledning.md"
    assert all(not h.also_in or set(h.also_in) <= {"policy.md", "vagledning.md"} for h in reader_hits)
    admin_docs = {h.chunk.doc for h in api.for_principal(ADMIN).search(question, k=5)} | {
        d for h in api.for_principal(ADMIN).search(question, k=5) for d in h.also_in
    }
    assert "Upphandling/vagledning_kopia.md" in admin_docs  # it is there for those who may read it


def test_intro_is_built_per_set_of_collections(api):
    reader_terms = {e.term.lower() for e in api.for_principal(READS_PUBLIC).glossary()}
    buyer = api.for_principal(BUYER)
    assert "ickevalsalternativ" in reader_terms
    assert hidden_traces(dump(api.for_principal(READS_PUBLIC).roles())) == []
    assert any("Upphandling/anbud_norrby.md" in dump(r) for r in buyer.roles())
    # Separate caches: the reader's is not the buyer's, and neither is the whole index's.
    folder = api.folder / "intro"
    assert len(list(folder.glob("*/intro_cache.json"))) >= 2


def test_a_reader_may_not_add_or_remove(api, tmp_path):
    reader = api.for_principal(READS_PUBLIC)
    new = tmp_path / "ny.md"
    new.write_text("# Ny rutin\n\nPersonalen ska kvittera nycklar.\n", encoding="utf-8")
    with pytest.raises(StyrdokError, match="anna är läsare och får inte lägga till"):
        reader.ingest([new], collection="Styrdokument")
    with pytest.raises(StyrdokError, match="får inte"):
        reader.remove(["policy.md"])
    assert api.document("policy.md") is not None


def test_an_editor_changes_only_the_collections_they_edit(api, tmp_path):
    buyer = api.for_principal(BUYER)
    new = tmp_path / "tidplan.md"
    new.write_text("# Tidplan upphandling\n\nTilldelning sker i vecka 12 efter utvärderingen.\n", encoding="utf-8")
    with pytest.raises(StyrdokError, match="bo får inte ändra dokument i samlingen Styrdokument"):
        buyer.ingest([new], collection="Styrdokument")
    with pytest.raises(StyrdokError, match="enskilda filer i en namngiven samling"):
        buyer.ingest([new])
    report = buyer.ingest([new], collection="Upphandling pågående")
    assert report.added == ["tidplan.md"] and api.document("tidplan.md").collection == "Upphandling pågående"
    with pytest.raises(StyrdokError, match="bo får inte ändra dokument i samlingen Styrdokument"):
        buyer.remove(["policy.md"])
    # A document they cannot read is simply not there for them: nothing removed, nothing said about it.
    assert buyer.remove(["Personal/rehab_karlsson.md"]) == []
    assert api.document("Personal/rehab_karlsson.md") is not None
    assert buyer.remove(["tidplan.md"]) == ["tidplan.md"]
    entries = [(e["actor"], e["action"], e["target"]) for e in api.audit.entries()]
    assert ("bo", "document.add", "tidplan.md") in entries and ("bo", "document.remove", "tidplan.md") in entries
    assert api.audit.verify() is None


def test_an_editor_may_not_move_a_hidden_document_into_their_collection(api, tmp_path):
    """The same file again, into a collection the editor edits: skipped, and the document stays where it was."""
    secret = tmp_path / "lonekartlaggning.md"
    secret.write_text("# Lönekartläggning\n\nLönerna i hemtjänsten ses över i april.\n", encoding="utf-8")
    assert api.for_principal(ADMIN).ingest([secret], collection="Personalärenden").added == ["lonekartlaggning.md"]
    report = api.for_principal(BUYER).ingest([secret], collection="Upphandling pågående")
    assert not report.added and not report.updated and "samling du inte får ändra" in report.skipped[0].reason
    assert api.document("lonekartlaggning.md").collection == "Personalärenden"
    api.for_principal(ADMIN).remove(["lonekartlaggning.md"])


def test_cli_ingest_names_the_collection_and_lists_per_collection(tmp_path):
    from assistant.cli import main

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# A\n\nSocialnämnden ska följa upp avtalen.\n", encoding="utf-8")
    index = str(tmp_path / "index")
    runner = CliRunner()
    env = {"STYRDOK_EMBEDDER": "none"}
    result = runner.invoke(
        main, ["ingest", str(tmp_path / "docs"), "--index", index, "--collection", "Rutiner"], env=env
    )
    assert result.exit_code == 0, result.output
    out = runner.invoke(main, ["docs", "--collections", "--json", "--index", index], env=env)
    assert json.loads(out.output) == {"Rutiner": 1}
    docs = json.loads(runner.invoke(main, ["docs", "--json", "--index", index], env=env).output)
    assert set(docs[0]) == {
        "doc",
        "title",
        "kind",
        "pages",
        "chunks",
        "status",
        "issuer",
        "date",
        "folder",
        "decided_by",
        "decided_on",
        "owner",
    }  # the `docs --json` contract keeps its shape
    # Ingesting the same folder into another collection moves it (an update, audited).
    result = runner.invoke(
        main, ["ingest", str(tmp_path / "docs"), "--index", index, "--collection", "Styrdokument"], env=env
    )
    assert "1 uppdaterade" in result.output
    bad = runner.invoke(main, ["ingest", str(tmp_path / "docs"), "--index", index, "--collection", "../x"], env=env)
    assert bad.exit_code == 2 and "Samlingsnamnet '../x' går inte att använda" in bad.output
    log = runner.invoke(main, ["audit", "--json", "--index", index], env=env)
    actions = [json.loads(line)["action"] for line in log.output.splitlines()]
    assert actions == ["document.add", "document.update"]


def test_cli_users_commands(tmp_path):
    from assistant.cli import main

    index = str(tmp_path / "index")
    runner = CliRunner()
    add = runner.invoke(
        main,
        ["users", "add", "anna", "--role", "redaktör", "--edit", "Rutiner", "--password-stdin", "--index", index],
        input="ett-långt-lösenord\n",
    )
    assert add.exit_code == 0 and "anna är tillagd som redaktör" in add.output
    assert (
        runner.invoke(main, ["users", "add", "bo", "--role", "redaktör", "--index", index, "--no-password"]).exit_code
        == 2
    )  # an editor needs a collection
    listed = json.loads(runner.invoke(main, ["users", "list", "--json", "--index", index]).output)
    assert listed[0]["name"] == "anna" and listed[0]["edit"] == ["Rutiner"] and listed[0]["password"] is True
    assert "$argon2" not in json.dumps(listed)
    short = runner.invoke(main, ["users", "passwd", "anna", "--password-stdin", "--index", index], input="kort\n")
    assert short.exit_code == 2 and "minst 10 tecken" in short.output
    grant = runner.invoke(main, ["users", "grant", "anna", "--role", "läsare", "--read", "Rutiner", "--index", index])
    assert "anna: läsare; läser Rutiner" in grant.output
    token = runner.invoke(main, ["users", "token", "anna", "--index", index]).output.strip()
    assert token.startswith("styrdok_") and token not in Path(index, "users.json").read_text(encoding="utf-8")
    assert runner.invoke(main, ["users", "remove", "anna", "--index", index]).exit_code == 0
    assert runner.invoke(main, ["users", "remove", "anna", "--index", index]).exit_code == 2
    verify = runner.invoke(main, ["audit", "--verify", "--index", index])
    assert verify.exit_code == 0 and "hel" in verify.output


def test_answers_use_the_answerer_s_measured_number_of_passages_unless_told(api):
    """One default for how many passages an answer is cut from (answering.service.PASSAGES, measured), for every
    user's view of the index; an explicit k still wins."""
    from assistant.answering.service import PASSAGES

    reader = api.for_principal(READS_PUBLIC)
    assert api.answerer().k == reader.answerer().k == PASSAGES
    assert api.answerer(k=3).k == 3
    assert Styrdok(api.library, k=5).answerer().k == 5

"""The map: relations read from role statements, boxes summarised, and the map drawn on the shared corpus."""

from __future__ import annotations

import pytest
from test_intro_fakes import CORPUS, corpus_roles

from assistant.errors import RuleFileError
from assistant.intro.mapdata import load_map_config
from assistant.intro.models import RoleStatement, SourceType
from assistant.intro.relations import RelationReader, build_map
from assistant.models import Citation

needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")


@pytest.fixture(scope="module")
def reader():
    return RelationReader()


@pytest.mark.parametrize(
    ("sentence", "subject", "expected"),
    [
        (
            "Fullmäktige är skyldiga att alltid följa upp och kontrollera verksamhet som genom avtal utförs av "
            "privata utförare.",
            "fullmaktige",
            {("foljer_upp", "utforare")},
        ),
        (
            "Fullmäktige får uppdra åt en nämnd att besluta i ett visst ärende.",
            "fullmaktige",
            {("ger_uppdrag", "namnd")},
        ),
        (
            "Styrelsen ska leda och samordna förvaltningen och ha uppsikt över övriga nämnders verksamhet.",
            "kommunstyrelse",
            {("foljer_upp", "namnd")},
        ),
        (
            "Inspektionen för vård och omsorg utövar tillsyn över all verksamhet som bedrivs enligt denna lag.",
            "ivo",
            {("tillsyn", "egen_regi"), ("tillsyn", "utforare")},
        ),
        (
            "Den enskilde kan välja mellan kommunens hemtjänst och hemtjänst i privat regi.",
            "medborgare",
            {("valjer", "egen_regi"), ("valjer", "utforare")},
        ),
        (
            # The provider is named before the verb: "följa upp verksamheten" is about it, not about egen regi.
            "När skötseln av en kommunal angelägenhet genom avtal har lämnats över till en privat utförare, ska "
            "kommunen kontrollera och följa upp verksamheten.",
            "huvudman",
            {("ger_uppdrag", "utforare"), ("foljer_upp", "utforare")},
        ),
        (
            "Den upphandlande myndigheten ska godkänna samtliga sökande som uppfyller kraven.",
            "forvaltning",
            {("beslutar_om", "utforare")},
        ),
    ],
)
def test_relations_name_the_box_acted_upon(reader, sentence, subject, expected):
    found = {(r.relation, r.target) for r in reader.read(sentence, {subject}) if r.target}
    assert found == expected


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [
        # Passive with agent: the named box decides, it is not decided upon.
        ("Beslut om avtal fattas av ansvarig nämnd eller ledningsperson inom en godkänd utförare.", "namnd"),
        # Only citizens choose; the authority does not "choose" the provider here.
        (
            "För den enskilde som inte väljer leverantör ska myndigheten tillhandahålla ett ickevalsalternativ.",
            "forvaltning",
        ),
        # The operations do not follow up citizens.
        ("Verksamheten ska följa upp att arbetet med den enskilde utförs enligt planen.", "egen_regi"),
        # Handing over copies of documents is not giving a mission.
        ("Verksamheten kan lämna över kopior av dokument till brukaren.", "egen_regi"),
    ],
)
def test_no_relation_where_the_words_do_not_state_one(reader, sentence, subject):
    assert [r for r in reader.read(sentence, {subject}) if r.target] == []


def test_decisions_without_a_box_keep_their_topic(reader):
    relations = reader.read(
        "Kommunfullmäktige beslutar om att inrätta och utveckla ett valfrihetssystem.", {"fullmaktige"}
    )
    assert relations and relations[0].target is None and "valfrihetssystem" in relations[0].topics


def _role(actor: str, text: str, stype=SourceType.policy, docs=("a.md",)) -> RoleStatement:
    sources = [Citation(doc=d, title=d, quote=text) for d in docs]
    return RoleStatement(
        actor=actor, actor_label=actor, modality="skyldighet", text=text, source_type=stype, sources=sources
    )


def test_boxes_summarise_and_edges_keep_their_statements():
    roles = [
        _role("namnd", "Nämnden ska följa upp alla verksamheter som utför insatser i kommunen."),
        _role("namnd", "Nämnden ska följa upp alla verksamheter som utför insatserna i kommunen varje år."),
        _role("namnd", "Nämnden ansvarar för att lämna information om samtliga utförare."),
        _role("namnd", "Nämnden beslutar om ersättningsnivåer.", SourceType.law, ("lag.md", "b.md")),
        _role("ivo", "IVO utövar tillsyn över socialtjänsten."),
    ]
    role_map = build_map(roles)
    namnd = role_map.node("namnd")
    assert len(namnd.statements) == 4
    # The law first; the second near-copy of the follow-up sentence is left out of the summary, not dropped.
    assert namnd.statements[0] == 3 and 1 in namnd.statements and 1 not in namnd.summary
    assert ("ersättning", 1) in namnd.topics
    edges = {(e.source, e.target, e.relation): e.statements for e in role_map.edges}
    assert edges[("namnd", "utforare", "foljer_upp")] == [0, 1]
    assert edges[("ivo", "egen_regi", "tillsyn")] == [4]
    assert role_map.node("fullmaktige") is None  # no statements, no box


def test_a_broken_map_file_names_itself(tmp_path):
    bad = tmp_path / "map.yaml"
    text = load_map_config().model_dump_json(exclude={"digest"})
    bad.write_text(text.replace('"pattern":"fullmäktige"', '"pattern":"fullmäktige("'), encoding="utf-8")
    with pytest.raises(RuleFileError, match="map.yaml"):
        load_map_config(bad)


@needs_corpus
def test_the_map_of_the_shared_corpus():
    roles = corpus_roles()
    role_map = build_map(roles)
    ids = [n.id for n in role_map.nodes]
    assert {
        "fullmaktige",
        "kommunstyrelse",
        "namnd",
        "forvaltning",
        "egen_regi",
        "utforare",
        "ivo",
        "medborgare",
    } <= set(ids)
    edges = {(e.source, e.target, e.relation): e for e in role_map.edges}
    expected = [
        ("fullmaktige", "utforare", "foljer_upp"),
        ("fullmaktige", "namnd", "ger_uppdrag"),
        ("kommunstyrelse", "namnd", "foljer_upp"),
        ("namnd", "forvaltning", "ger_uppdrag"),
        ("ivo", "utforare", "tillsyn"),
        ("medborgare", "utforare", "valjer"),
        ("forvaltning", "utforare", "beslutar_om"),
    ]
    for key in expected:
        assert key in edges, key
    # Every edge is cited: each statement behind it has sources, and its text states the relation.
    for edge in role_map.edges:
        assert edge.statements and all(roles[i].sources for i in edge.statements)
    follow = [roles[i].text for i in edges[("fullmaktige", "utforare", "foljer_upp")].statements]
    assert any("följa upp och kontrollera verksamhet" in t for t in follow)
    # No box drowns the rest: the summary is short, and egen regi's many requirements are all still there.
    egen = role_map.node("egen_regi")
    assert len(egen.summary) <= 5 and len(egen.statements) > 100
    assert not any(e.source == "egen_regi" for e in role_map.edges)
    program = role_map.node("fullmaktige").topics[0][0]
    assert program == "program för uppföljning av privata utförare"

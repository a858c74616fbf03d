"""Know the document: classification from the draft's own text, `applies_to` in the rule files,
the table of kinds as data (validated, extendable), and which rules run on which kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import RuleFileError
from assistant.lint.classify import UNKNOWN, classify, forced
from assistant.lint.draft import parse_draft, read_draft
from assistant.lint.engine import lint_draft
from assistant.lint.rules import builtin_kinds, load_kind_file, load_kinds, load_rule_file, load_rules

DATA = Path(__file__).resolve().parent / "data" / "lint"
SHARED = Path(__file__).resolve().parents[2] / "shared"
RULES = load_rules()
WELFARE_RULES = {"insyn", "ickevalsalternativ", "lov_innehall", "ersattning", "konkurrensneutralitet"}


def kind_of(text: str) -> str:
    return classify(parse_draft(text, "utkast.md", "md")).kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "# Förfrågningsunderlag – Valfrihetssystem för hemtjänst\n\nNämnden inbjuder leverantörer att ansöka "
            "om godkännande enligt lag (2008:962) om valfrihetssystem.\n",
            "lov",
        ),
        (
            "# Avropsförfrågan IT-konsult\n\nDet här är en avropsförfrågan som genomförs med förnyad "
            "konkurrensutsättning enligt ramavtalet IT-konsulttjänster.\n",
            "avrop",
        ),
        (
            "# Upphandling av drift av äldreboendet Ekgården\n\nNämnden upphandlar driften enligt LOU. "
            "Anbudsgivaren ska ha tillstånd. Omsorg och omvårdnad ges enligt biståndsbeslut till brukarna.\n",
            "lou_valfard",
        ),
        (
            "# Upphandling av kontorsmaterial\n\nKommunen upphandlar kontorsmaterial enligt LOU. "
            "Anbudsgivaren ska lämna pris i prisbilagan. Kravspecifikation följer.\n",
            "lou",
        ),
        (
            "# Uppdragsbeskrivning hemtjänst\n\nVård- och omsorgsnämnden ger kommunens egen regi uppdraget.\n",
            "uppdragsbeskrivning",
        ),
        (
            "# Avtal om städtjänster\n\nParterna har träffat detta avtal. Avtalet har upprättats i två "
            "likalydande exemplar.\n",
            "kontrakt",
        ),
        ("# Anteckningar\n\nHär står inget som visar vad det är.\n", UNKNOWN),
    ],
)
def test_kind_is_read_from_the_text(text, kind):
    assert kind_of(text) == kind


def test_classification_gives_label_and_reason_with_the_wording():
    draft = parse_draft(
        "# Avropsförfrågan IT-konsult\n\nAvropet görs med förnyad konkurrensutsättning.\n", "utkast.md", "md"
    )
    result = classify(draft)
    assert result.label == "Avrop från ramavtal (förnyad konkurrensutsättning)"
    assert "”avropsförfrågan”" in result.reason and "förnyad konkurrensutsättning" in result.reason
    assert set(result.public()) == {"kind", "label", "reason", "welfare"}


def test_lov_mentioned_in_the_background_of_a_call_off_is_not_a_choice_system():
    text = (
        "# Avropsförfrågan systemutvecklare\n\nDenna avropsförfrågan avser avrop från ramavtalet och sker genom "
        "förnyad konkurrensutsättning.\n\n## Bakgrund\n\nRegionen har tre vårdval enligt lagen om valfrihet (LOV).\n"
    )
    assert kind_of(text) == "avrop"


def test_a_choice_system_is_always_a_welfare_service():
    draft = parse_draft("# Valfrihetssystem för städ enligt LOV\n\nLeverantörer ansöker om godkännande.\n", "x", "md")
    assert classify(draft).welfare is True


def test_forced_kind_and_unknown_kind():
    draft = parse_draft("# Valfrihetssystem enligt LOV\n", "x.md", "md")
    assert forced("avrop", draft).kind == "avrop" and forced("avrop", draft).reason == "angivet med --kind"
    assert forced(UNKNOWN, draft).kind == UNKNOWN
    with pytest.raises(Exception, match="Okänt dokumentslag 'ingen'"):
        forced("ingen", draft)


def _rules_on(text: str) -> set[str]:
    return {f.rule for f in lint_draft(parse_draft(text, "utkast.md", "md"), RULES)}


def test_no_lov_or_private_provider_rule_on_a_call_off():
    text = (
        "# Avropsförfrågan nätverkskonsult\n\nAvropet görs med förnyad konkurrensutsättning från ramavtalet; "
        "ramavtalets villkor gäller. Nämnden har ett valfrihetssystem enligt LOV för hemtjänst.\n\n"
        "## 1 Krav\n\n1.1 Konsulten ska ha minst tre års erfarenhet.\n"
    )
    assert not _rules_on(text) & (WELFARE_RULES | {"uppfoljning", "sanktioner"})


def test_missing_sections_are_reported_for_a_lov_draft_but_not_for_unknown_kinds_alone():
    lov = "# Valfrihetssystem för ledsagning enligt LOV\n\n## 1 Krav\n\n1.1 Utföraren ska ha tillstånd.\n"
    assert {"insyn", "uppfoljning", "sanktioner", "ersattning", "ickevalsalternativ"} <= _rules_on(lov)
    unknown = "# Utkast\n\n## 1 Krav\n\n1.1 Utföraren ska ha tillstånd.\n"
    assert {"insyn", "uppfoljning", "sanktioner", "ersattning"} <= _rules_on(unknown)  # unknown: every rule runs


def test_mission_description_is_not_asked_for_insyn_or_compensation():
    text = (
        "# Uppdragsbeskrivning boendestöd\n\nUppdraget gäller kommunens egen regi.\n\n## Uppföljning\n\n"
        "Nämnden följer upp verksamheten årligen. Verksamheten ska medverka i nämndens uppföljningar.\n"
    )
    assert not _rules_on(text) & {"insyn", "ersattning", "sanktioner", "uppfoljning", "ickevalsalternativ"}


def test_every_builtin_rule_names_only_known_kinds():
    ids = builtin_kinds().ids
    for rule in RULES:
        assert set(rule.applies_to) <= ids, rule.id
        for detector in rule.detectors:
            assert set(detector.applies_to) <= ids, rule.id


RULE = """\
id: egen_regel
title: Prov
severity: warning
principle: Prov.
applies_to: [lov, avropp]
detector:
  type: phrases
  items:
    - pattern: '\\butan tolk\\b'
      reason: tolk saknas
message: 'Problem: {reason}.'
fix: Erbjud tolk.
"""


def test_unknown_kind_in_applies_to_names_file_and_line(tmp_path):
    path = tmp_path / "regel.yaml"
    path.write_text(RULE, encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_rule_file(path)
    assert info.value.line == 5 and "avropp" in str(info.value) and "regel.yaml, rad 5" in str(info.value)


def test_user_kinds_table_adds_a_kind_that_rules_may_name(tmp_path):
    (tmp_path / "slag.yaml").write_text(
        "kinds:\n  - id: lss_bostad\n    label: Bostad med särskild service\n    signals:\n"
        "      - pattern: '\\bgruppbostad\\w*'\n        weight: 5\n        reason: en gruppbostad\n",
        encoding="utf-8",
    )
    (tmp_path / "regel.yaml").write_text(RULE.replace("avropp", "lss_bostad"), encoding="utf-8")
    kinds = load_kinds(tmp_path)
    assert "lss_bostad" in kinds.ids and "lov" in kinds.ids
    rules = {r.id: r for r in load_rules(tmp_path)}
    assert rules["egen_regel"].applies_to == ["lov", "lss_bostad"]
    draft = parse_draft("# Gruppbostad Eken\n\nI gruppbostaden bor fem personer.\n", "x.md", "md")
    assert classify(draft, kinds).kind == "lss_bostad"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("kinds:\n  - id: a\n    label: A\n    signals: []\n", 4, "signals"),
        ("kinds:\n  - id: a\n    label: A\n    signals:\n      - pattern: '(x'\n        reason: r\n", 5, "reguljärt"),
        ("kinds:\n  - id: Stor\n    label: A\n    signals:\n      - pattern: x\n        reason: r\n", 2, "id"),
    ],
)
def test_kinds_table_errors_name_file_and_line(tmp_path, text, line, words):
    path = tmp_path / "slag.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_kind_file(path)
    assert info.value.line == line and words in str(info.value)


def test_kinds_file_is_not_read_as_a_rule():
    assert "dokumentslag" not in {r.id for r in RULES}
    assert builtin_kinds().ids >= {"lov", "lou_valfard", "lou", "ramavtal", "avrop", "kontrakt", "uppdragsbeskrivning"}


REAL = {
    "forfragningsunderlag/adda-it-konsulttjanster-2021-upphandlingsdokument.pdf": "ramavtal",
    "forfragningsunderlag/botkyrka-fku-senior-it-konsult-dataskydd-ks-2023-00621.pdf": "avrop",
    "forfragningsunderlag/ljungby-fku-extern-webbplats-2023-0218.pdf": "avrop",
    "forfragningsunderlag/orebro-natverkskonsult-ks-1646-2024.pdf": "avrop",
    "forfragningsunderlag/region-dalarna-avrop-systemutvecklare-ersattningssystem-vardval-rs-2024-1807.pdf": "avrop",
    "forfragningsunderlag/vanersborg-it-konsulter-beslutsstod-dnr-2023-53.pdf": "avrop",
    "other/botkyrka-uppdragsbeskrivning-hemtjanst-egen-regi.md": "uppdragsbeskrivning",
}


@pytest.mark.skipif(not (SHARED / "corpus" / "forfragningsunderlag").is_dir(), reason="shared corpus not available")
@pytest.mark.parametrize(("name", "kind"), REAL.items(), ids=lambda v: Path(v).stem[:30] if "/" in v else v)
def test_real_tenders_are_classified_and_get_no_welfare_rules(name, kind):
    draft = read_draft(SHARED / "corpus" / name)
    findings = lint_draft(draft, RULES)
    assert draft.classification.kind == kind, draft.classification
    if kind in ("avrop", "ramavtal"):
        assert not {f.rule for f in findings} & WELFARE_RULES

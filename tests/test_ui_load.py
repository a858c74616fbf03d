"""A short run of the load test (eval/soak_ui.py, `make soak` runs it for two minutes).

20 concurrent gradio_client sessions against a real `styrdok serve` child process over the
bundled corpus (hashing embedder): every session must get its answers and its own review,
nothing may fail, and no transcript may show another session's question or answer.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))


def soak_module():
    import soak_ui

    return soak_ui


@pytest.mark.slow
@pytest.mark.integration
def test_twenty_concurrent_sessions_get_only_their_own_answers(tmp_path):
    result = soak_module().run_soak(sessions=20, seconds=8, embedder="hashing", report_dir=tmp_path)
    assert result["fel"] == []
    assert result["fel_session"] == []
    assert result["oväntade_svar"] == []
    assert result["sessioner_med_svar"] == 20 and len(result["varv_per_session"]) == 20
    for kind in ("fråga", "följdfråga", "granska"):
        assert result["per_typ"][kind]["antal"] >= 20
    saved = json.loads(next(tmp_path.glob("soak-*.json")).read_text(encoding="utf-8"))
    assert saved["förfrågningar"] == result["förfrågningar"]
    assert "Fel: 0; svar till fel session: 0" in next(tmp_path.glob("soak-*.md")).read_text(encoding="utf-8")


def test_a_transcript_with_another_sessions_question_is_caught():
    """The checker itself: a mixed-up transcript or answer must be reported, not passed."""
    soak = soak_module()
    tally = soak.Tally()
    mine = [("Vem beslutar?", "Nämnden."), (soak.FOLLOW_UP, "Förvaltningen.")]
    soak.check_conversation(1, mine, mine, "Vem beslutar?", tally)
    assert tally.wrong_session == [] and tally.unexpected == []
    soak.check_conversation(1, mine, [("Vad kostar kaffe?", "Nämnden."), mine[1]], "Vem beslutar?", tally)
    soak.check_conversation(1, mine, [mine[0], (soak.FOLLOW_UP, "Någon annan.")], "Vem beslutar?", tally)
    assert len(tally.wrong_session) == 1 and len(tally.unexpected) == 1
    transcript = (
        '<p class="question"><span class="sr-only">Fråga: </span>Vem &amp; när?</p>'
        '<div class="answer"><p class="answer-text">Nämnden <button class="cite-chip">[1]</button>.</p></div>'
    )
    assert soak.turns(transcript) == [("Vem & när?", "Nämnden.")]

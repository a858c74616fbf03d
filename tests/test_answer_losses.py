"""eval/answer_losses.py: the stages at which answerable questions are lost, counted from held-out entries."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))

from answer_losses import STAGES, funnel  # noqa: E402
from train_answering import highest, splits  # noqa: E402


def _entry(y, p, answerable=True, style="medborgare"):
    y, p = np.asarray(y, dtype=bool), np.asarray(p, dtype=float)
    support = (np.ones(len(y), dtype=bool), np.zeros(len(y), dtype=bool))
    return (p, y, support, answerable, style)


def test_each_question_is_counted_at_the_stages_it_passes():
    items = [{"id": f"q{n}", "group": f"q{n}"} for n in range(4)]
    entries = {
        "q0": (_entry([True, False], [0.9, 0.2]), np.array([2.0, 1.0])),  # gathered, ranked first, answered
        "q1": (_entry([False, True], [0.9, 0.2]), np.array([2.0, 1.0])),  # among the units, ranked second
        "q2": (_entry([False, False], [0.9, 0.2]), np.array([2.0, 1.0])),  # no unit holds the answer
        "q3": (_entry([], [], answerable=False), np.zeros(0)),  # unanswerable: not counted
    }
    order = [i["id"] for _, test in splits(items, 2) for i in test]  # the held-out entries' order
    choice = SimpleNamespace(
        held=[entries[i][0] for i in order],
        ranked=[entries[i][1] for i in order],
        choosers=[highest(entries[i][1]) for i in order],
        tau=0.5,
    )
    pooled = {"q0": True, "q1": True, "q2": False}
    table = funnel(pooled, items, choice, 2)
    assert table["alla"]["frågor"] == 3 and table["medborgare"] == table["alla"]
    gathered, among_units, first, answered = (table["alla"][s] for s in STAGES)
    assert (gathered, among_units, first, answered) == (
        round(2 / 3, 3),
        round(2 / 3, 3),
        round(1 / 3, 3),
        round(1 / 3, 3),
    )

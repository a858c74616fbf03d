"""How eval/train_answering.py chooses the abstention threshold from held-out questions."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))

from train_answering import choose_threshold  # noqa: E402


def _question(probability: float, answerable: bool) -> tuple:
    """A held-out entry as train_answering.held_out gives it: one unit the rules support, gold when answerable."""
    one = np.ones(1, dtype=bool)
    return np.array([probability]), one if answerable else ~one, (one, ~one), answerable, "test"


def test_of_thresholds_the_data_cannot_tell_apart_the_one_that_abstains_more_is_chosen():
    """Ten answerable questions answered right at 0.9 and an unanswerable one at 0.35: every threshold from
    about 0.4 to 0.85 does as well; the highest of them is chosen, not the first (before: 0.43)."""
    entries = [_question(0.9, True) for _ in range(10)] + [_question(0.35, False)]
    assert 0.8 <= choose_threshold(entries) <= 0.9


def test_a_threshold_above_the_answers_probability_is_not_chosen():
    """Twenty answerable questions answered right at 0.5: a higher threshold would abstain on all of them."""
    entries = [_question(0.5, True) for _ in range(20)]
    assert choose_threshold(entries) <= 0.5


def test_no_threshold_that_abstains_on_more_answerable_questions_than_the_target_allows():
    """Ten answerable questions answered right and forty answered by a unit that misses the key, all at 0.6:
    abstaining on everything has the best utility, but it would abstain on every answerable question; the
    highest threshold within MAX_WRONGLY_ABSTAINED is chosen instead."""
    from train_answering import MAX_WRONGLY_ABSTAINED, outcome

    one = np.ones(1, dtype=bool)
    missed = (np.array([0.6]), ~one, (one, ~one), True, "test")
    entries = [_question(0.6, True) for _ in range(10)] + [missed for _ in range(40)]
    tau = choose_threshold(entries)
    assert tau <= 0.6
    assert outcome(entries, tau)["wrongly_abstained"] <= MAX_WRONGLY_ABSTAINED


def test_answers_below_where_they_mostly_miss_are_told_as_uncertain():
    """Held out, answers at 0.6 miss the key nine times in ten and answers at 0.9 hold it eight times in ten:
    the warning starts above 0.6 and no higher than 0.9, so it falls on the first and not on the second."""
    from train_answering import choose_sure, highest

    one = np.ones(1, dtype=bool)
    missed = (np.array([0.6]), ~one, (one, ~one), True, "test")
    low = [_question(0.6, True)] + [missed] * 9
    high = [_question(0.9, True)] * 8 + [(np.array([0.9]), ~one, (one, ~one), True, "test")] * 2
    entries = low + high
    sure = choose_sure(entries, 0.5, [highest(p) for p, *_ in entries])
    assert 0.6 < sure <= 0.9


def test_with_answers_as_good_at_every_probability_none_is_told_as_uncertain():
    from train_answering import choose_sure, highest

    entries = [_question(p, True) for p in (0.55, 0.7, 0.95)]
    assert choose_sure(entries, 0.5, [highest(p) for p, *_ in entries]) == 0.5

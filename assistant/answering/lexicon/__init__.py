"""Swedish word lists and patterns for answering, in three modules:

- `words`: the word lists and shared constants (STOPWORDS, GENERIC, PLACE_GENERIC, ALIASES, the actor words,
  LAW_ABBREVIATIONS, MONTHS, NUMBER_WORDS, RATE_UNITS, ABSTAIN_TEXT, SUPERSEDED_ACTS ...);
- `questions`: the patterns that read a question (the *_QUESTION patterns, FOCUS_OPENERS, WHO_FOCUS_OPENERS,
  FRAME_NOUNS, CATEGORY_WORDS, ASKS_*, MULTI_PART, PART_BOUNDARY, PART_ASKS, WHETHER_IT_COSTS ...);
- `evidence`: the patterns that read a passage (the *_EVIDENCE patterns, OBLIGATION, PERMISSION, SANCTION_WORDS,
  NOT_AMOUNT, TRANSITIONAL, LETTERHEAD, SIGNATURE_FORM, PLACEHOLDER, INJECTION, the definition-sentence words ...).

Their public names are re-exported here: callers write `lexicon.NAME` whichever module holds it. The private
fragments (`_WEEKDAY`, `_PER`, ...) are building blocks of the patterns and stay in their modules.
"""

from __future__ import annotations

from assistant.answering.lexicon.evidence import *  # noqa: F403
from assistant.answering.lexicon.questions import *  # noqa: F403
from assistant.answering.lexicon.words import *  # noqa: F403

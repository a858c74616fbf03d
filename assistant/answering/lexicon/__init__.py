"""Swedish word lists and patterns for answering, in three modules:

- `words`: the word lists and shared constants (STOPWORDS, GENERIC, PLACE_GENERIC, ALIASES, the actor words,
  LAW_ABBREVIATIONS, MONTHS, NUMBER_WORDS, RATE_UNITS, ABSTAIN_TEXT, SUPERSEDED_ACTS ...);
- `questions`: the patterns that read a question (the *_QUESTION patterns, FOCUS_OPENERS, WHO_FOCUS_OPENERS,
  FRAME_NOUNS, CATEGORY_WORDS, ASKS_*, MULTI_PART, WHETHER_IT_COSTS ...);
- `evidence`: the patterns that read a passage (the *_EVIDENCE patterns, OBLIGATION, PERMISSION, SANCTION_WORDS,
  NOT_AMOUNT, TRANSITIONAL, LETTERHEAD, SIGNATURE_FORM, PLACEHOLDER, INJECTION, the definition-sentence words ...).

Every name of the three, the private fragments too, is re-exported here: `lexicon.NAME` and
`from assistant.answering.lexicon import NAME` work for any of them.
"""

from __future__ import annotations

from assistant.answering.lexicon.evidence import *  # noqa: F403
from assistant.answering.lexicon.evidence import (  # noqa: F401
    _COUNT,
    _DOCUMENT_WORD,
    _FOOTNOTE_MARK,
    _LEGAL_REFERENCE,
    _LENGTH,
    _ORDINAL,
    _PRICE_WITHOUT_FIGURE,
    _TIME_UNIT,
    _WEEKDAY,
    _YEAR_OR_DATE,
)
from assistant.answering.lexicon.questions import *  # noqa: F403
from assistant.answering.lexicon.questions import (  # noqa: F401
    _CONDITION_STATE,
    _CONDITION_VERB,
    _DEADLINE_QUESTION,
    _FREE_QUESTION,
    _PENALTY_BY_NAME,
    _SENTENCE_START,
    _WHEN_CLAUSE,
)
from assistant.answering.lexicon.words import *  # noqa: F403
from assistant.answering.lexicon.words import _ACTOR_HEADS, _ACTOR_STARTS, _DECIDED, _PER, _SUM_WORD  # noqa: F401

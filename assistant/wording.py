"""What people write around a question: a greeting, "jag undrar ...", a thank-you and a signature.

Search and answering both take it off (unwrap) before they read the question.
"""

from __future__ import annotations

import re

# What people wrap a question in when they write to a municipality or a Q&A page: "Hej! Min mamma har
# hemtjänst och jag undrar vad det kostar som mest? Tack på förhand! Mvh Anna". None of it is the topic, the
# documents never use these words (so they count as rare, strong terms), a signature's name would be asked
# for as if the answer had to mention it, and "jag undrar vad ..." hides the question word the question's
# shape is read from. See unwrap.
GREETING = re.compile(
    r"^\s*(?:hej(?:san)?|hallå|god\s+(?:morgon|dag|eftermiddag|kväll)|goddag)\b"
    r"(?:\s+[A-ZÅÄÖ][\w-]*)?\s*[!,.:;]*\s*",
    re.IGNORECASE,
)
SIGN_OFF = re.compile(
    r"(?:(?<=[.!?,])|(?<=\n)|^)\s*(?:"
    r"tack\s+(?:på\s+förhand|så\s+mycket|för\s+(?:svar\w*|hjälpen|er\s+hjälp|att\s+(?:ni|du)\s+\w+))|tusen\s+tack|"
    r"tacksam\s+för\s+(?:svar\w*|hjälp\w*)|tack\s*[!.]|tack\s*$|"
    r"mvh|m\.v\.h\.?|med\s+vänlig\w*\s+hälsning\w*|vänlig\w*\s+hälsning\w*|hälsningar|/\s*[A-ZÅÄÖ]\w*\s*$"
    r")(?:\W.*)?$",
    re.IGNORECASE | re.DOTALL,
)
FRAMING = re.compile(
    r"\b(?:jag|vi)\s+(?:undrar|undrade|funderar|funderade|skulle\s+vilja\s+(?:veta|fråga)|vill\s+(?:veta|fråga)|"
    r"har\s+en\s+fråga|hade\s+en\s+fråga)\b(?:\s+(?:på|över)\b|\s+om(?=\s+(?:hur|vad|vem|vilk\w*|när|var|vart|varför)\b))?"
    r"\s*[,:]?\s*|^\s*undrar\s+",
    re.IGNORECASE,
)


def unwrap(question: str) -> str:
    """The question without what people wrap it in (GREETING, SIGN_OFF, FRAMING): "Hej! Min mamma har
    hemtjänst och jag undrar vad det kostar som mest? Tack på förhand!" asks "Vad det kostar som mest? Min
    mamma har hemtjänst": the question first, where its shape is read from, and what it said before it after,
    as context. A question that is nothing but wrapping is left as it was."""
    text = SIGN_OFF.sub("", GREETING.sub("", question)).strip()
    m = FRAMING.search(text)
    if m:
        before, after = text[: m.start()].strip(" ,;:"), text[m.end() :].lstrip(" .,;:!").strip()
        topic = re.match(r"om\s+([^.:?!]+)[.:]\s*(\S.*)$", after, re.IGNORECASE | re.DOTALL)
        if topic:  # "Jag har en fråga om jäv. Får en ledamot ...?": the question, then its topic
            after = f"{topic.group(2)} {topic.group(1)[:1].upper()}{topic.group(1)[1:]}."
        before = re.sub(r"\s*\b(?:och|men|så)$", "", before, flags=re.IGNORECASE).strip(" .,;:")
        text = f"{after} {before[:1].upper()}{before[1:]}.".strip() if before else after
    if not text:
        return question.strip()
    return text[:1].upper() + text[1:]

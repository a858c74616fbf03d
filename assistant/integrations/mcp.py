"""Styrdok's search, answers and review as MCP tools (served by Gradio with `styrdok serve --mcp`).

Each tool is a plain function with type hints and a docstring: Gradio turns the hints into the
tool's input schema and the docstring into its description. Results are JSON text in the same
shapes as the CLI's --json output, so an agent gets the document, page and section of every source.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

import gradio as gr  # the tools' `request: gr.Request` hints are resolved at run time (Gradio injects the request)

from assistant.api import Styrdok
from assistant.errors import StyrdokError
from assistant.models import DocumentKind

# Prefixed, so they never clash with the web app's own endpoints (Gradio names tools after functions).
TOOL_NAMES = ("styrdok_search", "styrdok_ask", "styrdok_lint")


def _kinds(kind: str) -> list[str] | None:
    """The kind filter from a comma-separated string; an unknown kind is a Swedish error the agent can act on."""
    kinds = [k.strip() for k in kind.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in DocumentKind.__members__]
    if unknown:
        raise ValueError(f"Okänd dokumenttyp '{unknown[0]}'. Välj bland: {', '.join(DocumentKind.__members__)}.")
    return kinds or None


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _tool_error(error: Exception) -> Exception:
    """Our Swedish message as the tool's error text (Gradio hides other exceptions' messages)."""
    from gradio import Error

    return Error(str(error), print_exception=False)


def tools(
    api: Styrdok,
    reading: Callable[[], AbstractContextManager] = nullcontext,
    principal_of: Callable | None = None,
) -> list[Callable[..., str]]:
    """The three MCP tools over `api`; `reading()` guards each call (the web app's read lock).

    With `principal_of(request)` (login on), each call acts for the user of the request's API token,
    reading only their collections; a call without a valid token is refused.
    """

    def scoped(request) -> Styrdok:
        if principal_of is None:
            return api
        try:
            return api.for_principal(principal_of(request))
        except StyrdokError as error:
            raise _tool_error(error) from error

    def styrdok_search(query: str, k: int = 5, kind: str = "", request: gr.Request | None = None) -> str:
        """Search the municipality's governance documents (policies, laws, contracts, guidance) for passages.

        Args:
            query: What to look for, preferably in Swedish, e.g. "Vem godkänner utförare?".
            k: How many passages to return (1-50).
            kind: Optional comma-separated document kinds to search in (e.g. "policy,lag").

        Returns:
            JSON: {"query", "results": [{"doc", "title", "page", "section", "text", "score"}]}, best first.
        """
        user_api = scoped(request)
        try:
            with reading():
                hits = user_api.search(query, k=max(1, min(int(k), 50)), kinds=_kinds(kind))
        except (StyrdokError, ValueError) as error:
            raise _tool_error(error) from error
        results = [
            {
                "doc": h.chunk.doc,
                "title": h.meta.title,
                "page": h.chunk.page_start,
                "section": h.chunk.section,
                "text": h.chunk.text,
                "score": h.score,
            }
            for h in hits
        ]
        return _dump({"query": query, "results": results})

    def styrdok_ask(question: str, kind: str = "", request: gr.Request | None = None) -> str:
        """Answer a question from the governance documents, with a citation (document, page, section, quote)
        for every claim, or say honestly that the documents do not support an answer (abstained=true).

        Args:
            question: The question, preferably in Swedish, e.g. "Vem följer upp privata utförare?".
            kind: Optional comma-separated document kinds to answer from (e.g. "policy").

        Returns:
            JSON: {"question", "answer", "abstained", "citations": [{"doc", "title", "page", "section", "quote"}],
            "notes", "nearest"}.
        """
        user_api = scoped(request)
        try:
            with reading():
                answer = user_api.ask(question, kinds=_kinds(kind))
        except (StyrdokError, ValueError) as error:
            raise _tool_error(error) from error
        return _dump(
            {
                "question": question,
                "answer": answer.text,
                "abstained": answer.abstained,
                "citations": [c.public() for c in answer.citations],
                "notes": answer.notes,
                "nearest": [c.public() for c in answer.nearest],
            }
        )

    def styrdok_lint(draft_text: str, name: str = "utkast.md", request: gr.Request | None = None) -> str:
        """Review a draft procurement document (förfrågningsunderlag) against principles such as competitive
        neutrality; each finding has the rule, the quoted clause, the principle's source and a suggested rewrite.

        Args:
            draft_text: The draft's text (Markdown or plain text).
            name: The draft's file name, used in the findings (ending .md or .txt).

        Returns:
            JSON: {"draft", "findings": [{"rule", "severity", "quote", "missing", "section", "page", "line",
            "message", "suggestion", "sources"}]}.
        """
        user_api = scoped(request)
        try:
            linter = user_api.linter()
            with reading():
                review = linter.review_text(draft_text, name)
        except StyrdokError as error:
            raise _tool_error(error) from error
        return _dump({"draft": name, "findings": [f.public() for f in review.findings]})

    return [styrdok_search, styrdok_ask, styrdok_lint]

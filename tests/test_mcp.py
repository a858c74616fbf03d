"""`styrdok serve --mcp`: search, ask and lint as MCP tools, called by the official `mcp` client over loopback."""

from __future__ import annotations

import asyncio
import json

import pytest
from click.testing import CliRunner

from assistant.local_servers import free_port

pytestmark = [pytest.mark.slow, pytest.mark.integration]

POLICY = (
    "# Policy för valfrihetssystem\n\n## 4. Uppföljning\n\nSocialnämnden ska följa upp alla avtal med privata "
    "utförare minst en gång per år.\n\n## 5. Godkännande\n\nSocialnämnden godkänner utförare som uppfyller kraven "
    "i förfrågningsunderlaget.\n"
)
# A draft that favours the municipality's own provider: the competitive-neutrality rule must fire.
DRAFT = (
    "# Förfrågningsunderlag hemtjänst\n\n## 1. Ersättning\n\nKommunens egen regi får högre ersättning än "
    "privata utförare.\n"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from assistant.api import Styrdok
    from assistant.embedding import HashingEmbedder
    from ui.server import start

    folder = tmp_path_factory.mktemp("mcp")
    (folder / "docs").mkdir()
    (folder / "docs" / "policy.md").write_text(POLICY, encoding="utf-8")
    api = Styrdok.open(folder / "index", embedder=HashingEmbedder())
    assert not api.ingest([folder / "docs"]).skipped
    port = free_port()
    demo = start(api.library, port=port, block=False, warm=False, mcp=True, chat_model=None)
    yield f"http://127.0.0.1:{port}/gradio_api/mcp/"
    demo.close()


def session_run(url: str, work):
    """Run `work(session)` in an initialized MCP client session on `url`."""
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async def main():
        async with streamable_http_client(url) as (read, write, _), ClientSession(read, write) as session:
            await session.initialize()
            return await work(session)

    return asyncio.run(main())


def payload(result) -> dict:
    assert not result.isError, result.content
    return json.loads(result.content[0].text)


def test_lists_exactly_the_styrdok_tools(server):
    async def work(session):
        return await session.list_tools()

    tools = {t.name: t for t in session_run(server, work).tools}
    # Only ours: the web app's upload and removal endpoints are not offered to agents.
    assert set(tools) == {"styrdok_search", "styrdok_ask", "styrdok_lint"}
    assert "question" in tools["styrdok_ask"].inputSchema["properties"]
    assert "citation" in tools["styrdok_ask"].description


def test_ask_returns_an_answer_with_citations(server):
    async def work(session):
        return await session.call_tool("styrdok_ask", {"question": "Vem ska följa upp avtalen med utförare?"})

    out = payload(session_run(server, work))
    assert out["abstained"] is False
    assert "Socialnämnden" in out["answer"]
    citation = out["citations"][0]
    assert citation["doc"] == "policy.md" and citation["section"] and "4. Uppföljning" in citation["section"]
    assert citation["quote"] in POLICY


def test_search_and_lint_tools(server):
    async def work(session):
        search = await session.call_tool("styrdok_search", {"query": "godkänner utförare", "k": 1})
        lint = await session.call_tool("styrdok_lint", {"draft_text": DRAFT, "name": "ff.md"})
        bad_kind = await session.call_tool("styrdok_search", {"query": "utförare", "kind": "recept"})
        return search, lint, bad_kind

    search, lint, bad_kind = session_run(server, work)
    results = payload(search)["results"]
    assert len(results) == 1 and results[0]["doc"] == "policy.md"
    findings = payload(lint)["findings"]
    assert any(f["rule"] == "konkurrensneutralitet" for f in findings)
    assert bad_kind.isError and "Okänd dokumenttyp 'recept'" in bad_kind.content[0].text


def test_serve_has_an_mcp_flag():
    from assistant.cli import main

    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0 and "--mcp" in result.output

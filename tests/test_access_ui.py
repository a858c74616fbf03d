"""The web app with login: the gate, sessions, roles on the server, collections per user, proxy SSO, MCP tokens.

One server for the module (login on, MCP on) over the collections of test_access_api; HTTP with httpx,
events with gradio_client, tools with the official mcp client.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import time

import httpx
import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner
from test_access_api import COLLECTIONS, PUBLIC, SECRET, hidden_traces, secret_doc

from assistant.access.control import SESSION_COOKIE, AccessControl
from assistant.access.models import Role
from assistant.errors import StyrdokError
from assistant.local_servers import free_port
from assistant.settings import AccessSettings

pytestmark = [pytest.mark.slow, pytest.mark.integration]

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "ett-långt-lösenord"
SECRET_QUESTION = "Vem lämnade det lägsta anbudet för hemtjänsten i Norrbyholm?"


def make_index(folder):
    from assistant.embedding import HashingEmbedder
    from assistant.ingest import ingest
    from assistant.library import open_library

    docs = folder / "docs"
    for name, text in {**PUBLIC, **{n: secret_doc(n) for n in SECRET}}.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    (docs / "collections.yaml").write_text(COLLECTIONS, encoding="utf-8")
    lib = open_library(folder / "index", embedder=HashingEmbedder())
    assert not ingest(lib, [docs]).skipped
    return lib


def make_access(lib, **settings) -> AccessControl:
    access = AccessControl(lib.folder, AccessSettings(**settings), hasher=FAST)
    if access.users.get("anna") is None:
        access.users.add("t", "anna", Role.lasare, read=["Styrdokument"], password=PASSWORD)
        access.users.add(
            "t", "bo", Role.redaktor, read=["Styrdokument"], edit=["Upphandling pågående"], password=PASSWORD
        )
        access.users.add("t", "ceci", Role.administrator, password=PASSWORD)
    return access


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from ui.server import start

    folder = tmp_path_factory.mktemp("access_ui")
    lib = make_index(folder)
    access = make_access(lib, login=True, free_attempts=3, max_wait_seconds=30)
    tokens = {name: access.users.new_token("t", name) for name in ("anna", "ceci")}
    port = free_port()
    demo = start(lib, port=port, block=False, warm=False, mcp=True, chat_model=None, access=access)
    yield {"url": f"http://127.0.0.1:{port}/", "access": access, "library": lib, "tokens": tokens}
    demo.close()


def login(url: str, name: str, password: str = PASSWORD) -> httpx.Response:
    return httpx.post(url + "styrdok/login", data={"username": name, "password": password}, follow_redirects=False)


def cookie(url: str, name: str) -> dict:
    response = login(url, name)
    assert response.status_code == 303, response.text
    return {"Cookie": f"{SESSION_COOKIE}={response.cookies[SESSION_COOKIE]}"}


def client(url: str, headers: dict):
    from gradio_client import Client

    return Client(url, verbose=False, headers=headers)


def test_nothing_is_served_without_login(server):
    url = server["url"]
    page = httpx.get(url, headers={"Accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/styrdok/login"
    for method, path in [
        ("GET", "config"),
        ("GET", "gradio_api/info"),
        ("POST", "gradio_api/queue/join"),
        ("POST", "gradio_api/run/predict"),
        ("POST", "gradio_api/upload"),
        ("POST", "gradio_api/mcp/"),
        ("GET", "gradio_api/file=/etc/passwd"),
    ]:
        response = httpx.request(method, url + path, json={}, follow_redirects=False)
        assert response.status_code == 401, (path, response.status_code)
        assert "Inloggning krävs" in response.json()["detail"]
        assert hidden_traces(response.text) == [] and "policy" not in response.text
    form = httpx.get(url + "styrdok/login")
    assert form.status_code == 200 and 'lang="sv"' in form.text and "Logga in" in form.text


def test_login_and_logout(server):
    url = server["url"]
    wrong = login(url, "anna", "fel-lösenord-x")
    assert wrong.status_code == 401 and "Fel användarnamn eller lösenord" in wrong.text
    server["access"].throttle.succeeded(["user:anna", "ip:127.0.0.1"])
    headers = cookie(url, "anna")
    assert "HttpOnly" in login(url, "anna").headers["set-cookie"]
    assert httpx.get(url + "config", headers=headers).status_code == 200
    out = httpx.get(url + "styrdok/logout", headers=headers, follow_redirects=False)
    assert out.status_code == 303 and "Max-Age=0" in out.headers["set-cookie"]
    assert httpx.get(url + "config", headers=headers).status_code == 401


def test_a_login_posted_from_another_site_is_refused(server):
    """Login CSRF: a form on another site posting a password signs no one in; the same form from this
    site, or a script without Origin and Referer, does."""
    url = server["url"]
    server["access"].throttle.succeeded(["user:anna", "ip:127.0.0.1"])
    form = {"username": "anna", "password": PASSWORD}
    for header in ({"Origin": "https://ond.example"}, {"Referer": "https://ond.example/sida"}, {"Origin": "null"}):
        refused = httpx.post(url + "styrdok/login", data=form, headers=header, follow_redirects=False)
        assert refused.status_code == 403 and "annan webbplats" in refused.text
        assert SESSION_COOKIE not in refused.cookies
    here = url.rstrip("/")
    same = httpx.post(url + "styrdok/login", data=form, headers={"Origin": here}, follow_redirects=False)
    assert same.status_code == 303 and SESSION_COOKIE in same.cookies
    assert login(url, "anna").status_code == 303


def test_a_logout_asked_from_another_site_ends_no_session(server):
    """Logout CSRF: a link or image on another site's page logs no one out; a GET gets a page that asks,
    a POST is refused. The app's own "Logga ut" link (same origin) and a script still log out."""
    url = server["url"]
    server["access"].throttle.succeeded(["user:anna", "ip:127.0.0.1"])
    headers = cookie(url, "anna")
    cross = {**headers, "Sec-Fetch-Site": "cross-site", "Referer": "https://ond.example/sida"}
    asked = httpx.get(url + "styrdok/logout", headers=cross, follow_redirects=False)
    assert asked.status_code == 200 and "Logga ut från Styrdok?" in asked.text and 'method="post"' in asked.text
    refused = httpx.post(url + "styrdok/logout", headers={**headers, "Origin": "https://ond.example"})
    assert refused.status_code == 403 and "annan webbplats" in refused.text
    assert httpx.get(url + "config", headers=headers).status_code == 200  # still logged in
    here = url.rstrip("/")
    own = {**headers, "Sec-Fetch-Site": "same-origin", "Referer": here + "/"}
    out = httpx.get(url + "styrdok/logout", headers=own, follow_redirects=False)
    assert out.status_code == 303 and "Max-Age=0" in out.headers["set-cookie"]
    assert httpx.get(url + "config", headers=headers).status_code == 401


def test_an_expired_session_is_refused(server):
    url, sessions = server["url"], server["access"].sessions
    headers = cookie(url, "anna")
    assert httpx.get(url + "config", headers=headers).status_code == 200
    real = sessions.clock
    sessions.clock = lambda: real() + 11 * 3600  # past the 10 hours a session lives
    try:
        assert httpx.get(url + "config", headers=headers).status_code == 401
    finally:
        sessions.clock = real
    assert httpx.get(url + "config", headers=headers).status_code == 401  # gone for good


def test_brute_force_is_slowed(server):
    url, throttle = server["url"], server["access"].throttle
    try:
        codes = [login(url, "bo", f"gissning-{n}").status_code for n in range(3)]
        assert codes == [401, 401, 401]
        started = time.perf_counter()
        refused = login(url, "bo", PASSWORD)  # the right password, but too soon
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert "För många misslyckade inloggningar" in refused.text and SESSION_COOKIE not in refused.headers.get(
            "set-cookie", ""
        )
        assert time.perf_counter() - started < 2  # refused at once, without checking the password
    finally:
        throttle.succeeded(["user:bo", "ip:127.0.0.1"])
    assert login(url, "bo").status_code == 303


def test_two_users_get_different_answers_and_the_page_holds_no_hidden_document(server):
    url = server["url"]
    reader, admin = cookie(url, "anna"), cookie(url, "ceci")
    config = httpx.get(url + "config", headers=reader).text
    assert hidden_traces(config) == [] and "policy.md" not in config  # built for nobody: filled per user on load
    reader_answer = client(url, reader).predict(SECRET_QUESTION, [], api_name="/fraga")[0]
    admin_answer = client(url, admin).predict(SECRET_QUESTION, [], api_name="/fraga")[0]
    assert "Lindqvistgården" in admin_answer and SECRET["Upphandling/anbud_norrby.md"]["title"] in admin_answer
    assert 'class="answer abstained"' in reader_answer
    assert hidden_traces(reader_answer.replace(SECRET_QUESTION, "")) == []
    for question in [SECRET["Personal/rehab_karlsson.md"]["title"], "Norrbyholm anbud"]:
        hits = client(url, reader).predict(question, api_name="/sok")
        assert hidden_traces(re.sub(r"”[^”]*”", "", hits)) == []  # the query itself is echoed in quotes


def test_a_reader_can_neither_upload_nor_remove(server, tmp_path):
    from gradio_client import handle_file

    url, library = server["url"], server["library"]
    reader = client(url, cookie(url, "anna"))
    doc = tmp_path / "ny_rutin.md"
    doc.write_text("# Ny rutin\n\nPersonalen ska kvittera ut nycklar.\n", encoding="utf-8")
    status, *_ = reader.predict([handle_file(str(doc))], "Styrdokument", api_name="/lagg_till")
    assert "anna är läsare och får inte lägga till" in status and 'role="alert"' in status
    status, *_ = reader.predict("policy.md", api_name="/ta_bort")
    assert "får inte" in status and library.document("policy.md") is not None
    status, *_ = reader.predict(api_name="/indexera_om")
    assert "får inte indexera om" in status
    assert not any(p.name.startswith("ny_rutin") for p in (library.folder / "uploads").glob("*"))


def test_an_editor_uploads_to_their_collection_only(server, tmp_path):
    from gradio_client import handle_file

    url, library = server["url"], server["library"]
    editor = client(url, cookie(url, "bo"))
    doc = tmp_path / "tidplan.md"
    doc.write_text("# Tidplan upphandling\n\nTilldelning sker i vecka 12.\n", encoding="utf-8")
    status, *_ = editor.predict([handle_file(str(doc))], "Styrdokument", api_name="/lagg_till")
    assert "bo får inte ändra dokument i samlingen Styrdokument" in status
    status, table, *_ = editor.predict([handle_file(str(doc))], "Upphandling pågående", api_name="/lagg_till")
    assert "1 nya" in status
    stored = next(row[-1] for row in table["data"] if row[-1].startswith("tidplan-"))
    assert library.document(stored).collection == "Upphandling pågående"
    status, *_ = editor.predict("Personal/rehab_karlsson.md", api_name="/ta_bort")
    assert "finns inte längre" in status and library.document("Personal/rehab_karlsson.md") is not None
    status, *_ = editor.predict(stored, api_name="/ta_bort")
    assert "borttaget" in status
    audit = [(e["actor"], e["action"], e["target"]) for e in server["access"].audit.entries()]
    assert ("bo", "document.add", stored) in audit and ("bo", "document.remove", stored) in audit


def test_the_proxy_header_is_ignored_unless_the_proxy_is_configured(server, tmp_path):
    from ui.server import start

    forged = {"X-Remote-User": "ceci", "Accept": "text/html"}
    page = httpx.get(server["url"], headers=forged, follow_redirects=False)
    assert page.status_code == 303  # login on, no proxy configured: just a header
    lib = make_index(tmp_path)
    access = make_access(lib, trusted_proxies=["127.0.0.1"])
    port = free_port()
    demo = start(lib, port=port, block=False, warm=False, chat_model=None, access=access)
    try:
        url = f"http://127.0.0.1:{port}/"
        assert httpx.get(url, headers=forged, follow_redirects=False).status_code == 200
        assert httpx.get(url, headers={"Accept": "text/html"}, follow_redirects=False).status_code == 303
        unknown = {"X-Remote-User": "mallory", "Accept": "text/html"}
        assert httpx.get(url, headers=unknown, follow_redirects=False).status_code == 303
        answer = client(url, {"X-Remote-User": "anna"}).predict(SECRET_QUESTION, [], api_name="/fraga")[0]
        assert 'class="answer abstained"' in answer
    finally:
        demo.close()


def mcp_call(url: str, token: str | None, tool: str, arguments: dict):
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async def main():
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with httpx.AsyncClient(headers=headers, timeout=60) as http:
            async with streamable_http_client(url, http_client=http) as (read, write, _):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    return await session.call_tool(tool, arguments)

    return asyncio.run(main())


def test_mcp_tools_act_for_the_token_holder(server):
    url = server["url"] + "gradio_api/mcp/"
    assert httpx.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).status_code == 401
    bad = httpx.post(url, json={}, headers={"Authorization": "Bearer styrdok_gissad"})
    assert bad.status_code == 401
    reader = mcp_call(url, server["tokens"]["anna"], "styrdok_ask", {"question": SECRET_QUESTION})
    admin = mcp_call(url, server["tokens"]["ceci"], "styrdok_ask", {"question": SECRET_QUESTION})
    reader_out, admin_out = json.loads(reader.content[0].text), json.loads(admin.content[0].text)
    assert (
        reader_out["abstained"] and hidden_traces(json.dumps({**reader_out, "question": ""}, ensure_ascii=False)) == []
    )
    assert not admin_out["abstained"] and admin_out["citations"][0]["doc"] == "Upphandling/anbud_norrby.md"
    search = mcp_call(url, server["tokens"]["anna"], "styrdok_search", {"query": "Norrbyholm Lindqvistgården", "k": 10})
    assert hidden_traces(json.dumps(json.loads(search.content[0].text)["results"], ensure_ascii=False)) == []


def test_serving_others_without_login_is_refused(tmp_path):
    from assistant.cli import main
    from ui.server import start

    lib = make_index(tmp_path)
    with pytest.raises(StyrdokError, match="startar inte på 0.0.0.0 utan inloggning"):
        start(lib, host="0.0.0.0", port=free_port(), block=False, warm=False, chat_model=None)
    empty = AccessControl(tmp_path / "tomt", AccessSettings(login=True), hasher=FAST)
    with pytest.raises(StyrdokError, match="det finns inga användare"):
        start(lib, host="0.0.0.0", port=free_port(), block=False, warm=False, chat_model=None, access=empty)
    shutil.rmtree(tmp_path / "tomt", ignore_errors=True)
    result = CliRunner().invoke(
        main, ["serve", "--host", "0.0.0.0", "--index", str(lib.folder)], env={"STYRDOK_EMBEDDER": "none"}
    )
    assert result.exit_code == 2 and "utan inloggning" in result.output and "--login" in result.output

"""Login in headless Chromium: the login form, a läsare's page (no upload or removal, only their collections),
logging out, and an administrator's page with the Administration tab."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("STYRDOK_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
PASSWORD = "ett-långt-lösenord"
PUBLIC = (
    "# Policy för valfrihetssystem\n\n## 4. Uppföljning\n\nSocialnämnden ska följa upp alla avtal med privata "
    "utförare minst en gång per år.\n"
)
SECRET_TITLE = "Anbudsutvärdering hemtjänst Norrbyholm 2027"
SECRET = (
    f"# {SECRET_TITLE}\n\n## Förslag\n\nOmsorgsbolaget Lindqvistgården AB lämnade det lägsta anbudet, 412 kronor "
    "per timme, för hemtjänsten i Norrbyholm.\n"
)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    from argon2 import PasswordHasher

    from assistant.access.control import AccessControl
    from assistant.access.models import Role
    from assistant.embedding import HashingEmbedder
    from assistant.ingest import ingest
    from assistant.library import open_library
    from assistant.local_servers import free_port
    from assistant.settings import AccessSettings
    from ui.server import start

    folder = tmp_path_factory.mktemp("login_browser")
    (folder / "docs" / "Upphandling").mkdir(parents=True)
    (folder / "docs" / "policy.md").write_text(PUBLIC, encoding="utf-8")
    (folder / "docs" / "Upphandling" / "anbud.md").write_text(SECRET, encoding="utf-8")
    (folder / "docs" / "collections.yaml").write_text(
        "folders:\n  Upphandling: Upphandling pågående\n", encoding="utf-8"
    )
    lib = open_library(folder / "index", embedder=HashingEmbedder())
    ingest(lib, [folder / "docs"])
    access = AccessControl(
        lib.folder, AccessSettings(login=True), hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    access.users.add("t", "anna", Role.lasare, read=["Styrdokument"], password=PASSWORD)
    access.users.add("t", "ceci", Role.administrator, password=PASSWORD)
    port = free_port()
    demo = start(lib, port=port, block=False, warm=False, chat_model=None, access=access)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} saknas: installera Debians chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python) är inte installerat")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def log_in(page, url: str, name: str, password: str = PASSWORD) -> None:
    page.goto(url)
    page.wait_for_url("**/styrdok/login")
    page.fill("#username", name)
    page.fill("#password", password)
    page.click("button[type=submit]")


def test_a_reader_sees_no_upload_or_removal_and_only_their_collections(page, app_url):
    log_in(page, app_url, "anna", "fel-lösenord-123")
    assert "Fel användarnamn eller lösenord" in page.inner_text("[role=alert]")
    log_in(page, app_url, "anna")
    page.wait_for_selector("#question textarea")
    page.wait_for_function("() => document.querySelector('#access-bar')?.innerText.includes('anna')")
    assert "Inloggad som anna (läsare)" in page.inner_text("#access-bar")
    page.get_by_role("tab", name="Dokument").click()
    page.wait_for_function("() => document.querySelector('#doc-table')?.innerText.includes('policy.md')")
    table = page.inner_text("#doc-table")
    assert SECRET_TITLE not in table and "anbud.md" not in table
    for hidden in ("#add-docs", "#remove-doc", "#replace-doc", "#reindex", "#doc-upload"):
        assert not page.locator(hidden).is_visible(), hidden
    assert (
        page.get_by_role("tab", name="Administration").count() == 0
        or not page.get_by_role("tab", name="Administration").is_visible()
    )
    page.get_by_role("tab", name="Fråga").click()
    page.fill("#question textarea", "Vem lämnade det lägsta anbudet för hemtjänsten i Norrbyholm?")
    page.click("#ask-button")
    page.locator("#conversation .answer.abstained").wait_for()
    conversation = page.inner_text("#conversation")
    assert "Lindqvistgården" not in conversation and SECRET_TITLE not in conversation
    page.get_by_role("link", name="Logga ut").click()
    page.wait_for_url("**/styrdok/login")
    page.goto(app_url)
    page.wait_for_url("**/styrdok/login")  # the session is gone


def test_an_administrator_sees_everything_and_the_administration(page, app_url):
    log_in(page, app_url, "ceci")
    page.wait_for_selector("#question textarea")
    page.get_by_role("tab", name="Dokument").click()
    page.wait_for_function(f"() => document.querySelector('#doc-table')?.innerText.includes('{SECRET_TITLE}')")
    assert page.locator("#add-docs").is_visible() and page.locator("#remove-doc").is_visible()
    page.get_by_role("tab", name="Administration").click()
    page.wait_for_function("() => document.querySelector('#admin-users')?.innerText.includes('anna')")
    assert "läsare" in page.inner_text("#admin-users")
    page.wait_for_function("() => document.querySelector('#admin-audit')?.innerText.includes('loggade in')")

"""assistant.access: accounts, sessions, throttling, proxy trust, the audit log and folder→collection maps."""

from __future__ import annotations

import json
import os
import stat

import pytest
from argon2 import PasswordHasher

from assistant.access.audit import AuditLog
from assistant.access.collections import CollectionMap, read_map
from assistant.access.control import SESSION_COOKIE, AccessControl, Caller, LoginRefused
from assistant.access.models import Principal, Role, check_collection, parse_role
from assistant.access.sessions import SessionStore, Throttle
from assistant.access.users import UserStore
from assistant.errors import StyrdokError
from assistant.settings import AccessSettings

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # real Argon2id, test-sized


class Clock:
    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def caller(peer="127.0.0.1", headers=None, cookies=None) -> Caller:
    return Caller(headers={k.lower(): v for k, v in (headers or {}).items()}, cookies=cookies or {}, peer=peer)


@pytest.fixture
def store(tmp_path):
    return UserStore(tmp_path, hasher=FAST)


def test_roles_parse_with_or_without_swedish_letters():
    assert parse_role("läsare") == parse_role("lasare") == Role.lasare
    assert parse_role("Administratör") == Role.administrator
    with pytest.raises(StyrdokError, match="Okänd roll 'chef'.*läsare, redaktör, administratör"):
        parse_role("chef")


def test_collection_names_are_checked():
    assert check_collection("  Upphandling   pågående ") == "Upphandling pågående"
    for bad in ("", "../etc", "a" * 81, "<script>"):
        with pytest.raises(StyrdokError):
            check_collection(bad)


def test_principal_grants_follow_the_role(store):
    store.add("t", "anna", Role.lasare, read=["Styrdokument"], edit=["Upphandling"], password="ett långt lösen")
    store.add("t", "bo", Role.redaktor, read=["Styrdokument"], edit=["Upphandling"], password="ett långt lösen")
    store.add("t", "ceci", Role.administrator, read=[], password="ett långt lösen")
    anna, bo, ceci = (store.get(n).principal("password") for n in ("anna", "bo", "ceci"))
    assert anna.read == {"Styrdokument"} and not anna.can_edit("Upphandling") and not anna.may_edit_documents
    assert bo.can_read("Upphandling") and bo.can_edit("Upphandling") and not bo.can_edit("Styrdokument")
    assert ceci.unrestricted and ceci.can_edit("Vad som helst")
    assert Principal.open().unrestricted and Principal.open().is_admin


def test_passwords_are_argon2_hashes_in_a_private_file(store):
    store.add("cli:root", "anna", Role.lasare, password="hemligt-lösenord-1")
    raw = store.path.read_text(encoding="utf-8")
    assert "hemligt-lösenord-1" not in raw and "$argon2id$" in raw
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert store.verify_password("anna", "hemligt-lösenord-1").name == "anna"
    assert store.verify_password("anna", "fel-lösenord-123") is None
    assert store.verify_password("okänd", "hemligt-lösenord-1") is None
    with pytest.raises(StyrdokError, match="minst 10 tecken"):
        store.set_password("t", "anna", "kort")
    with pytest.raises(StyrdokError, match="finns redan"):
        store.add("t", "anna", Role.lasare, password="ett annat lösen")


def test_tokens_are_stored_as_hashes_and_can_be_revoked(store):
    store.add("t", "agent", Role.lasare, password=None)
    token = store.new_token("t", "agent")
    assert token not in store.path.read_text(encoding="utf-8")
    assert store.user_for_token(token).name == "agent"
    assert store.user_for_token(token + "x") is None and store.user_for_token("styrdok_gissning") is None
    store.revoke_tokens("t", "agent")
    assert store.user_for_token(token) is None


def test_every_user_change_is_audited(store):
    store.add("cli:root", "anna", Role.lasare, password="hemligt-lösenord-1")
    store.grant("admin", "anna", role=Role.redaktor, edit=["Upphandling"])
    store.set_password("admin", "anna", "nytt-lösenord-22")
    store.new_token("admin", "anna")
    store.remove("admin", "anna")
    actions = [(e["actor"], e["action"], e["target"]) for e in store.audit.entries()]
    assert actions == [
        ("cli:root", "user.add", "anna"),
        ("admin", "user.grant", "anna"),
        ("admin", "user.passwd", "anna"),
        ("admin", "user.token", "anna"),
        ("admin", "user.remove", "anna"),
    ]
    grant = store.audit.entries()[1]
    assert grant["details"] == {"role": "redaktor", "read": ["Styrdokument"], "edit": ["Upphandling"]}
    assert all("hemligt" not in json.dumps(e) for e in store.audit.entries())


def test_audit_log_is_a_chain_that_shows_edits_and_deletions(tmp_path):
    log = AuditLog(tmp_path)
    for n in range(4):
        log.record("anna", "document.add", f"doc{n}.md", collection="Styrdokument")
    assert log.verify() is None and len(log.entries()) == 4
    lines = log.path.read_text(encoding="utf-8").splitlines()
    log.path.write_text("\n".join(lines[:1] + lines[2:]) + "\n", encoding="utf-8")  # a line deleted
    assert "rad 2" in log.verify()
    log.path.write_text("\n".join([lines[0], lines[1].replace("anna", "bo"), *lines[2:]]) + "\n", encoding="utf-8")
    assert "rad 3" in log.verify()  # the edited line breaks the link to the next


def test_a_session_expires_when_idle_and_at_its_full_lifetime():
    clock = Clock()
    sessions = SessionStore(lifetime=3600, idle=600, clock=clock)
    token = sessions.create("anna")
    clock.now += 599
    assert sessions.get(token).user == "anna"
    clock.now += 601  # idle too long
    assert sessions.get(token) is None
    token = sessions.create("anna")
    for _ in range(7):  # active all the time, but past the lifetime
        clock.now += 590
        sessions.get(token)
    assert sessions.get(token) is None
    token = sessions.create("anna")
    sessions.end(token)
    assert sessions.get(token) is None


def test_the_throttle_doubles_the_wait_after_the_free_attempts():
    clock = Clock(0.0)
    throttle = Throttle(free=3, base=2.0, cap=60.0, clock=clock)
    keys = ["user:anna"]
    for _ in range(3):
        assert throttle.wait(keys) == 0
        throttle.failed(keys)
    assert throttle.wait(keys) == pytest.approx(2.0)
    clock.now += 2.0
    throttle.failed(keys)
    assert throttle.wait(keys) == pytest.approx(4.0)
    throttle.succeeded(keys)
    assert throttle.wait(keys) == 0


@pytest.fixture
def access(tmp_path):
    control = AccessControl(tmp_path, AccessSettings(login=True, free_attempts=3, max_wait_seconds=60), hasher=FAST)
    control.users.add("t", "anna", Role.lasare, password="rätt-lösenord-1")
    return control


def test_brute_force_is_slowed_even_for_the_right_password(access):
    for _ in range(3):
        with pytest.raises(LoginRefused, match="Fel användarnamn eller lösenord"):
            access.login("anna", "fel-lösenord", caller())
    with pytest.raises(LoginRefused, match="För många misslyckade inloggningar. Vänta") as refused:
        access.login("anna", "rätt-lösenord-1", caller())
    assert refused.value.throttled and refused.value.wait > 0
    # Another address guessing the same name waits too (the name is counted), and so does the address.
    with pytest.raises(LoginRefused, match="Vänta"):
        access.login("anna", "rätt-lösenord-1", caller(peer="10.1.1.1"))
    failed = [e for e in access.audit.entries() if e["action"] == "login.failed"]
    assert len(failed) == 3


def test_a_login_gives_a_session_that_logout_ends(access):
    token = access.login("anna", "rätt-lösenord-1", caller())
    with_cookie = caller(cookies={SESSION_COOKIE: token})
    assert access.identify(with_cookie).name == "anna"
    access.logout(with_cookie)
    assert access.identify(with_cookie) is None
    assert [e["action"] for e in access.audit.entries()] == ["user.add", "login", "logout"]


def test_a_removed_user_loses_the_session_at_once(access):
    token = access.login("anna", "rätt-lösenord-1", caller())
    access.users.remove("t", "anna")
    assert access.identify(caller(cookies={SESSION_COOKIE: token})) is None


def test_the_proxy_header_is_ignored_unless_configured_and_from_the_proxy(tmp_path):
    plain = AccessControl(tmp_path, AccessSettings(login=True), hasher=FAST)
    plain.users.add("t", "admin", Role.administrator, password=None)
    forged = {"X-Remote-User": "admin"}
    assert plain.identify(caller(headers=forged)) is None  # no proxy configured
    proxied = AccessControl(tmp_path, AccessSettings(trusted_proxies=["10.0.0.5"]), hasher=FAST)
    assert proxied.settings.enabled
    assert proxied.identify(caller(peer="10.0.0.6", headers=forged)) is None  # not the proxy
    assert proxied.identify(caller(peer="10.0.0.5", headers=forged)).name == "admin"
    assert proxied.identify(caller(peer="10.0.0.5", headers={"X-Remote-User": "okänd"})) is None
    subnet = AccessControl(tmp_path, AccessSettings(trusted_proxies=["10.0.0.0/29"]), hasher=FAST)
    assert subnet.identify(caller(peer="10.0.0.7", headers=forged)).via == "proxy"
    with pytest.raises(StyrdokError, match="'proxy.example' är ingen IP-adress"):
        AccessControl(tmp_path, AccessSettings(trusted_proxies=["proxy.example"]), hasher=FAST)


def test_a_bearer_token_decides_alone(access):
    access.users.add("t", "agent", Role.lasare, password=None)
    token = access.users.new_token("t", "agent")
    session = access.login("anna", "rätt-lösenord-1", caller())
    assert access.identify(caller(headers={"Authorization": f"Bearer {token}"})).name == "agent"
    both = caller(headers={"Authorization": "Bearer styrdok_fel"}, cookies={SESSION_COOKIE: session})
    assert access.identify(both) is None  # a wrong token is not rescued by a cookie


def test_collection_map_picks_the_most_specific_folder(tmp_path):
    path = tmp_path / "collections.yaml"
    path.write_text(
        "default: Styrdokument\nfolders:\n  Upphandling: Upphandling avslutad\n"
        "  Upphandling/Pågående: Upphandling pågående\n",
        encoding="utf-8",
    )
    mapping = read_map(path)
    assert mapping.collection_for("Upphandling/Pågående/anbud.pdf") == "Upphandling pågående"
    assert mapping.collection_for("Upphandling/gammal.pdf") == "Upphandling avslutad"
    assert mapping.collection_for("policy.md") == "Styrdokument"
    assert CollectionMap().collection_for("a/b.md") is None
    path.write_text("mappar: {}\n", encoding="utf-8")
    with pytest.raises(StyrdokError, match="collections.yaml: samlingsfilen ska ha nycklarna"):
        read_map(path)

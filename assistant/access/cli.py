"""`styrdok users add|list|remove|passwd|grant|token` and `styrdok audit`: accounts and the audit log.

Whoever runs these has the index folder itself, so they act as administrator; every change is
recorded in the audit log as 'cli:<user name on this machine>'.
"""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

import click

from assistant.access.models import DEFAULT_COLLECTION, ROLE_LABELS_SV, Role, parse_role
from assistant.cli_options import index_option
from assistant.errors import StyrdokError

_INDEX = index_option()
ROLE_HELP = "Roll: läsare (fråga, sök, granska), redaktör (även lägga till och ta bort dokument), administratör."


def actor() -> str:
    try:
        return "cli:" + getpass.getuser()
    except (KeyError, OSError):
        return "cli:okänd"


def _store(index: Path | None):
    from assistant.access.users import UserStore
    from assistant.settings import Settings

    folder = Path(index) if index else Settings().index
    folder.mkdir(parents=True, exist_ok=True)
    return UserStore(folder)


def _password(from_stdin: bool, none: bool) -> str | None:
    if none:
        return None
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Lösenord", hide_input=True, confirmation_prompt="Upprepa lösenordet")


def _role(value: str | None) -> Role | None:
    return parse_role(value) if value else None


@click.group("users")
def users_command() -> None:
    """Användare: lägg till, lista, ta bort, byt lösenord, ändra roll och samlingar, API-nycklar."""


@users_command.command("add")
@click.argument("name")
@click.option("--role", default="läsare", show_default=True, help=ROLE_HELP)
@click.option(
    "--read", "read", multiple=True, help=f"Samling användaren får läsa (kan upprepas; standard {DEFAULT_COLLECTION})."
)
@click.option("--edit", "edit", multiple=True, help="Samling en redaktör får ändra (kan upprepas).")
@click.option("--password-stdin", is_flag=True, help="Läs lösenordet från standard in (en rad).")
@click.option("--no-password", is_flag=True, help="Inget lösenord: bara inloggning via proxy (SSO) eller API-nyckel.")
@_INDEX
def users_add(name, role, read, edit, password_stdin, no_password, index) -> None:
    """Lägg till en användare."""
    store = _store(index)
    parsed = parse_role(role)
    if parsed == Role.redaktor and not edit:
        raise StyrdokError("En redaktör behöver minst en samling att ändra: ange --edit SAMLING.")
    record = store.add(
        actor(),
        name,
        parsed,
        read=read or (DEFAULT_COLLECTION,),
        edit=edit,
        password=_password(password_stdin, no_password),
    )
    click.echo(f"Användaren {record.name} är tillagd som {record.role.label}.")


@users_command.command("list")
@click.option("--json", "as_json", is_flag=True)
@_INDEX
def users_list(as_json, index) -> None:
    """Lista användarna med roll och samlingar."""
    users = [u.public() for u in _store(index).users()]
    if as_json:
        click.echo(json.dumps(users, ensure_ascii=False))
        return
    if not users:
        click.echo("Inga användare. Lägg till en med 'styrdok users add NAMN --role administratör'.")
    for u in users:
        role = ROLE_LABELS_SV[Role(u["role"])]
        reads = "alla samlingar" if u["role"] == Role.administrator else (", ".join(u["read"]) or "inga samlingar")
        edits = f"; ändrar: {', '.join(u['edit'])}" if u["edit"] else ""
        how = "lösenord" if u["password"] else "bara SSO/API-nyckel"
        click.echo(f"- {u['name']} ({role}; läser: {reads}{edits}; {how}; {u['tokens']} API-nycklar)")


@users_command.command("remove")
@click.argument("name")
@_INDEX
def users_remove(name, index) -> None:
    """Ta bort en användare (pågående inloggningar upphör vid nästa anrop)."""
    _store(index).remove(actor(), name)
    click.echo(f"Användaren {name} är borttagen.")


@users_command.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Läs lösenordet från standard in (en rad).")
@_INDEX
def users_passwd(name, password_stdin, index) -> None:
    """Byt lösenord för en användare."""
    store = _store(index)
    if store.get(name) is None:
        raise StyrdokError(f"Användaren {name} finns inte.")
    store.set_password(actor(), name, _password(password_stdin, False))
    click.echo(f"Lösenordet för {name} är bytt.")


@users_command.command("grant")
@click.argument("name")
@click.option("--role", default=None, help=ROLE_HELP)
@click.option("--read", "read", multiple=True, help="Samlingar att läsa (ersätter de nuvarande; kan upprepas).")
@click.option("--edit", "edit", multiple=True, help="Samlingar att ändra (ersätter de nuvarande; kan upprepas).")
@click.option("--no-read", is_flag=True, help="Ta bort alla läsbehörigheter.")
@click.option("--no-edit", is_flag=True, help="Ta bort alla ändringsbehörigheter.")
@_INDEX
def users_grant(name, role, read, edit, no_read, no_edit, index) -> None:
    """Ändra roll och samlingar för en användare."""
    record = _store(index).grant(
        actor(),
        name,
        role=_role(role),
        read=[] if no_read else (read or None),
        edit=[] if no_edit else (edit or None),
    )
    click.echo(
        f"{record.name}: {record.role.label}; läser {', '.join(record.read) or 'inga samlingar'}"
        + (f"; ändrar {', '.join(record.edit)}" if record.edit else "")
        + "."
    )


@users_command.command("token")
@click.argument("name")
@click.option("--revoke", is_flag=True, help="Återkalla användarens alla API-nycklar.")
@_INDEX
def users_token(name, revoke, index) -> None:
    """Skapa en API-nyckel (för MCP-klienter och skript); den visas bara nu."""
    store = _store(index)
    if revoke:
        store.revoke_tokens(actor(), name)
        click.echo(f"Alla API-nycklar för {name} är återkallade.")
        return
    click.echo(store.new_token(actor(), name))


@click.command("audit")
@click.option("--json", "as_json", is_flag=True, help="En JSON-rad per händelse.")
@click.option("--limit", type=int, default=None, help="Bara de senaste N händelserna.")
@click.option("--verify", is_flag=True, help="Kontrollera att ingen rad ändrats eller tagits bort.")
@_INDEX
def audit_command(as_json, limit, verify, index) -> None:
    """Granskningsloggen: vem som lagt till, ersatt eller tagit bort dokument och ändrat användare, när."""
    from assistant.access.audit import AuditLog
    from assistant.settings import Settings

    log = AuditLog(Path(index) if index else Settings().index)
    if verify:
        problem = log.verify()
        if problem:
            click.echo(f"Fel: {problem}", err=True)
            sys.exit(1)
        click.echo(f"Granskningsloggen är hel ({len(log.entries())} händelser).")
        return
    for entry in log.entries(limit):
        if as_json:
            click.echo(json.dumps(entry, ensure_ascii=False))
            continue
        details = entry.get("details") or {}
        extra = "; ".join(f"{k}: {', '.join(v) if isinstance(v, list) else v}" for k, v in details.items())
        click.echo(
            f"{entry['time']} {entry['actor'] or '(ingen inloggning)'} {entry['action']} {entry['target']}"
            + (f" ({extra})" if extra else "")
        )

"""The Administration tab (only with login, only for administrators): users, their collections, the audit log.

Hidden for everyone else, and every handler checks again that the one calling is an administrator.
"""

from __future__ import annotations

import gradio as gr

from assistant.access.models import ROLE_LABELS_SV, Role, parse_role
from assistant.errors import StyrdokError
from ui.auth import who
from ui.render import render_status
from ui.services import Services

USER_HEADERS = ["Användare", "Roll", "Läser", "Ändrar", "Lösenord", "API-nycklar", "Ändrad"]
AUDIT_HEADERS = ["Tid (UTC)", "Vem", "Händelse", "Vad", "Detaljer"]
ACTIONS_SV = {
    "document.add": "lade till dokument",
    "document.update": "uppdaterade dokument",
    "document.remove": "tog bort dokument",
    "document.replace": "ersatte dokument",
    "user.add": "lade till användare",
    "user.grant": "ändrade behörighet",
    "user.passwd": "bytte lösenord",
    "user.remove": "tog bort användare",
    "user.token": "skapade API-nyckel",
    "user.token.revoke": "återkallade API-nycklar",
    "login": "loggade in",
    "login.failed": "misslyckad inloggning",
    "logout": "loggade ut",
}


def _admin(services: Services, request):
    user = who(services, request)
    if not user.is_admin:
        raise gr.Error("Bara administratörer kommer åt administrationen.", print_exception=False)
    return user


def user_rows(services: Services) -> list[list]:
    rows = []
    for u in services.access.users.users():
        admin = u.role == Role.administrator
        rows.append(
            [
                u.name,
                ROLE_LABELS_SV[u.role],
                "alla" if admin else ", ".join(u.read),
                "alla" if admin else ", ".join(u.edit),
                "ja" if u.password else "nej (SSO/API-nyckel)",
                len(u.tokens),
                u.changed,
            ]
        )
    return rows


def audit_rows(services: Services, limit: int = 300) -> list[list]:
    rows = []
    for e in reversed(services.access.audit.entries(limit)):
        details = e.get("details") or {}
        shown = "; ".join(f"{k}: {', '.join(v) if isinstance(v, list) else v}" for k, v in details.items())
        rows.append(
            [
                e.get("time", ""),
                e.get("actor", ""),
                ACTIONS_SV.get(e.get("action"), e.get("action")),
                e.get("target", ""),
                shown,
            ]
        )
    return rows


def build(services: Services) -> dict:
    gr.Markdown(
        "Användare, roller och samlingar. En **läsare** frågar, söker, granskar utkast och läser introduktionen; en "
        "**redaktör** lägger dessutom till, ersätter och tar bort dokument i de samlingar hen ändrar; en "
        "**administratör** ser allt och hanterar användare. Alla ändringar skrivs i granskningsloggen."
    )
    users = gr.Dataframe(
        headers=USER_HEADERS,
        value=[],
        type="array",
        interactive=False,
        label="Användare",
        elem_id="admin-users",
        buttons=[],
    )
    with gr.Row(equal_height=False):
        with gr.Column(min_width=300):
            name = gr.Textbox(label="Användarnamn", elem_id="admin-name")
            role = gr.Dropdown(
                choices=[(label, r.value) for r, label in ROLE_LABELS_SV.items()],
                value=Role.lasare.value,
                label="Roll",
                elem_id="admin-role",
            )
            password = gr.Textbox(
                label="Nytt lösenord (lämna tomt för att behålla; minst 10 tecken)",
                type="password",
                elem_id="admin-password",
            )
        with gr.Column(min_width=300):
            read = gr.Dropdown(
                choices=[],
                value=[],
                multiselect=True,
                allow_custom_value=True,
                label="Läser samlingarna",
                elem_id="admin-read",
            )
            edit = gr.Dropdown(
                choices=[],
                value=[],
                multiselect=True,
                allow_custom_value=True,
                label="Ändrar samlingarna (redaktör)",
                elem_id="admin-edit",
            )
            with gr.Row():
                save = gr.Button("Spara användaren", variant="primary", elem_id="admin-save")
                delete = gr.Button("Ta bort användaren", variant="stop", elem_id="admin-delete")
    status = gr.HTML("", elem_id="admin-status", padding=True)
    gr.Markdown("## Granskningslogg (senaste först)")
    audit = gr.Dataframe(
        headers=AUDIT_HEADERS,
        value=[],
        type="array",
        interactive=False,
        label="Granskningslogg",
        elem_id="admin-audit",
        buttons=[],
        max_height=480,
    )
    refresh = gr.Button("Uppdatera", size="sm", elem_id="admin-refresh")

    def collections_update():
        known = sorted({*services.collections(), *services.access.users.collections()})
        return gr.update(choices=known), gr.update(choices=known)

    def load(request: gr.Request):
        _admin(services, request)
        return user_rows(services), audit_rows(services), *collections_update()

    def pick(evt: gr.SelectData, request: gr.Request):
        _admin(services, request)
        row = evt.row_value or []
        record = services.access.users.get(row[0]) if row else None
        if record is None:
            return gr.update(), gr.update(), gr.update(), gr.update()
        return record.name, record.role.value, record.read, record.edit

    def save_user(name_value, role_value, password_value, read_value, edit_value, request: gr.Request):
        admin = _admin(services, request)
        store = services.access.users
        try:
            parsed = parse_role(role_value or "lasare")
            if store.get((name_value or "").strip()) is None:
                store.add(
                    admin.audit_name,
                    name_value or "",
                    parsed,
                    read=read_value or [],
                    edit=edit_value or [],
                    password=password_value or None,
                )
                message = f"{name_value.strip()} är tillagd som {parsed.label}."
            else:
                store.grant(
                    admin.audit_name, name_value.strip(), role=parsed, read=read_value or [], edit=edit_value or []
                )
                if password_value:
                    store.set_password(admin.audit_name, name_value.strip(), password_value)
                    services.access.sessions.end_user(name_value.strip())
                message = f"{name_value.strip()} är sparad ({parsed.label})."
            html = render_status(message)
        except StyrdokError as error:
            html = render_status(str(error), ok=False)
        return html, user_rows(services), audit_rows(services), "", *collections_update()

    def delete_user(name_value, request: gr.Request):
        admin = _admin(services, request)
        target = (name_value or "").strip()
        try:
            if target == admin.name:
                raise StyrdokError("Du kan inte ta bort dig själv; be en annan administratör.")
            services.access.users.remove(admin.audit_name, target)
            services.access.sessions.end_user(target)
            html = render_status(f"{target} är borttagen.")
        except StyrdokError as error:
            html = render_status(str(error), ok=False)
        return html, user_rows(services), audit_rows(services)

    private = {"api_visibility": "private", "queue": False}
    users.select(pick, outputs=[name, role, read, edit], **private)
    save.click(
        save_user,
        inputs=[name, role, password, read, edit],
        outputs=[status, users, audit, password, read, edit],
        **private,
    )
    delete.click(delete_user, inputs=[name], outputs=[status, users, audit], **private)
    refresh.click(load, outputs=[users, audit, read, edit], **private)
    return {"load": load, "outputs": [users, audit, read, edit]}

"""The Styrdok web app: four tabs over one shared Library. `build_app()` builds it, `launch_options()`
gives the app-level settings that Gradio 6 takes in launch() (theme, CSS, JS)."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr  # noqa: E402

from assistant.library import Library  # noqa: E402
from ui import ask_tab, docs_tab, intro_tab, lint_tab  # noqa: E402
from ui.auth import LOGOUT_PATH, who  # noqa: E402
from ui.render import esc  # noqa: E402
from ui.services import Services  # noqa: E402

CSS_PATH = Path(__file__).parent / "static" / "styrdok.css"
TITLE = "Styrdok – assistent för kommunala styrdokument"
# Questions run answering (CPU-bound Python): two at a time uses both cores without thrashing.
DEFAULT_CONCURRENCY = 2
QUEUE_MAX = 64
# Sessions kept in memory. Gradio holds a copy of the whole page's configuration per session
# (about 0.45 MB here, measured with eval/soak_ui.py); a browser tab's copy goes an hour after it
# closes, an API client's never. Gradio's default of 10 000 would let clients grow the server by
# gigabytes; past this number the least recently used session is dropped.
MAX_SESSIONS = 500
# Runs once in the browser: Swedish as the page language, and Swedish accessible names where
# Gradio's own are English or not allowed (found by axe-core); re-applied as Gradio re-renders.
PAGE_JS = """
() => {
  document.documentElement.lang = 'sv';
  const label = (selector, name) =>
    document.querySelectorAll(selector).forEach((e) => e.setAttribute('aria-label', name));
  const fix = () => {
    // Gradio's upload area: its English label hides the Swedish visible text; without text it needs a name.
    document.querySelectorAll('[aria-label="Click to upload or drop files"], [data-sv-upload]').forEach((e) => {
      e.setAttribute('data-sv-upload', '1');
      if (e.innerText.trim()) e.removeAttribute('aria-label');
      else e.setAttribute('aria-label', 'Ladda upp filer');
    });
    label('[aria-label="common.upload"]', 'Ladda upp fler filer');
    label('input[type=file][aria-label="File upload"]', 'Välj fil att ladda upp');
    document.querySelectorAll('div[aria-label="Empty value"]:not([role])').forEach((e) => {
      e.setAttribute('role', 'img'); e.setAttribute('aria-label', 'Inga filer ännu'); });
  };
  fix();
  new MutationObserver(fix).observe(document.body, {subtree: true, childList: true});
}
"""


def theme() -> gr.themes.Base:
    """The default look with system fonts only: nothing is fetched from a font service."""
    return gr.themes.Default(
        primary_hue="blue",
        neutral_hue="gray",
        font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
    ).set(
        # Darker fills and greys than the defaults: white on blue-500 or red-500 is below 4.5:1.
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_cancel_background_fill="#b91c1c",
        button_cancel_background_fill_hover="#991b1b",
        body_text_color_subdued="*neutral_600",
    )


def css() -> str:
    return CSS_PATH.read_text(encoding="utf-8")


def launch_options(access=None) -> dict:
    """Launch settings; `access` (AccessControl) puts the login gate in front of everything."""
    from ui.auth import gate
    from ui.locale import middleware

    return {
        "theme": theme(),
        "css": css(),
        "js": PAGE_JS,
        "footer_links": [],
        "ssr_mode": False,
        "state_session_capacity": MAX_SESSIONS,
        "app_kwargs": {"middleware": [*gate(access), *middleware()]},  # login first; Gradio's own texts in Swedish
    }


SINGLE_USER_NOTE = (
    '<p class="access-note" role="note">Enanvändarläge utan inloggning: bara den här datorn når assistenten, '
    "och du ser och ändrar alla dokument. Inloggning för en hel förvaltning slås på i konfigurationen "
    "(se README).</p>"
)


def user_bar(principal) -> str:
    """Who is logged in, their role and a way out."""
    return (
        f'<p class="access-note" role="note">Inloggad som <strong>{esc(principal.name)}</strong> '
        f"({esc(principal.role.label)})"
        + (" via kommunens inloggning" if principal.via == "proxy" else "")
        + f' · <a href="{LOGOUT_PATH}">Logga ut</a></p>'
    )


def build_app(
    library: Library,
    *,
    chat_model=None,
    answerer_factory=None,
    services: Services | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    access=None,
) -> gr.Blocks:
    """The whole UI over `library`. `answerer_factory(library)` replaces the Answerer (tests).

    With `access` (assistant.access.control.AccessControl) the page is built for nobody and filled
    per user on load; without it, it is the single-user assistant it always was.
    """
    services = services or Services(library, chat_model=chat_model, answerer_factory=answerer_factory, access=access)
    # Starter questions come from the introduction of the whole index: not for users who read only part of it.
    starters = intro_tab.cached_starters(library) if not services.login_required else None
    # Uploaded files and generated reports in Gradio's cache are deleted after a day (checked hourly).
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 86400)) as demo:
        gr.HTML(
            '<header class="app-header"><h1>Styrdok</h1><p>Fråga om kommunens styrdokument, granska utkast till '
            "förfrågningsunderlag och håll ordning på dokumenten – allt med källor, helt utan internet.</p></header>",
            padding=False,
        )
        bar = gr.HTML("" if services.login_required else SINGLE_USER_NOTE, elem_id="access-bar", padding=False)
        with gr.Tabs():
            with gr.Tab("Fråga", id="fraga") as ask:
                ask_parts = ask_tab.build(services, starters)
            with gr.Tab("Granska förfrågningsunderlag", id="granska"):
                lint_tab.build(services, css())
            with gr.Tab("Dokument", id="dokument") as docs:
                docs_parts = docs_tab.build(services)
            with gr.Tab("Introduktion", id="introduktion") as intro:
                intro_load, intro_outputs = intro_tab.build(services)
            admin_parts = None
            if services.login_required:
                from ui import admin_tab

                with gr.Tab("Administration", id="administration", visible=False) as admin:
                    admin_parts = admin_tab.build(services)

        def kind_choices(current, request: gr.Request):
            from ui.render import kind_label

            present = services.kinds_present(who(services, request))
            values = {k.value for k in present}
            return gr.update(
                choices=[(kind_label(k), k.value) for k in present], value=[v for v in current or [] if v in values]
            )

        kind_filter = ask_parts["kind_filter"]
        ask.select(kind_choices, inputs=[kind_filter], outputs=[kind_filter], api_visibility="private", queue=False)
        docs.select(
            docs_parts["refresh"],
            inputs=docs_parts["inputs"],
            outputs=docs_parts["outputs"],
            api_visibility="private",
            queue=False,
        )
        intro.select(intro_load, outputs=intro_outputs, api_visibility="private", concurrency_id="intro")
        if services.login_required:

            def on_load(current, request: gr.Request):
                """The page for the one who opened it: their name, kinds, documents, controls, administration."""
                user = who(services, request)
                return (
                    user_bar(user),
                    kind_choices(current, request),
                    *docs_parts["load"](request),
                    gr.update(visible=user.is_admin),
                )

            demo.load(
                on_load,
                inputs=[kind_filter],
                outputs=[bar, kind_filter, *docs_parts["load_outputs"], admin],
                api_visibility="private",
                queue=False,
            )
            admin.select(admin_parts["load"], outputs=admin_parts["outputs"], api_visibility="private", queue=False)
    demo.queue(default_concurrency_limit=concurrency, max_size=QUEUE_MAX)
    demo.styrdok_services = services  # for the server (warm-up) and tests
    return demo

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


def launch_options() -> dict:
    from ui.locale import middleware

    return {
        "theme": theme(),
        "css": css(),
        "js": PAGE_JS,
        "footer_links": [],
        "ssr_mode": False,
        "state_session_capacity": MAX_SESSIONS,
        "app_kwargs": {"middleware": middleware()},  # Gradio's own texts in Swedish too
    }


def build_app(
    library: Library,
    *,
    chat_model=None,
    answerer_factory=None,
    services: Services | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> gr.Blocks:
    """The whole UI over `library`. `answerer_factory(library)` replaces the Answerer (tests)."""
    services = services or Services(library, chat_model=chat_model, answerer_factory=answerer_factory)
    starters = intro_tab.cached_starters(library)
    # Uploaded files and generated reports in Gradio's cache are deleted after a day (checked hourly).
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 86400)) as demo:
        gr.HTML(
            '<header class="app-header"><h1>Styrdok</h1><p>Fråga om kommunens styrdokument, granska utkast till '
            "förfrågningsunderlag och håll ordning på dokumenten – allt med källor, helt utan internet.</p></header>",
            padding=False,
        )
        with gr.Tabs():
            with gr.Tab("Fråga", id="fraga") as ask:
                ask_parts = ask_tab.build(services, starters)
            with gr.Tab("Granska förfrågningsunderlag", id="granska"):
                lint_tab.build(services, css())
            with gr.Tab("Dokument", id="dokument") as docs:
                docs_parts = docs_tab.build(services)
            with gr.Tab("Introduktion", id="introduktion") as intro:
                intro_load, intro_outputs = intro_tab.build(services)

        def kind_choices(current):
            from ui.render import kind_label

            present = services.kinds_present()
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
    demo.queue(default_concurrency_limit=concurrency, max_size=QUEUE_MAX)
    demo.styrdok_services = services  # for the server (warm-up) and tests
    return demo

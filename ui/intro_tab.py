"""The Introduktion tab for new politicians: the map of who does what, what fullmäktige must decide, who
decided which document, and a glossary, each with sources (HTML in ui/render_intro.py)."""

from __future__ import annotations

import logging

import gradio as gr

from assistant.api import Styrdok
from ui.render_intro import render_actors, render_decisions, render_glossary, render_mandate, render_map

log = logging.getLogger(__name__)

PLACEHOLDER = (
    '<div class="intro-placeholder" role="status"><p>Introduktionen tas fram ur dokumenten i biblioteket: '
    "kartan över vem som gör vad (fullmäktige, nämnd, beställare, utförare …), vad fullmäktige måste besluta, "
    "vem som har beslutat dokumenten och en ordlista, med källa för varje uppgift. "
    "Det tar en stund första gången.</p></div>"
)
# A click on a box or arrow of the map, or on a link to it (glossary, lists), opens the entry it points to:
# the <details> and those around it, scrolled into view with focus on its summary (keyboard users land there).
OPEN_TARGET_JS = """
element.addEventListener('click', (event) => {
  const link = event.target.closest(
    'a[href^="#map-"], a[href^="#mandate-"], a[href^="#decided-"], a[href="#role-map-list"]');
  if (!link || !element.contains(link)) return;
  const target = document.getElementById(link.getAttribute('href').slice(1));
  if (!target) return;
  event.preventDefault();
  for (let node = target; node; node = node.parentElement) { if (node.tagName === 'DETAILS') node.open = true; }
  target.scrollIntoView({block: 'start', behavior: 'smooth'});
  const focus = target.querySelector(':scope > summary') || target;
  if (!focus.hasAttribute('tabindex') && focus.tagName !== 'SUMMARY') focus.setAttribute('tabindex', '-1');
  focus.focus({preventScroll: true});
});
"""


def cached_starters(library, limit: int = 6) -> list[str] | None:
    """Verified starter questions from the intro cache, without building anything."""
    try:
        data = Styrdok.wrap(library).cached_intro()
    except Exception:  # an unreadable or old cache: use the defaults
        return None
    if data is None or not data.starters:
        return None
    by_actor: dict[str, list[str]] = {}
    for s in data.starters:
        by_actor.setdefault(s.actor, []).append(s.question)
    # One per role first, so the suggestions cover different roles.
    picked = [qs[0] for qs in by_actor.values()] + [q for qs in by_actor.values() for q in qs[1:]]
    return picked[:limit] or None


def build(services):
    gr.Markdown(
        "För dig som är ny i en nämnd eller i fullmäktige: vem gör vad när kommunen anlitar privata utförare, "
        "vad fullmäktige själv måste besluta, vem som har beslutat kommunens dokument och vad orden betyder. "
        "Allt är hämtat ur dokumenten i biblioteket, med källa."
    )
    gr.Markdown("## Kartan: vem beslutar, uppdrar, följer upp och utövar tillsyn")
    map_html = gr.HTML(PLACEHOLDER, elem_id="intro-map", padding=True, js_on_load=OPEN_TARGET_JS)
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=360):
            gr.Markdown("## Aktörerna och deras uppgifter")
            roles_html = gr.HTML(PLACEHOLDER, elem_id="role-map", padding=True, js_on_load=OPEN_TARGET_JS)
        with gr.Column(scale=2, min_width=320):
            gr.Markdown("## Det här måste fullmäktige besluta")
            mandate_html = gr.HTML(PLACEHOLDER, elem_id="mandate", padding=True, js_on_load=OPEN_TARGET_JS)
            gr.Markdown("## Vem har beslutat dokumenten")
            decisions_html = gr.HTML(PLACEHOLDER, elem_id="decisions", padding=True, js_on_load=OPEN_TARGET_JS)
    gr.Markdown("## Ordlista")
    glossary_html = gr.HTML(PLACEHOLDER, elem_id="glossary", padding=True, js_on_load=OPEN_TARGET_JS)
    outputs = [map_html, roles_html, mandate_html, decisions_html, glossary_html]

    def load(request: gr.Request, progress=gr.Progress()):  # noqa: B008 (Gradio injects it)
        from ui.auth import who

        user = who(services, request)
        progress(0.1, desc="Tar fram introduktionen ur dokumenten")
        try:
            data = services.intro(user)
        except Exception:
            log.exception("Introduktionen kunde inte tas fram")
            message = '<div class="error-box" role="alert">Introduktionen kunde inte tas fram. Se serverns logg.</div>'
            return [message] * len(outputs)
        renderers = (render_map, render_actors, render_mandate, render_decisions, render_glossary)
        return [render(data) for render in renderers]

    return load, outputs

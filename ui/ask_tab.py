"""The Fråga tab: a chat whose answers carry numbered citation chips that open the source pane."""

from __future__ import annotations

import logging

import gradio as gr

from assistant.errors import StyrdokError
from assistant.models import Answer, DocumentKind
from assistant.store import StoreUnavailableError
from ui.auth import who
from ui.render import SOURCE_PLACEHOLDER, kind_label, render_conversation, render_error, render_source
from ui.services import ChatSession, Services

log = logging.getLogger(__name__)

DEFAULT_STARTERS = [
    "Vem beslutar om förfrågningsunderlag och ersättningsnivåer?",
    "Hur ska privata utförare följas upp?",
    "Vad innebär konkurrensneutralitet för kommunens egen regi?",
    "Vilka åtgärder kan nämnden vidta vid kvalitetsbrister hos en utförare?",
    "Hur säkerställer fullmäktige allmänhetens insyn hos privata utförare?",
]

# Clicks on a chip anywhere in the conversation become one 'click' event carrying the chip's data.
CHIP_JS = """
element.addEventListener('click', (event) => {
  const chip = event.target.closest('.cite-chip');
  if (!chip || !element.contains(chip)) return;
  trigger('click', {turn: chip.dataset.turn, group: chip.dataset.group, n: chip.dataset.n});
});
"""

# After the source pane is filled: bring the marked passage (and on a PDF page its first box) into view
# and move focus there.
SHOW_SOURCE_JS = """
() => {
  setTimeout(() => {
    const pane = document.querySelector('#source-pane .source-pane');
    const reveal = (item, box) => {
      if (!item || !box) return;
      box.scrollTop += item.getBoundingClientRect().top - box.getBoundingClientRect().top - 40;
    };
    const mark = document.querySelector('#source-pane #cited-passage');
    reveal(mark, mark ? mark.closest('.source-text') : null);
    const figure = document.querySelector('#source-pane .pdf-page');
    reveal(figure ? figure.querySelector('.pdf-mark') : null, figure);
    // Focus follows the source, unless the user has gone on typing meanwhile (a slow server).
    const active = document.activeElement;
    const typing = active && active.matches('input, textarea, select, [contenteditable="true"]');
    if (pane && !typing) { pane.setAttribute('tabindex', '-1'); pane.focus({preventScroll: true});
                           pane.scrollIntoView({block: 'nearest'}); }
  }, 80);
}
"""
WHOLE_LABEL = "Visa hela dokumentet"
SECTION_LABEL = "Visa bara avsnittet"


def answer_question(
    services: Services, question: str, kinds: list[str] | None, session: ChatSession, principal=None
) -> Answer:
    """The answer, or a StyrdokError's message as an abstention; an unreachable server is raised.

    An unreachable vector server is not "no answer in the documents": the caller shows it as an
    error and leaves it out of the conversation, so the question can be asked again later.
    """
    try:
        return services.ask(question, session, kinds or None, principal)
    except StoreUnavailableError:
        raise
    except StyrdokError as error:
        return Answer(question=question, text=str(error), abstained=True)
    except Exception:  # one broken question must not end the session
        log.exception("Frågan kunde inte besvaras: %s", question)
        return Answer(
            question=question, text="Ett internt fel uppstod när frågan besvarades. Försök igen.", abstained=True
        )


def build(services: Services, starters: list[str] | None = None) -> dict:
    kinds = services.kinds_present(services.initial_principal) or list(DocumentKind)
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=360):
            session = gr.State(None)
            conversation = gr.HTML(
                render_conversation([]),
                elem_id="conversation",
                js_on_load=CHIP_JS,
                padding=True,
                max_height=620,
                autoscroll=True,
            )
            question = gr.Textbox(
                label="Din fråga",
                placeholder="T.ex. Vem följer upp privata utförare?",
                lines=1,
                max_lines=6,
                elem_id="question",
                submit_btn=False,
            )
            with gr.Row():
                ask_btn = gr.Button("Fråga", variant="primary", elem_id="ask-button", scale=2)
                clear_btn = gr.Button("Nytt samtal", variant="secondary", elem_id="new-chat", scale=1)
            kind_filter = gr.Dropdown(
                choices=[(kind_label(k), k.value) for k in kinds],
                value=[],
                multiselect=True,
                label="Sök bara i dessa dokumenttyper",
                info="Tomt = alla dokument.",
                elem_id="kind-filter",
            )
            gr.Markdown("**Förslag på frågor att börja med**")
            starter_buttons = []
            with gr.Row(elem_classes=["starters"]):
                for text in starters or DEFAULT_STARTERS:
                    starter_buttons.append(gr.Button(text, size="sm", variant="secondary", elem_classes=["starter"]))
        with gr.Column(scale=2, min_width=320, elem_classes=["source-column"]):
            gr.Markdown("## Källa")
            source = gr.HTML(SOURCE_PLACEHOLDER, elem_id="source-pane", padding=True, js_on_load=None)
            shown = gr.State(None)  # the citation in the pane and whether the whole document is open
            whole_btn = gr.Button(
                WHOLE_LABEL, size="sm", variant="secondary", elem_id="source-whole", interactive=False
            )

    def ask(text: str, kinds_value: list[str] | None, state: ChatSession | None, request: gr.Request):
        user = who(services, request)
        state = state or ChatSession()
        text = (text or "").strip()
        if not text:
            yield render_conversation(state.answers), state, ""
            return
        yield render_conversation(state.answers, pending=text), state, ""
        try:
            answer = answer_question(services, text, kinds_value, state, user)
        except StoreUnavailableError as error:
            # The question goes back into the box so it can be sent again once the server is up.
            yield render_conversation(state.answers) + render_error(str(error)), state, text
            return
        state.answers.append(answer)
        yield render_conversation(state.answers), state, ""

    def starter(text: str):
        def run(kinds_value, state, request: gr.Request):
            yield from ask(text, kinds_value, state, request)

        return run

    def show(citation, whole: bool, user):
        text, page_starts, meta = services.source(citation, user)
        image = None if whole or text is None else services.cited_page(citation, user)
        html = render_source(citation, text, page_starts, meta, whole=whole, page_image=image)
        button = gr.update(value=SECTION_LABEL if whole else WHOLE_LABEL, interactive=text is not None)
        return html, (citation, whole), button

    def open_source(state: ChatSession | None, evt: gr.EventData, request: gr.Request):
        user = who(services, request)
        data = getattr(evt, "_data", None) or {}
        try:
            turn, n, group = int(data.get("turn")), int(data.get("n")), data.get("group", "c")
            answer = state.answers[turn]
            citation = (answer.nearest if group == "n" else answer.citations)[n - 1]
        except (AttributeError, TypeError, ValueError, IndexError):
            return render_error("Källan kunde inte visas. Ställ frågan igen."), None, gr.update(interactive=False)
        return show(citation, whole=False, user=user)

    def toggle_whole(current, request: gr.Request):
        if not current:
            return SOURCE_PLACEHOLDER, None, gr.update(value=WHOLE_LABEL, interactive=False)
        citation, whole = current
        return show(citation, whole=not whole, user=who(services, request))

    def new_chat():
        return render_conversation([]), ChatSession(), SOURCE_PLACEHOLDER, "", None, gr.update(interactive=False)

    ask_io = dict(inputs=[question, kind_filter, session], outputs=[conversation, session, question])
    ask_btn.click(ask, api_name="fraga", concurrency_id="ask", **ask_io)
    question.submit(ask, api_visibility="private", concurrency_id="ask", **ask_io)
    for button, text in zip(starter_buttons, starters or DEFAULT_STARTERS, strict=True):
        button.click(
            starter(text),
            inputs=[kind_filter, session],
            outputs=[conversation, session, question],
            api_visibility="private",
            concurrency_id="ask",
        )
    source_io = dict(outputs=[source, shown, whole_btn], api_visibility="private", queue=False)
    conversation.click(open_source, inputs=[session], **source_io).then(None, js=SHOW_SOURCE_JS)
    whole_btn.click(toggle_whole, inputs=[shown], **source_io).then(None, js=SHOW_SOURCE_JS)
    clear_btn.click(
        new_chat,
        outputs=[conversation, session, source, question, shown, whole_btn],
        api_visibility="private",
        queue=False,
    )
    return {"conversation": conversation, "question": question, "kind_filter": kind_filter, "source": source}

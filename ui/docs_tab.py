"""The Dokument tab: the library table, upload with progress, search, remove and re-index."""

from __future__ import annotations

import logging

import gradio as gr

from assistant.errors import StyrdokError
from ui.lint_tab import upload_name
from ui.render import esc, render_status
from ui.services import Services
from ui.validation import inside, same_name_uploads, store_upload, validate_upload

log = logging.getLogger(__name__)

HEADERS = ["Titel", "Typ", "Utfärdare", "Datum", "Sidor", "Textavsnitt", "Status", "Fil"]


def render_hits(query: str, hits) -> str:
    if not hits:
        return f'<p role="status">Inga träffar för ”{esc(query)}”.</p>'
    items = []
    for hit in hits:
        text = " ".join(hit.chunk.text.split())
        snippet = text[:280] + ("…" if len(text) > 280 else "")
        page = f"s. {hit.chunk.page_start}" if hit.chunk.page_start else ""
        loc = ", ".join(x for x in (page, hit.chunk.section or "") if x)
        items.append(
            f'<li><span class="src-title">{esc(hit.meta.title)}</span> <span class="src-meta">{esc(hit.chunk.doc)}'
            f'{", " + esc(loc) if loc else ""}</span><div class="snippet">{esc(snippet)}</div></li>'
        )
    heading = f"<p>{len(hits)} träffar för ”{esc(query)}”:</p>"
    return f'<div class="search-hits" role="status">{heading}<ol>{"".join(items)}</ol></div>'


def build(services: Services) -> dict:
    gr.Markdown(
        "Här är alla dokument som assistenten söker i. Lägg till egna dokument (PDF, Word .docx, Markdown eller text); "
        "de indexeras direkt och går sedan att fråga om och söka i."
    )
    table = gr.Dataframe(
        value=services.documents_table(),
        headers=HEADERS,
        type="array",
        interactive=False,
        wrap=True,
        label="Dokument i biblioteket",
        elem_id="doc-table",
        max_height=420,
        column_widths=["26%", "10%", "16%", "9%", "6%", "9%", "10%", "14%"],
    )
    with gr.Row(equal_height=False):
        with gr.Column(min_width=300):
            gr.Markdown("## Lägg till dokument")
            upload = gr.File(label="Dokument att lägga till", file_count="multiple", elem_id="doc-upload")
            add_btn = gr.Button("Lägg till och indexera", variant="primary", elem_id="add-docs")
            reindex_btn = gr.Button("Indexera om", variant="secondary", elem_id="reindex")
        with gr.Column(min_width=300):
            gr.Markdown("## Ta bort dokument")
            to_remove = gr.Dropdown(
                choices=services.doc_names(),
                value=None,
                label="Dokument att ta bort",
                elem_id="remove-choice",
            )
            remove_btn = gr.Button("Ta bort dokumentet", variant="stop", elem_id="remove-doc")
        with gr.Column(min_width=300):
            gr.Markdown("## Sök i biblioteket")
            query = gr.Textbox(label="Sökord", placeholder="T.ex. sanktionstrappa", elem_id="doc-search")
            search_btn = gr.Button("Sök", elem_id="doc-search-button")
    status = gr.HTML("", elem_id="doc-status", padding=True)
    hits_html = gr.HTML("", elem_id="doc-hits", padding=True)

    def refreshed():
        return services.documents_table(), gr.update(choices=services.doc_names(), value=None)

    def add(files, progress=gr.Progress()):  # noqa: B008 (Gradio injects it)
        if not files:
            return (render_status("Välj en eller flera filer att lägga till först.", ok=False), *refreshed())
        problems, stored = [], []
        max_bytes = int(services.library.settings.max_file_mb * 1024 * 1024)
        for file in files:
            path, original = upload_name(file)
            try:
                name = validate_upload(path, original, max_bytes)
                stored.append(store_upload(path, name, services.upload_folder))
            except StyrdokError as error:
                problems.append(str(error))
        summary = ""
        if stored:
            progress(0, desc="Indexerar")

            def step(name: str, done: int, total: int) -> None:
                progress((done, total), desc=f"Indexerar {name}" if name else "Bygger om sökindexet", unit="filer")

            try:
                report = services.ingest(stored, progress=step)
            except StyrdokError as error:  # another process is writing, or the Chroma server is down
                return (render_status(str(error), ok=False), *refreshed())
            summary = report.summary_sv().split("\nHoppade över")[0]
            problems.extend(s.reason for s in report.skipped)
            indexed = set(services.doc_names())
            for path in stored:
                older = [p.name for p in same_name_uploads(path) if p.name in indexed]
                if older and path.name in indexed:
                    summary += (
                        f"\nObs: {path.name} har samma namn som {', '.join(older)} som redan finns i biblioteket. "
                        "Är den nya filen en ny version, ta bort den äldre under ”Ta bort dokument”."
                    )
        html = render_status(summary) if summary else ""
        if problems:
            html += render_status("\n".join(f"Kunde inte läggas till: {p}" for p in problems), ok=False)
        return (html, *refreshed())

    def reindex(progress=gr.Progress()):  # noqa: B008 (Gradio injects it)
        folders = services.reindex_folders()
        if not folders:
            return (render_status("Det finns inga mappar att indexera om.", ok=False), *refreshed())

        def step(name: str, done: int, total: int) -> None:
            progress((done, total), desc=f"Kontrollerar {name}" if name else "Bygger om sökindexet", unit="filer")

        try:
            report = services.ingest(folders, progress=step)
        except StyrdokError as error:
            return (render_status(str(error), ok=False), *refreshed())
        text = "Omindexering klar.\n" + report.summary_sv()
        return (render_status(text, ok=not report.skipped), *refreshed())

    def remove(doc: str | None):
        if not doc:
            return (render_status("Välj ett dokument att ta bort först.", ok=False), *refreshed())
        try:
            removed = services.remove([doc])
        except StyrdokError as error:
            return (render_status(str(error), ok=False), *refreshed())
        if not removed:
            return (render_status(f"{doc} finns inte längre i biblioteket.", ok=False), *refreshed())
        try:
            upload_copy = inside(services.upload_folder, doc)
        except StyrdokError:
            upload_copy = None  # an indexed name that is not a plain file name was never an upload
        if upload_copy is not None and upload_copy.is_file():
            upload_copy.unlink()  # otherwise "Indexera om" would add it back
        return (render_status(f"{doc} är borttaget ur biblioteket."), *refreshed())

    def search(text: str):
        text = (text or "").strip()
        if not text:
            return render_status("Skriv ett sökord först.", ok=False)
        try:
            return render_hits(text, services.search(text, k=8))
        except StyrdokError as error:
            return render_status(str(error), ok=False)

    outputs = [status, table, to_remove]
    add_btn.click(
        add, inputs=[upload], outputs=outputs, api_name="lagg_till", concurrency_id="write", concurrency_limit=1
    )
    reindex_btn.click(reindex, outputs=outputs, api_name="indexera_om", concurrency_id="write", concurrency_limit=1)
    remove_btn.click(
        remove, inputs=[to_remove], outputs=outputs, api_name="ta_bort", concurrency_id="write", concurrency_limit=1
    )
    search_btn.click(search, inputs=[query], outputs=[hits_html], api_name="sok")
    query.submit(search, inputs=[query], outputs=[hits_html], api_visibility="private")
    return {"table": table, "remove_choice": to_remove, "refresh": refreshed, "outputs": [table, to_remove]}

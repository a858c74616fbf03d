"""The Dokument tab: the library a page at a time (filter by folder, kind, text), upload with
progress, replace a document with a new version, remove, search, and how far semantic indexing has come."""

from __future__ import annotations

import logging

import gradio as gr

from assistant.errors import StyrdokError
from ui.auth import who
from ui.lint_tab import upload_name
from ui.render import esc, render_status
from ui.services import Services
from ui.validation import inside, remove_upload, same_name_uploads, store_upload, validate_upload

log = logging.getLogger(__name__)

HEADERS = ["Titel", "Typ", "Mapp", "Beslutat av / utfärdare", "Datum", "Sidor", "Textavsnitt", "Status", "Dokument"]
# With login, users have collections: the table shows each document's.
LOGIN_HEADERS = [*HEADERS[:7], "Samling", *HEADERS[7:]]
DOC_COLUMN = HEADERS.index("Dokument")


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


def render_vector_status(done: int, total: int, running: bool) -> str:
    """How far semantic indexing has come; the documents are searchable by their words meanwhile."""
    if total == 0:
        return ""
    if done >= total:
        return f'<p class="vector-status muted">Semantisk sökning: alla {total:,} textavsnitt är klara.</p>'.replace(
            ",", "\u00a0"
        )
    share = done / total
    state = "pågår" if running else "väntar (fortsätter vid nästa indexering eller omstart)"
    text = (
        f"Semantisk indexering {state}: {done:,} av {total:,} textavsnitt ({share:.0%}). "
        "Dokumenten går redan att hitta med sina ord."
    ).replace(",", "\u00a0")
    return (
        f'<div class="vector-status" role="status"><progress max="{total}" value="{done}" '
        f'aria-label="Semantisk indexering">{share:.0%}</progress> {esc(text)}</div>'
    )


def page_label(page) -> str:
    return f'<p class="page-info" role="status">Sida {page.page + 1} av {page.pages} · {page.matching} dokument</p>'


def edit_controls(services: Services, principal) -> tuple:
    """Visibility of the controls that change documents, and the collections to add to, for `principal`
    (hiding is for the eye only: the server refuses what the role does not allow)."""
    collections = services.editable_collections(principal) if principal.may_edit_documents else []
    show_collection = bool(collections) and (services.login_required or len(collections) > 1)
    return (
        gr.update(visible=principal.may_edit_documents),
        gr.update(visible=principal.may_edit_documents),
        gr.update(visible=principal.may_edit_documents),
        gr.update(visible=principal.is_admin),
        gr.update(choices=collections, value=collections[0] if collections else None, visible=show_collection),
    )


def build(services: Services) -> dict:
    gr.Markdown(
        "Här är alla dokument som assistenten söker i"
        + (" och som du har behörighet att läsa" if services.login_required else "")
        + ". Lägg till egna dokument (PDF, Word .docx, Markdown eller text); "
        "de går att söka i med sina ord direkt, och semantisk sökning blir klar strax efter."
    )
    initial = services.initial_principal
    done, total, running = services.vector_status(initial)
    vector_html = gr.HTML(render_vector_status(done, total, running), elem_id="vector-status", padding=False)
    timer = gr.Timer(3)
    first = services.documents_page(principal=initial)
    with gr.Row(equal_height=True):
        folder = gr.Dropdown(
            choices=services.folder_choices(initial), value="", label="Mapp", elem_id="doc-folder", scale=2
        )
        kind = gr.Dropdown(choices=services.kind_choices(initial), value="", label="Typ", elem_id="doc-kind", scale=1)
        text = gr.Textbox(value="", label="Filtrera på titel eller filnamn", elem_id="doc-filter", scale=2)
    table = gr.Dataframe(
        value=first.rows,
        headers=LOGIN_HEADERS if services.login_required else HEADERS,
        type="array",
        interactive=False,
        wrap=True,
        label="Dokument i biblioteket (klicka på en rad för att markera dokumentet)",
        elem_id="doc-table",
        max_height=520,
        column_widths=(
            ["22%", "7%", "10%", "13%", "7%", "5%", "6%", "10%", "7%", "13%"]
            if services.login_required
            else ["24%", "8%", "12%", "14%", "8%", "5%", "7%", "8%", "14%"]
        ),
        buttons=[],
    )
    page_state = gr.State(0)
    with gr.Row(equal_height=True):
        prev_btn = gr.Button("◀ Föregående sida", size="sm", elem_id="doc-prev", scale=0)
        page_info = gr.HTML(page_label(first), elem_id="doc-page", padding=False)
        next_btn = gr.Button("Nästa sida ▶", size="sm", elem_id="doc-next", scale=0)
    can_edit = initial.may_edit_documents
    first_collections = services.editable_collections(initial) if can_edit else []
    with gr.Row(equal_height=False):
        with gr.Column(min_width=300, visible=can_edit, elem_id="add-column") as add_column:
            gr.Markdown("## Lägg till dokument")
            upload = gr.File(label="Dokument att lägga till", file_count="multiple", elem_id="doc-upload")
            collection = gr.Dropdown(
                choices=first_collections,
                value=first_collections[0] if first_collections else None,
                label="Samling",
                info="Bara de som har behörighet till samlingen ser dokumentet.",
                allow_custom_value=True,  # the choices are each user's own (set on load); the server checks the right
                elem_id="doc-collection",
                visible=len(first_collections) > 1,
            )
            add_btn = gr.Button("Lägg till och indexera", variant="primary", elem_id="add-docs")
            replace_older_btn = gr.Button(
                "Ersätt äldre version med den nya", variant="secondary", visible=False, elem_id="replace-older"
            )
            reindex_btn = gr.Button("Indexera om", variant="secondary", elem_id="reindex", visible=initial.is_admin)
        with gr.Column(min_width=300):
            gr.Markdown("## Markerat dokument")
            selected = gr.Textbox(
                label="Dokument (klicka på en rad i tabellen eller skriv sökvägen)",
                elem_id="selected-doc",
                placeholder="t.ex. Hemtjänst/Dagsrutiner.md",
            )
            replace_btn = gr.Button(
                "Ersätt med filen i uppladdningsrutan", variant="secondary", elem_id="replace-doc", visible=can_edit
            )
            remove_btn = gr.Button("Ta bort dokumentet", variant="stop", elem_id="remove-doc", visible=can_edit)
        with gr.Column(min_width=300):
            gr.Markdown("## Sök i biblioteket")
            query = gr.Textbox(label="Sökord", placeholder="T.ex. sanktionstrappa", elem_id="doc-search")
            search_btn = gr.Button("Sök", elem_id="doc-search-button")
    status = gr.HTML("", elem_id="doc-status", padding=True)
    hits_html = gr.HTML("", elem_id="doc-hits", padding=True)
    older = gr.State([])  # documents a new upload may replace (same original name)

    def view(folder_value, kind_value, text_value, page_value, user):
        page = services.documents_page(
            folder_value or "", kind_value or "", text_value or "", page_value or 0, principal=user
        )
        return page.rows, page_label(page), page.page

    def refreshed(folder_value="", kind_value="", text_value="", page_value=0, user=None):
        user = user or initial
        rows, label, page = view(folder_value, kind_value, text_value, page_value, user)
        folders = services.folder_choices(user)
        kinds = services.kind_choices(user)
        keep_folder = folder_value if folder_value in {v for _, v in folders} else ""
        keep_kind = kind_value if kind_value in {v for _, v in kinds} else ""
        return (
            rows,
            label,
            page,
            gr.update(choices=folders, value=keep_folder),
            gr.update(choices=kinds, value=keep_kind),
            render_vector_status(*services.vector_status(user)),
        )

    filters = [folder, kind, text, page_state]
    listing = [table, page_info, page_state, folder, kind, vector_html]

    def ingest_files(files, progress, user, collection_value: str | None = None, replace_doc: str | None = None):
        """Validate, store and index uploads; returns (summary html, documents an upload may replace)."""
        if not files:
            return render_status("Välj en eller flera filer att lägga till först.", ok=False), []
        if replace_doc:
            meta = services.api_for(user).document(replace_doc)
            collection_value = meta.collection if meta is not None else collection_value
        elif services.login_required or collection_value:
            editable = services.editable_collections(user)
            collection_value = collection_value or (editable[0] if editable else None)
        try:  # refused before a byte is stored; the API checks again when it writes
            services.check_may_edit(user, collection_value)
        except StyrdokError as error:
            return render_status(str(error), ok=False), []
        problems, stored, names = [], [], {}
        max_bytes = int(services.library.settings.max_file_mb * 1024 * 1024)
        for file in files:
            path, original = upload_name(file)
            try:
                name = validate_upload(path, original, max_bytes)
                target = store_upload(path, name, services.upload_folder, collection_value)
                stored.append(target)
                names[target.name] = name
            except StyrdokError as error:
                problems.append(str(error))
        summary, candidates = "", []
        if stored:
            progress(0, desc="Läser in")

            def step(name: str, done: int, total: int) -> None:
                progress((done, total), desc=f"Läser in {name}" if name else "Uppdaterar sökindexet", unit="filer")

            try:
                if replace_doc:
                    report = services.replace(replace_doc, stored[0], progress=step, principal=user)
                else:
                    report = services.ingest(stored, progress=step, principal=user, collection=collection_value)
            except StyrdokError as error:  # not allowed, another process is writing, or the Chroma server is down
                return render_status(str(error), ok=False), []
            summary = report.summary_sv().split("\nHoppade över")[0]
            if replace_doc and report.removed:
                summary += f"\n{replace_doc} är ersatt av den nya versionen."
            problems.extend(s.reason for s in report.skipped)
            indexed = set(services.doc_names(user))  # only what this user reads may be named back to them
            readable = services.api_for(user).documents()
            for path in stored:
                same = [p.name for p in same_name_uploads(path) if p.name in indexed]
                same += [
                    m.doc
                    for m in readable
                    if m.doc != path.name and m.file_name == names.get(path.name) and m.doc not in same
                ]
                if same and path.name in indexed and not replace_doc:
                    candidates.extend(same)
                    shown = names.get(path.name, path.name)
                    summary += (
                        f"\nObs: {shown} har samma namn som {', '.join(same)} som redan finns i biblioteket. "
                        "Är den nya filen en ny version, välj ”Ersätt äldre version med den nya”."
                    )
        html = render_status(summary) if summary else ""
        if problems:
            html += render_status("\n".join(f"Kunde inte läggas till: {p}" for p in problems), ok=False)
        return html, candidates

    def add(
        files,
        collection_value,
        folder_value,
        kind_value,
        text_value,
        page_value,
        request: gr.Request,
        progress=gr.Progress(),  # noqa: B008
    ):
        user = who(services, request)
        html, candidates = ingest_files(files, progress, user, collection_value=collection_value)
        return (
            html,
            *refreshed(folder_value, kind_value, text_value, page_value, user),
            candidates,
            gr.update(visible=bool(candidates)),
        )

    def replace_older(candidates, folder_value, kind_value, text_value, page_value, request: gr.Request):
        user = who(services, request)
        if not candidates:
            return (
                render_status("Det finns ingen äldre version att ersätta.", ok=False),
                *refreshed(folder_value, kind_value, text_value, page_value, user),
                [],
                gr.update(visible=False),
            )
        try:
            removed = services.remove(candidates, principal=user)
        except StyrdokError as error:
            return (
                render_status(str(error), ok=False),
                *refreshed(folder_value, kind_value, text_value, page_value, user),
                candidates,
                gr.update(visible=True),
            )
        for doc in removed:
            _drop_upload_copy(doc)
        text_out = "Ersatt: " + ", ".join(removed) + " är borttaget; den nya versionen finns kvar."
        return (
            render_status(text_out),
            *refreshed(folder_value, kind_value, text_value, page_value, user),
            [],
            gr.update(visible=False),
        )

    def replace(
        doc,
        files,
        folder_value,
        kind_value,
        text_value,
        page_value,
        request: gr.Request,
        progress=gr.Progress(),  # noqa: B008
    ):
        user = who(services, request)
        doc = (doc or "").strip()
        found = services.resolve(doc, user) if doc else []
        if len(found) != 1:
            message = "Markera först dokumentet som ska ersättas." if not doc else f"{doc} finns inte i biblioteket."
            return (
                render_status(message, ok=False),
                *refreshed(folder_value, kind_value, text_value, page_value, user),
            )
        if not files or len(files) != 1:
            return (
                render_status("Välj exakt en fil med den nya versionen i uppladdningsrutan.", ok=False),
                *refreshed(folder_value, kind_value, text_value, page_value, user),
            )
        html, _ = ingest_files(files, progress, user, replace_doc=found[0])
        _drop_upload_copy(found[0])
        return (html, *refreshed(folder_value, kind_value, text_value, page_value, user))

    def reindex(folder_value, kind_value, text_value, page_value, request: gr.Request, progress=gr.Progress()):  # noqa: B008
        user = who(services, request)

        def step(name: str, done: int, total: int) -> None:
            progress((done, total), desc=f"Kontrollerar {name}" if name else "Uppdaterar sökindexet", unit="filer")

        try:
            report = services.reindex(progress=step, principal=user)
        except StyrdokError as error:
            return (
                render_status(str(error), ok=False),
                *refreshed(folder_value, kind_value, text_value, page_value, user),
            )
        if report is None:
            return (
                render_status("Det finns inga mappar att indexera om.", ok=False),
                *refreshed(folder_value, kind_value, text_value, page_value, user),
            )
        text_out = "Omindexering klar.\n" + report.summary_sv()
        return (
            render_status(text_out, ok=not report.skipped),
            *refreshed(folder_value, kind_value, text_value, page_value, user),
        )

    def _drop_upload_copy(doc: str) -> None:
        try:
            upload_copy = inside(services.upload_folder, doc)
        except StyrdokError:
            return  # an indexed name that is not a plain file name was never an upload
        if upload_copy.is_file() and doc not in set(services.doc_names()):  # the whole index: is it gone?
            remove_upload(upload_copy)  # otherwise "Indexera om" would add it back

    def remove(doc, folder_value, kind_value, text_value, page_value, request: gr.Request):
        user = who(services, request)
        doc = (doc or "").strip()
        if not doc:
            return (
                render_status("Markera ett dokument att ta bort först (klicka på en rad).", ok=False),
                *refreshed(folder_value, kind_value, text_value, page_value, user),
                "",
            )
        found = services.resolve(doc, user)
        if len(found) > 1:
            return (
                render_status(f"Flera dokument heter {doc}; ange sökvägen: {', '.join(found)}.", ok=False),
                *refreshed(folder_value, kind_value, text_value, page_value, user),
                doc,
            )
        try:
            removed = services.remove(found or [doc], principal=user)
        except StyrdokError as error:
            return (
                render_status(str(error), ok=False),
                *refreshed(folder_value, kind_value, text_value, page_value, user),
                doc,
            )
        if not removed:
            return (
                render_status(f"{doc} finns inte längre i biblioteket.", ok=False),
                *refreshed(folder_value, kind_value, text_value, page_value, user),
                "",
            )
        _drop_upload_copy(removed[0])
        return (
            render_status(f"{removed[0]} är borttaget ur biblioteket."),
            *refreshed(folder_value, kind_value, text_value, page_value, user),
            "",
        )

    def search(text_value: str, request: gr.Request):
        user = who(services, request)
        text_value = (text_value or "").strip()
        if not text_value:
            return render_status("Skriv ett sökord först.", ok=False)
        try:
            return render_hits(text_value, services.search(text_value, k=8, principal=user))
        except StyrdokError as error:
            return render_status(str(error), ok=False)

    def select_row(evt: gr.SelectData):
        row = evt.row_value if evt.row_value else None
        return row[-1] if row and len(row) > DOC_COLUMN else gr.update()  # the id is the last column

    def filtered(folder_value, kind_value, text_value, request: gr.Request):
        rows, label, page = view(folder_value, kind_value, text_value, 0, who(services, request))
        return rows, label, page

    def step_page(delta: int):
        def go(folder_value, kind_value, text_value, page_value, request: gr.Request):
            return view(folder_value, kind_value, text_value, (page_value or 0) + delta, who(services, request))

        return go

    def tick(request: gr.Request):
        return render_vector_status(*services.vector_status(who(services, request)))

    page_outputs = [table, page_info, page_state]
    for component in (folder, kind):
        component.change(filtered, inputs=filters[:3], outputs=page_outputs, api_visibility="private", queue=False)
    text.submit(filtered, inputs=filters[:3], outputs=page_outputs, api_visibility="private", queue=False)
    text.change(
        filtered,
        inputs=filters[:3],
        outputs=page_outputs,
        api_visibility="private",
        queue=False,
        trigger_mode="always_last",
    )
    prev_btn.click(step_page(-1), inputs=filters, outputs=page_outputs, api_visibility="private", queue=False)
    next_btn.click(step_page(+1), inputs=filters, outputs=page_outputs, api_visibility="private", queue=False)
    table.select(select_row, outputs=[selected], api_visibility="private", queue=False)
    timer.tick(
        tick,
        outputs=[vector_html],
        api_visibility="private",
        queue=False,
        show_progress="hidden",
    )

    write = {"concurrency_id": "write", "concurrency_limit": 1}
    add_btn.click(
        add,
        inputs=[upload, collection, *filters],
        outputs=[status, *listing, older, replace_older_btn],
        api_name="lagg_till",
        **write,
    )
    replace_older_btn.click(
        replace_older,
        inputs=[older, *filters],
        outputs=[status, *listing, older, replace_older_btn],
        api_name="ersatt_aldre",
        **write,
    )
    replace_btn.click(
        replace, inputs=[selected, upload, *filters], outputs=[status, *listing], api_name="ersatt", **write
    )
    reindex_btn.click(reindex, inputs=filters, outputs=[status, *listing], api_name="indexera_om", **write)
    remove_btn.click(
        remove, inputs=[selected, *filters], outputs=[status, *listing, selected], api_name="ta_bort", **write
    )
    search_btn.click(search, inputs=[query], outputs=[hits_html], api_name="sok")
    query.submit(search, inputs=[query], outputs=[hits_html], api_visibility="private")

    def on_select(folder_value, kind_value, text_value, page_value, request: gr.Request):
        return refreshed(folder_value, kind_value, text_value, page_value, who(services, request))

    def on_load(request: gr.Request):
        """The page for the one who opened it: their documents and the controls their role allows."""
        user = who(services, request)
        return (*refreshed(user=user), *edit_controls(services, user))

    return {
        "refresh": on_select,
        "inputs": filters,
        "outputs": listing,
        "load": on_load,
        "load_outputs": [*listing, add_column, replace_btn, remove_btn, reindex_btn, collection],
    }

"""The Granska förfrågningsunderlag tab: upload a draft, see findings, download the report."""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

import gradio as gr

from assistant.errors import StyrdokError
from ui.render import render_error
from ui.render_lint import finding_span, render_draft, render_findings, render_summary, report_html, report_markdown
from ui.services import Review, Services
from ui.validation import inside, safe_name, validate_upload

log = logging.getLogger(__name__)

GROUPS = [("Regel", "rule"), ("Avsnitt i utkastet", "section")]
INTRO = (
    "Ladda upp ett utkast till förfrågningsunderlag (PDF, Word .docx, Markdown eller text). "
    "Granskningen visar brister mot principerna i styrdokumenten – till exempel konkurrensneutralitet, "
    "uppföljningsbara krav och sanktioner – med klausulen markerad i texten, principens källa och ett förslag."
)


def upload_name(file) -> tuple[Path, str]:
    """Server path and original name of an uploaded file (gr.File gives a path string)."""
    path = Path(file if isinstance(file, str) else getattr(file, "name", file))
    original = getattr(file, "orig_name", None) or path.name
    return path, original


def review_views(review: Review, group_by: str) -> tuple[str, str, str]:
    """(summary, findings, draft) HTML of a review."""
    text = review.draft.text
    sentences = list(getattr(review.draft, "sentences", []))
    spans, located = [], []
    for i, finding in enumerate(review.findings):
        span = finding_span(finding, text, sentences)
        located.append(span is not None)
        if span is not None:
            spans.append((span[0], span[1], i, finding.severity))
    return (
        render_summary(review.findings, review.name, getattr(review.draft, "classification", None)),
        render_findings(review.findings, group_by, review.rule_titles, located),
        render_draft(text, spans),
    )


def write_reports(review: Review, folder: Path, css: str = "") -> list[str]:
    """The report as Markdown and HTML, and for a DOCX draft a copy with Word comments."""
    stem = Path(review.name).stem
    md_path, html_path = folder / f"granskning_{stem}.md", folder / f"granskning_{stem}.html"
    try:
        from assistant.lint.report import DraftResult, render_html, render_markdown

        results = [DraftResult.build(review.draft, review.findings)]
        md_text, html_text = render_markdown(results), render_html(results)
    except (ImportError, AttributeError, TypeError, ValueError):
        log.info("lint-paketets rapporter saknas; UI:ts egna används")
        md_text = report_markdown(review.name, review.findings, review.rule_titles)
        html_text = report_html(review.name, review.findings, review.rule_titles, css)
    md_path.write_text(md_text, encoding="utf-8")
    html_path.write_text(html_text, encoding="utf-8")
    files = [str(md_path), str(html_path)]
    if review.path.suffix.lower() == ".docx":
        try:
            from assistant.lint.docx_comments import write_commented_docx

            out = folder / f"{stem}_med_kommentarer.docx"
            write_commented_docx(review.findings, out, source=review.path, draft=review.draft)
            files.append(str(out))
        except Exception:  # the reports above still help; the failure is logged
            log.exception("Kunde inte skriva Word-filen med kommentarer för %s", review.name)
    return files


def review_copy(services: Services, path: Path, shown: str, folder: Path, css: str, progress, principal=None) -> tuple:
    """Review a draft from a copy that is deleted right after; only the reports stay in `folder`.

    A draft is only read, never added to the library: the copy is named after the original (so
    the review shows that name) but lives in its own temporary folder, inside it by construction.
    """
    with tempfile.TemporaryDirectory(prefix="utkast-", dir=services.work_dir) as scratch:
        local = inside(Path(scratch), safe_name(shown))
        shutil.copyfile(path, local)
        progress(0.3, desc="Granskar mot reglerna")
        review = services.review(local, principal)
        progress(0.9, desc="Skriver rapporten")
        return review, write_reports(review, folder, css)


def build(services: Services, css: str = "") -> dict:
    gr.Markdown(INTRO)
    review_state = gr.State(None)
    with gr.Row(equal_height=False):
        with gr.Column(scale=2, min_width=280):
            upload = gr.File(
                label="Utkast att granska (PDF, DOCX, Markdown eller text)",
                file_count="single",
                elem_id="draft-upload",
            )
            run_btn = gr.Button("Granska utkastet", variant="primary", elem_id="review-button")
            group_by = gr.Radio(GROUPS, value="rule", label="Gruppera fynden efter", elem_id="group-by")
            downloads = gr.File(
                label="Ladda ned rapporten (Markdown, HTML; Word med kommentarer för .docx)",
                file_count="multiple",
                interactive=False,
                elem_id="report-files",
            )
        with gr.Column(scale=5, min_width=360):
            summary = gr.HTML(
                '<p class="muted">Fynden visas här, grupperade efter regel eller avsnitt, bredvid utkastets text.</p>',
                elem_id="lint-summary",
                padding=True,
            )
            with gr.Row(equal_height=False):
                with gr.Column(min_width=320):
                    gr.Markdown("## Fynd")
                    findings_html = gr.HTML("", elem_id="findings", padding=True, max_height=760)
                with gr.Column(min_width=320):
                    gr.Markdown("## Utkastets text")
                    draft_html = gr.HTML(
                        '<p class="muted">Här visas utkastet med de klausuler som har fynd markerade.</p>',
                        elem_id="draft-text",
                        padding=True,
                        max_height=760,
                    )

    def run(file, grouping: str, request: gr.Request, progress=gr.Progress()):  # noqa: B008 (Gradio injects it)
        from ui.auth import who

        user = who(services, request)
        if file is None:
            return render_error("Välj en fil att granska först."), "", "", None, None
        path, original = upload_name(file)
        try:
            shown = validate_upload(path, original, int(services.library.settings.max_file_mb * 1024 * 1024))
            progress(0.1, desc="Läser utkastet")
            folder = Path(tempfile.mkdtemp(prefix="granskning-", dir=services.work_dir))
            review, files = review_copy(services, path, shown, folder, css, progress, user)
        except StyrdokError as error:
            return render_error(f"Utkastet kunde inte granskas: {error}"), "", "", None, None
        except Exception:
            log.exception("Granskningen misslyckades för %s", original)
            return render_error(f"{original}: ett internt fel uppstod vid granskningen."), "", "", None, None
        summary_html, findings, draft = review_views(review, grouping)
        return summary_html, findings, draft, files, review

    def regroup(grouping: str, review: Review | None):
        if review is None:
            return gr.skip()
        return review_views(review, grouping)[1]

    run_btn.click(
        run,
        inputs=[upload, group_by],
        outputs=[summary, findings_html, draft_html, downloads, review_state],
        api_name="granska",
        concurrency_id="review",
    )
    group_by.change(
        regroup, inputs=[group_by, review_state], outputs=[findings_html], api_visibility="private", queue=False
    )
    return {"upload": upload, "summary": summary, "findings": findings_html}

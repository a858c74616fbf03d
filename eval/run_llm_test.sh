#!/usr/bin/env bash
# The generative path against a real local LLM: starts llama.cpp's OpenAI-compatible server from a
# cached GGUF, runs tests/test_llm_integration.py against it, measures per-question latency of
# `styrdok ask --batch --json --llm` over the first dev questions, and stops the server.
#
#   eval/run_llm_test.sh [INDEX]     INDEX for the latency run; default /tmp/ix2 if it exists
#
# Needs (set up by hand, outside the repo; the script skips with a message when they are absent):
#   STYRDOK_LLMVENV   a venv with llama-cpp-python[server]     (default /work/llmvenv)
#   STYRDOK_LLM_GGUF  the model file                            (default ~/.cache/styrdok-models/
#                                                                qwen2.5-coder-1.5b-instruct-q4_k_m.gguf)
# Optional: STYRDOK_LLM_PORT (8088), STYRDOK_LLM_THREADS (2), STYRDOK_LLM_QUESTIONS (8).
#
# Building llama-cpp-python here: the default native build compiles AMX code that this VM's CPU announces but
# does not enable, and the server dies on its first completion (general protection fault in
# ggml_backend_amx_mul_mat). Build without it (about 7.5 minutes on 2 cores):
#   CMAKE_BUILD_PARALLEL_LEVEL=2 CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON \
#     -DGGML_F16C=ON -DGGML_AVX512=ON -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF" \
#     "$STYRDOK_LLMVENV/bin/pip" install 'llama-cpp-python[server]==0.3.36'
# The server runs with OMP_WAIT_POLICY=passive: with other jobs on the 2 cores, OpenMP's spinning made
# generation about 10 times slower (24 tokens in 34-51 s against 3 s).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

LLMVENV="${STYRDOK_LLMVENV:-/work/llmvenv}"
GGUF="${STYRDOK_LLM_GGUF:-$HOME/.cache/styrdok-models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf}"
PORT="${STYRDOK_LLM_PORT:-8088}"
THREADS="${STYRDOK_LLM_THREADS:-2}"
NQ="${STYRDOK_LLM_QUESTIONS:-8}"
SHARED="${STYRDOK_SHARED:-$ROOT/../shared}"
BASE="http://127.0.0.1:$PORT/v1"
BIN="$ROOT/.venv/bin"

if [ ! -f "$GGUF" ]; then
    echo "skipped: no model file at $GGUF (set STYRDOK_LLM_GGUF)"
    exit 0
fi
if [ "$(head -c 4 "$GGUF")" != "GGUF" ]; then
    echo "skipped: $GGUF is not a GGUF file"
    exit 0
fi
if [ ! -x "$LLMVENV/bin/python" ] || ! "$LLMVENV/bin/python" -c "import llama_cpp.server" 2>/dev/null; then
    echo "skipped: no llama-cpp-python[server] in $LLMVENV (set STYRDOK_LLMVENV)"
    exit 0
fi
if [ ! -x "$BIN/pytest" ]; then
    echo "run 'make install' first: $BIN/pytest is missing" >&2
    exit 1
fi
if curl -s -o /dev/null --max-time 2 "$BASE/models"; then
    echo "port $PORT already answers; stop that server or set STYRDOK_LLM_PORT" >&2
    exit 1
fi

WORK="$(mktemp -d)"
LOG="$WORK/server.log"
SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap stop_server EXIT

echo "== model: $GGUF ($(du -h "$GGUF" | cut -f1))"
t0=$(date +%s.%N)
OMP_WAIT_POLICY=passive "$LLMVENV/bin/python" -m llama_cpp.server --model "$GGUF" --model_alias local \
    --host 127.0.0.1 --port "$PORT" --n_ctx 4096 --n_threads "$THREADS" >"$LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 240); do
    if curl -s --max-time 2 "$BASE/models" >"$WORK/models.json" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "server exited while loading:" >&2
        tail -20 "$LOG" >&2
        exit 1
    fi
    sleep 0.5
done
if [ ! -s "$WORK/models.json" ]; then
    echo "server did not answer within 120 s" >&2
    tail -20 "$LOG" >&2
    exit 1
fi
t1=$(date +%s.%N)
echo "== server up in $(awk "BEGIN{printf \"%.1f\", $t1 - $t0}") s (process start + model load)"
echo "   $(cat "$WORK/models.json")"

echo "== integration test"
status=0
STYRDOK_TEST_LLM_BASE_URL="$BASE" STYRDOK_TEST_LLM_MODEL=local \
    "$BIN/pytest" tests/test_llm_integration.py -m llm -s -p no:cacheprovider || status=$?

INDEX="${1:-}"
if [ -z "$INDEX" ] && [ -d /tmp/ix2 ]; then INDEX=/tmp/ix2; fi
QA="$SHARED/eval/qa_dev.jsonl"
if [ -z "$INDEX" ] || [ ! -d "$INDEX" ]; then
    echo "== latency: skipped (no index: pass one as \$1)"
elif [ ! -f "$QA" ]; then
    echo "== latency: skipped ($QA not found)"
else
    echo "== latency: first $NQ questions of $QA, index $INDEX, generative mode"
    head -n "$NQ" "$QA" >"$WORK/questions.jsonl"
    before=$(grep -c 'POST /v1/chat/completions' "$LOG" || true)
    # Unbuffered output: the time each JSON line arrives gives the per-question latency.
    STYRDOK_LLM_BACKEND=openai STYRDOK_LLM_BASE_URL="$BASE" STYRDOK_LLM_MODEL=local PYTHONUNBUFFERED=1 \
        "$BIN/python" - "$WORK/questions.jsonl" "$INDEX" "$BIN/styrdok" <<'EOF' || status=$?
import json, math, subprocess, sys, time

questions, index, styrdok = sys.argv[1:4]
started = time.perf_counter()
proc = subprocess.Popen(
    [styrdok, "ask", "--batch", questions, "--json", "--llm", "--index", index],
    stdout=subprocess.PIPE, text=True,
)
times, rows, last = [], [], started
for line in proc.stdout:
    now = time.perf_counter()
    times.append(now - last)
    last = now
    rows.append(json.loads(line))
code = proc.wait()
total = time.perf_counter() - started
for t, row in zip(times, rows):
    state = "abstained" if row["abstained"] else f"{len(row['citations'])} citation(s)"
    print(f"  {row['id']}: {t:6.1f} s  {state}  {row['answer'][:100]!r}")


def pct(values, p):  # nearest rank
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


if times:
    rest = times[1:] or times
    print(f"  p50 {pct(times, 50):.1f} s, p95 {pct(times, 95):.1f} s over {len(times)} questions "
          f"(the first includes process start and index load: {times[0]:.1f} s)")
    print(f"  without the first: p50 {pct(rest, 50):.1f} s, p95 {pct(rest, 95):.1f} s; total {total:.1f} s")
    print(f"  answered {sum(not r['abstained'] for r in rows)}, abstained {sum(r['abstained'] for r in rows)}")
sys.exit(code)
EOF
    after=$(grep -c 'POST /v1/chat/completions' "$LOG" || true)
    echo "  questions that reached the model: $((after - before)) of $NQ"
fi
echo "== server timings (llama.cpp, last requests)"
grep -E 'prompt eval time|eval time' "$LOG" | tail -6 || true
exit "$status"

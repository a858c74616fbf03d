"""Plumbing of eval/bench_search.py and eval/profile_search.py on a tiny index (no timing assertions)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))

import bench_search  # noqa: E402
import profile_search  # noqa: E402

from assistant.ingest import ingest  # noqa: E402

QUERIES = ["Vad ska socialnämndens valfrihetssystem kännetecknas av?", "Vem antar program för uppföljning?"]


@pytest.fixture
def library(make_library, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("003_c73df01d320b46e8.txt", "000_4d8f7f9054d40a3f.txt"):
        shutil.copy(ROOT / "corpus" / name, folder / name)
    lib = make_library()
    ingest(lib, [folder])
    return lib


def test_percentiles_in_milliseconds():
    p = bench_search.percentiles([0.001, 0.002, 0.003, 0.004])
    assert p["n"] == 4 and p["p50_ms"] == 2.5 and p["max_ms"] == 4.0
    assert bench_search.percentiles([])["p50_ms"] is None


def test_rss_reads_proc():
    mem = bench_search.rss_mb()
    assert mem.get("rss_mb", 1) > 0


def test_bench_reports_every_measurement(library):
    result = bench_search.bench(library, QUERIES, repeats=2, open_s=0.1)
    assert result["dense_enabled"]
    for key in ("hybrid_cold", "hybrid_warm", "lexical_warm", "dense_warm", "embed_query_uncached"):
        assert result[key]["n"] >= len(QUERIES)
    assert result["hybrid_warm"]["n"] == 2 * len(QUERIES)
    assert "query_cache_saves_p50_ms" in result
    light = bench_search.bench(library, QUERIES, repeats=1, light=True)
    assert "embed_query_uncached" not in light and "dense_warm" in light


def test_clear_query_cache_empties_the_embedder_cache(library):
    library.search(QUERIES[0])
    assert library.embedder._queries
    bench_search.clear_query_cache(library)
    assert not library.embedder._queries


def test_profile_lists_project_functions(library):
    from assistant.settings import Settings

    settings = Settings(index=library.folder, embedder="hashing")
    result = profile_search.profile(library.folder, QUERIES, settings=settings, repeats=1)
    warm = result["warm"]
    assert warm["queries"] == len(QUERIES)
    assert all(row["where"].startswith("assistant/") for row in warm["inclusive_project"])
    assert any(row["function"] == "search" for row in warm["inclusive_project"])
    text = profile_search.format_costs(warm)
    assert "| function |" in text

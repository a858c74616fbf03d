"""LLM settings (environment STYRDOK_LLM_*) and the chat model they select."""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import StyrdokError


class LLMSettings(BaseSettings):
    """Which chat model writes generated answers; "none" keeps the offline extractive answers."""

    model_config = SettingsConfigDict(env_prefix="STYRDOK_LLM_", extra="forbid")

    backend: Literal["none", "ollama", "openai", "llamacpp"] = Field(
        default="none",
        description="none (extractive, offline), ollama, openai (any OpenAI-compatible server) or llamacpp.",
    )
    model: str | None = Field(default=None, description="Model name on the server, e.g. 'qwen2.5:1.5b'.")
    base_url: str | None = Field(
        default=None, description="Server address, e.g. http://localhost:11434 or http://localhost:8080/v1."
    )
    api_key: str | None = Field(
        default=None, description="API key for OpenAI-compatible servers; local ones accept any value."
    )
    model_path: str | None = Field(default=None, description="Path to a GGUF file for the llamacpp backend.")
    temperature: float = Field(default=0.0, description="Sampling temperature; 0 keeps answers reproducible.")
    timeout: float = Field(default=120.0, description="Seconds to wait for one answer.")
    n_ctx: int = Field(default=4096, description="Context window for the llamacpp backend.")
    max_tokens: int = Field(default=512, description="Upper bound on the length of one generated answer.")


class LlamaCppChat(BaseChatModel):
    """A minimal LangChain chat model over llama-cpp-python (used when langchain-community is absent)."""

    model_path: str
    n_ctx: int = 4096
    temperature: float = 0.0
    max_tokens: int = 512
    client: Any = None

    @property
    def _llm_type(self) -> str:
        return "llamacpp-styrdok"

    def model_post_init(self, __context: Any) -> None:
        from llama_cpp import Llama

        self.client = Llama(model_path=self.model_path, n_ctx=self.n_ctx, verbose=False)

    def _generate(
        self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager=None, **kwargs
    ) -> ChatResult:
        roles = {"system": "system", "human": "user", "ai": "assistant"}
        payload = [{"role": roles.get(m.type, "user"), "content": str(m.content)} for m in messages]
        out = self.client.create_chat_completion(
            messages=payload, temperature=self.temperature, stop=stop, max_tokens=self.max_tokens
        )
        text = out["choices"][0]["message"]["content"] or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def build_chat_model(cfg: LLMSettings | None = None) -> BaseChatModel | None:
    """The configured chat model, or None for the extractive default. Never falls back silently."""
    cfg = cfg or LLMSettings()
    if cfg.backend == "none":
        return None
    if cfg.backend == "ollama":
        from langchain_ollama import ChatOllama

        if not cfg.model:
            raise StyrdokError("Ange modellnamn för Ollama med STYRDOK_LLM_MODEL.")
        kwargs: dict[str, Any] = {"model": cfg.model, "temperature": cfg.temperature, "num_predict": cfg.max_tokens}
        if cfg.base_url:
            kwargs["base_url"] = cfg.base_url
        return ChatOllama(**kwargs)
    if cfg.backend == "openai":
        from langchain_openai import ChatOpenAI

        if not cfg.base_url or not cfg.model:
            raise StyrdokError("Ange STYRDOK_LLM_BASE_URL och STYRDOK_LLM_MODEL för en OpenAI-kompatibel server.")
        return ChatOpenAI(
            model=cfg.model,
            base_url=cfg.base_url,
            api_key=cfg.api_key or "ingen-nyckel",
            temperature=cfg.temperature,
            timeout=cfg.timeout,
            max_retries=0,
            max_tokens=cfg.max_tokens,
            # langchain-openai sends the cap as "max_completion_tokens", which llama-cpp-python's server (0.3.36,
            # abetlen/llama-cpp-python#1907) and llamafile ignore: a reply then ran to 1,946 tokens in 367 s here.
            # "max_tokens" too is read by every OpenAI-compatible server.
            extra_body={"max_tokens": cfg.max_tokens},
        )
    # llamacpp
    if not cfg.model_path:
        raise StyrdokError("Ange sökvägen till en GGUF-fil med STYRDOK_LLM_MODEL_PATH.")
    try:
        import llama_cpp  # noqa: F401
    except ImportError as exc:
        raise StyrdokError(
            "llama-cpp-python är inte installerat. Installera det (pip install llama-cpp-python) "
            "eller välj STYRDOK_LLM_BACKEND=ollama/openai/none."
        ) from exc
    try:
        from langchain_community.chat_models import ChatLlamaCpp

        return ChatLlamaCpp(
            model_path=cfg.model_path,
            n_ctx=cfg.n_ctx,
            temperature=cfg.temperature,
            max_tokens=cfg.max_tokens,
            verbose=False,
        )
    except ImportError:
        return LlamaCppChat(
            model_path=cfg.model_path, n_ctx=cfg.n_ctx, temperature=cfg.temperature, max_tokens=cfg.max_tokens
        )

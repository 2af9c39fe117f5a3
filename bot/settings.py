"""The one place configuration is read: environment variables and `.env`.

Nothing else in the project reads ``os.environ``; every layer receives a ``Settings``.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    data_dir: Path = Field(
        default_factory=lambda: Path(user_data_dir("cliffhanger", appauthor=False)),
        validation_alias=AliasChoices("CLIFFHANGER_DATA_DIR"),
    )
    project: str | None = Field(
        default=None, validation_alias=AliasChoices("CLIFFHANGER_PROJECT"),
        description="The CLI's project when --project is not given (else `cliffhanger project use NAME`).",
    )
    database_url: str | None = Field(default=None, validation_alias=AliasChoices("DATABASE_URL"))
    chroma_host: str | None = Field(default=None, validation_alias=AliasChoices("CHROMA_HOST"))
    chroma_port: int = Field(default=8000, validation_alias=AliasChoices("CHROMA_PORT"))
    embedder: str = Field(
        default="e5-small",
        validation_alias=AliasChoices("CLIFFHANGER_EMBEDDER"),
        description="'e5-small' (bundled, offline) or 'openai:<model>' for an OpenAI-compatible endpoint.",
    )
    reranker: str | None = Field(
        default=None, validation_alias=AliasChoices("CLIFFHANGER_RERANKER"),
        description="Opt-in: 'rerank:<model>' for a /rerank endpoint of the Cohere/Jina shape (vLLM, llama.cpp's "
                    "server, Infinity) or 'tei' for text-embeddings-inference; unset: the fused ranking alone.")
    reranker_url: str | None = Field(default=None, validation_alias=AliasChoices("CLIFFHANGER_RERANKER_URL"),
                                     description="Base URL of the reranker (its /rerank is called); default: "
                                                 "OPENAI_BASE_URL.")
    reranker_api_key: str | None = Field(default=None, validation_alias=AliasChoices("CLIFFHANGER_RERANKER_KEY"),
                                         description="Key for the reranker; default: OPENAI_API_KEY.")
    max_import_bytes: int = Field(default=5 * 1024 * 1024, validation_alias=AliasChoices("CLIFFHANGER_MAX_IMPORT_BYTES"))
    max_novel_bytes: int = Field(default=50 * 1024 * 1024, validation_alias=AliasChoices("CLIFFHANGER_MAX_NOVEL_BYTES"),
                                 description="Largest web novel `adapt import` reads (a long one is 5-20 MB).")

    openai_api_key: str | None = Field(default=None, validation_alias=AliasChoices("OPENAI_API_KEY"))
    openai_base_url: str | None = Field(default=None, validation_alias=AliasChoices("OPENAI_BASE_URL"))
    model: str | None = Field(default=None, validation_alias=AliasChoices("CLIFFHANGER_MODEL"))
    context_tokens: int = Field(default=3000, validation_alias=AliasChoices("CLIFFHANGER_CONTEXT_TOKENS"))
    adapt_window_tokens: int = Field(default=6000, ge=500, validation_alias=AliasChoices("CLIFFHANGER_ADAPT_WINDOW_TOKENS"),
                                     description="How much of a novel (in tokens) `adapt propose` hands the model at "
                                                 "once: whole chapters up to this, so it fits the model's context.")
    model_timeout: float = Field(default=60.0, validation_alias=AliasChoices("CLIFFHANGER_MODEL_TIMEOUT"))
    model_retries: int = Field(default=3, validation_alias=AliasChoices("CLIFFHANGER_MODEL_RETRIES"))
    model_deadline: float = Field(default=600.0, gt=0, validation_alias=AliasChoices("CLIFFHANGER_MODEL_DEADLINE"),
                                  description="Seconds one model command may take in all (waiting for a model worker, "
                                              "retries, a slow stream) before it is given up and the user told.")
    image_model: str | None = Field(default=None, validation_alias=AliasChoices("CLIFFHANGER_IMAGE_MODEL"),
                                    description="Images model for storyboard frames; unset: labelled placeholders.")
    image_base_url: str | None = Field(default=None, validation_alias=AliasChoices("CLIFFHANGER_IMAGE_BASE_URL"),
                                       description="OpenAI-compatible images endpoint; default: OPENAI_BASE_URL.")
    image_api_key: str | None = Field(default=None, validation_alias=AliasChoices("CLIFFHANGER_IMAGE_API_KEY"),
                                      description="Key for the images endpoint; default: OPENAI_API_KEY.")
    image_size: str = Field(default="1024x1792", pattern=r"^\d{2,5}x\d{2,5}$",
                            validation_alias=AliasChoices("CLIFFHANGER_IMAGE_SIZE"),
                            description="A vertical size the image model accepts (1024x1792, 1024x1536...).")
    image_timeout: float = Field(default=120.0, validation_alias=AliasChoices("CLIFFHANGER_IMAGE_TIMEOUT"))
    font_path: Path | None = Field(default=None, validation_alias=AliasChoices("CLIFFHANGER_FONT"),
                                   description="A TrueType/OpenType font for frame labels and PDFs (e.g. one "
                                               "with CJK glyphs); default: Noto Sans SC, which installs with the project.")
    model_workers: int = Field(default=4, ge=1, validation_alias=AliasChoices("CLIFFHANGER_MODEL_WORKERS"))
    paywall_episode: int = Field(default=10, ge=1, validation_alias=AliasChoices("CLIFFHANGER_PAYWALL_EPISODE"))

    editor: str | None = Field(default=None, validation_alias=AliasChoices("VISUAL", "EDITOR"),
                               description="The editor `cliffhanger edit NAME` opens (else the system's).")

    cli_language: str | None = Field(
        default=None, validation_alias=AliasChoices("CLIFFHANGER_LANG"),
        description="The CLI's language (en, zh-CN, zh-TW), from the environment or .env; the bot speaks each "
                    "room's own.")
    locale_language: str | None = Field(
        default=None, validation_alias=AliasChoices("LC_ALL", "LC_MESSAGES", "LANG"),
        description="The system's locale, POSIX order: the CLI's language when CLIFFHANGER_LANG is not set.")

    discord_token: str | None = Field(default=None, validation_alias=AliasChoices("DISCORD_TOKEN"))
    shards: str | None = Field(default=None, pattern=r"^(auto|\d+|\d+-\d+/\d+)$",
                               validation_alias=AliasChoices("CLIFFHANGER_SHARDS"),
                               description="Run discord.py's AutoShardedBot: 'auto' (Discord's count), 'N' shards, "
                                           "or 'A-B/N' for shards A to B of N in this process.")
    discord_proxy: str | None = Field(
        default=None, validation_alias=AliasChoices("CLIFFHANGER_DISCORD_PROXY"),
        description="An HTTP proxy for Discord's API and gateway (e.g. http://127.0.0.1:7890) where Discord is "
                    "not reachable directly; its own name, so a shell's HTTPS_PROXY for package mirrors is not "
                    "taken for it.")
    dev_guild_id: int | None = Field(default=None, validation_alias=AliasChoices("DEV_GUILD_ID"))
    discord_application_id: int | None = Field(default=None, validation_alias=AliasChoices("DISCORD_APPLICATION_ID"))

    @property
    def ui_language(self) -> str | None:
        """CLIFFHANGER_LANG first, even from .env: a separate field, since the environment's LANG would
        otherwise win over the .env file whatever the order of the names."""
        return self.cli_language or self.locale_language

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'canon.sqlite3'}"

    @property
    def default_project_file(self) -> Path:
        """Where `cliffhanger project use NAME` keeps the CLI's default project."""
        return self.data_dir / "default-project"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def prompts_dir(self) -> Path:
        """The prompt files inside the installed package (bot/prompts, a link to the top-level prompts/
        in a checkout), so a wheel install has them too."""
        return Path(__file__).parent / "prompts"


def settings_problem(exc: ValidationError) -> str | None:
    """One line naming each bad setting and what it should be; None when ``exc`` is not about Settings."""
    if exc.title != Settings.__name__:
        return None
    return "; ".join(f"{'.'.join(map(str, e['loc']))}={e.get('input')!r}: {e['msg']}" for e in exc.errors())

"""Settings: one pydantic-settings model read from the environment and ``.env``.

Every field is named after its environment variable (``video_fps`` is ``VIDEO_FPS``);
``.env.example`` documents each one. A bad value is refused at start by
:func:`load_settings`, with a message naming the variable.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from pdf2video.core.errors import InvalidSetting


class Encoder(StrEnum):
    AUTO = "auto"
    LIBX264 = "libx264"
    H264_NVENC = "h264_nvenc"
    HEVC_NVENC = "hevc_nvenc"


class ClassifierName(StrEnum):
    OFFLINE = "offline"
    OPENAI = "openai"


ProviderName = ClassifierName  # every AI step has the same two providers


def default_home() -> Path:
    """The workspace when PDF2VIDEO_HOME is not set."""
    return Path.home() / "pdf2video"


_BITRATE = re.compile(r"^\d+(\.\d+)?[kKmM]?$")


class Settings(BaseSettings):
    """Everything a user may set; see ``.env.example`` for each variable."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        env_ignore_empty=True,
    )

    # OpenAI or any OpenAI-compatible server (Ollama, vLLM, llama.cpp).
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_chat_model: str = "gpt-5.2"
    openai_tts_model: str = "tts-1-hd"
    openai_tts_voice: str = "onyx"
    openai_image_model: str = "gpt-image-1"
    openai_vision_model: str | None = None  # the chat model when unset
    openai_timeout_s: Annotated[float, Field(gt=0)] = 60.0
    openai_max_retries: Annotated[int, Field(ge=0, le=10)] = 3

    # Which provider each AI step uses; offline needs no key and no network.
    image_classifier: ClassifierName = ClassifierName.OFFLINE
    script_provider: ProviderName = ProviderName.OFFLINE
    # When a cloud step fails after its retries: use the offline provider (true) or fail.
    ai_fallback: bool = True

    # Script length: total minutes (empty: about SCRIPT_WORDS_PER_SCENE words per section).
    script_target_minutes: Annotated[float, Field(gt=0, le=120)] | None = None
    script_words_per_scene: Annotated[int, Field(ge=10, le=600)] = 70

    # Narration: a voice name from `pdf2video voices`, and its speed (1.0 = normal).
    voice: str = "joe"
    voice_speed: Annotated[float, Field(ge=0.5, le=2.0)] = 1.0
    # Folder of extra Piper voices (.onnx with their .onnx.json); default <workspace>/voices.
    piper_voices_dir: Path | None = None

    # Video output.
    video_width: Annotated[int, Field(gt=0, le=7680)] = 1920
    video_height: Annotated[int, Field(gt=0, le=4320)] = 1080
    video_fps: Annotated[int, Field(gt=0, le=120)] = 30
    video_codec: Encoder = Encoder.AUTO
    video_bitrate: str = "12M"
    video_aspect: Literal["16:9", "9:16", "1:1"] = "16:9"
    # Captions: sidecar (out/video.srt + .vtt and a soft subtitle track), burn (drawn into the
    # picture, plus the sidecars), or off.
    captions: Literal["sidecar", "burn", "off"] = "sidecar"
    # Logo watermark: auto (the document's logo, when it has one), off, or a path to an image.
    watermark: str = "auto"
    # Brand colours for backdrops, as #rrggbb (empty: the mood's palette).
    brand_primary: str | None = None
    brand_accent: str | None = None
    # Backgrounds: offline (procedural) or openai (OPENAI_IMAGE_MODEL, offline fallback).
    backgrounds: ProviderName = ProviderName.OFFLINE

    # Where projects, uploads and the store live.
    pdf2video_home: Path = Field(default_factory=default_home)

    # Limits.
    max_upload_size_mb: Annotated[int, Field(gt=0)] = 100
    max_concurrent_jobs: Annotated[int, Field(gt=0, le=64)] = 3

    # Jobs: a job running longer is stopped; a transient failure (a provider that did not
    # answer) is tried again up to JOB_MAX_ATTEMPTS times, waiting JOB_RETRY_BASE_S, then
    # twice as long, and so on. Finished jobs older than JOB_RETENTION_DAYS are cleaned up
    # with their files (0 keeps them for ever).
    job_timeout_minutes: Annotated[float, Field(gt=0)] = 30.0
    job_max_attempts: Annotated[int, Field(ge=1, le=10)] = 3
    job_retry_base_s: Annotated[float, Field(ge=0)] = 30.0
    job_retention_days: Annotated[float, Field(ge=0)] = 0.0

    # Users: these names (comma-separated) are admins; everyone else starts as an editor.
    pdf2video_admins: str = ""
    # Key that encrypts users' own API keys at rest (a Fernet key); empty: a key file
    # <workspace>/secret.key is made, readable by its owner only.
    pdf2video_secret_key: SecretStr | None = None

    # The pdf2video service (``pdf2video serve``) and its clients.
    # A client with PDF2VIDEO_SERVICE_URL set uses that service instead of the local store.
    pdf2video_service_url: str | None = None
    # The bearer token: the service accepts it (as its owner); a client sends it. Empty: the
    # service makes one into <workspace>/api-token (0600); a client under JupyterHub sends the
    # token the hub gave its server (JUPYTERHUB_API_TOKEN).
    pdf2video_api_token: SecretStr | None = None
    # The service's address as browsers reach it (e.g. https://hub.example.org/services/pdf2video),
    # used in share links; empty: the address the request came to.
    pdf2video_public_url: str | None = None
    # Browser origins allowed to call the API (comma-separated); empty: CORS off.
    pdf2video_cors_origins: str = ""
    # Per user and minute: jobs created and files uploaded (over it: 429 with Retry-After).
    pdf2video_jobs_per_minute: Annotated[int, Field(ge=1)] = 30
    pdf2video_uploads_per_minute: Annotated[int, Field(ge=1)] = 120
    # Webhooks: when a job ends, a signed POST (HMAC-SHA256 of the body with WEBHOOK_SECRET in
    # X-Pdf2video-Signature) to the job's own webhook_url, or to WEBHOOK_URL for every job.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    # Log lines as text, or as JSON objects (one per line; pdf2video serve and its worker).
    log_format: Literal["text", "json"] = "text"

    # Reading.
    thumbnail_px: Annotated[int, Field(ge=32, le=2048)] = 320
    page_render_px: Annotated[int, Field(ge=256, le=8192)] = 2000

    @field_validator("video_bitrate")
    @classmethod
    def _bitrate_looks_like_ffmpeg(cls, value: str) -> str:
        if not _BITRATE.match(value):
            raise ValueError("expected a bitrate such as 12M, 8000k or 5000000")
        return value

    @field_validator("brand_primary", "brand_accent")
    @classmethod
    def _hex_colour(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^#?[0-9a-fA-F]{6}$", value.strip()):
            raise ValueError("expected a colour like #1f6feb")
        return value

    @field_validator("pdf2video_home")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser()

    @property
    def openai_enabled(self) -> bool:
        """True when a key or an OpenAI-compatible server is configured."""
        return self.openai_api_key is not None or self.openai_base_url is not None


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning a bad value into :class:`InvalidSetting` naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "setting"
        raw = first.get("input")
        shown = "" if isinstance(raw, dict) else f"={raw!s}"
        msg = first["msg"].removeprefix("Value error, ")
        raise InvalidSetting(f"invalid setting {name}{shown}: {msg}") from None

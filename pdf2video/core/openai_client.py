"""Building the ``openai`` client from settings, the one place that does it.

Works with OpenAI and any OpenAI-compatible ``base_url`` (Ollama, vLLM, llama.cpp).
The client's own retries (429, 5xx, connection errors, timeouts, with backoff and
``Retry-After``) are bounded by OPENAI_MAX_RETRIES and OPENAI_TIMEOUT_S.
"""

from __future__ import annotations

import openai

from pdf2video.core.config import Settings
from pdf2video.core.errors import ProviderUnavailable

# The errors after which a step falls back offline (or fails with a plain message).
PROVIDER_ERRORS: tuple[type[Exception], ...] = (
    openai.APIError,
    openai.APIConnectionError,
    openai.APITimeoutError,
)


def make_client(settings: Settings) -> openai.OpenAI:
    if not settings.openai_enabled:
        raise ProviderUnavailable(
            "no OpenAI key or base URL is set (OPENAI_API_KEY / OPENAI_BASE_URL)"
        )
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
    return openai.OpenAI(
        api_key=key,
        base_url=settings.openai_base_url,
        timeout=settings.openai_timeout_s,
        max_retries=settings.openai_max_retries,
    )


def describe_failure(exc: Exception) -> str:
    """A plain-language reason for a provider failure."""
    if isinstance(exc, openai.APITimeoutError):
        return "the AI server did not answer in time"
    if isinstance(exc, openai.RateLimitError):
        return "the AI server is rate limiting us (429) and retries ran out"
    if isinstance(exc, openai.AuthenticationError):
        return "the AI server refused the API key"
    if isinstance(exc, openai.APIStatusError):
        return f"the AI server answered with an error ({exc.status_code})"
    if isinstance(exc, openai.APIConnectionError):
        return "the AI server could not be reached"
    return f"the AI server failed ({type(exc).__name__})"

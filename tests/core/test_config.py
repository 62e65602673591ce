"""Settings come from the environment and .env; bad values are refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from pdf2video.core.config import Encoder, Settings, load_settings
from pdf2video.core.errors import InvalidSetting


def test_defaults_need_no_key_and_no_network():
    settings = load_settings()
    assert (settings.video_width, settings.video_height, settings.video_fps) == (1920, 1080, 30)
    assert settings.video_codec is Encoder.AUTO
    assert settings.video_bitrate == "12M"
    assert settings.openai_chat_model == "gpt-5.2"
    assert settings.openai_tts_model == "tts-1-hd"
    assert settings.openai_tts_voice == "onyx"
    assert settings.openai_image_model == "gpt-image-1"
    assert settings.max_upload_size_mb == 100
    assert settings.max_concurrent_jobs == 3
    assert settings.openai_api_key is None and not settings.openai_enabled


def test_environment_and_dotenv_are_read(monkeypatch, tmp_path):
    Path(".env").write_text("VIDEO_FPS=60\nOPENAI_API_KEY=sk-from-dotenv\nOPENAI_BASE_URL=\n")
    monkeypatch.setenv("VIDEO_WIDTH", "1280")
    monkeypatch.setenv("PDF2VIDEO_HOME", "~/videos")
    settings = load_settings()
    assert settings.video_fps == 60
    assert settings.video_width == 1280
    assert settings.openai_api_key is not None
    assert settings.openai_api_key.get_secret_value() == "sk-from-dotenv"
    assert "sk-from-dotenv" not in repr(settings)
    assert settings.openai_base_url is None  # empty means unset
    assert settings.pdf2video_home == Path.home() / "videos"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("VIDEO_FPS", "0", "invalid setting VIDEO_FPS=0: Input should be greater than 0"),
        ("VIDEO_WIDTH", "abc", "invalid setting VIDEO_WIDTH=abc: Input should be a valid integer"),
        ("VIDEO_CODEC", "h265_magic", "invalid setting VIDEO_CODEC=h265_magic"),
        ("VIDEO_BITRATE", "fast", "VIDEO_BITRATE=fast: expected a bitrate such as 12M"),
        ("MAX_UPLOAD_SIZE_MB", "-5", "invalid setting MAX_UPLOAD_SIZE_MB=-5"),
        ("IMAGE_CLASSIFIER", "crystal-ball", "invalid setting IMAGE_CLASSIFIER=crystal-ball"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(InvalidSetting) as info:
        load_settings()
    assert message in info.value.one_line()


def test_every_setting_is_documented_in_env_example():
    example = (Path(__file__).parents[2] / ".env.example").read_text()
    documented = {
        line.split("=")[0]
        for line in example.splitlines()
        if "=" in line and not line.startswith("#")
    }
    fields = {name.upper() for name in Settings.model_fields}
    assert fields == documented

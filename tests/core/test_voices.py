"""Real speech: Piper on the CPU, and OpenAI TTS through a loopback server."""

from __future__ import annotations

import io
import shutil
import wave

import numpy as np
import pytest

from pdf2video.core.audio import read_wav, rms_dbfs
from pdf2video.core.config import load_settings
from pdf2video.core.errors import NarrationError, UnknownVoice
from pdf2video.core.voices import get_voice, list_voices, voice_sample
from tests.fake_openai import FakeOpenAI, Reply

TEXT = (
    "Solar panels turn sunlight into electricity. A single cell makes about half a volt, "
    "so panels wire dozens of cells together. Modern inverters follow the sun all day."
)


@pytest.fixture(scope="module")
def joe_speech():
    return get_voice("joe", load_settings()).speak(TEXT)


def test_piper_speaks_at_a_natural_pace_and_is_not_silent(joe_speech):
    words = len(TEXT.split())
    expected = words / 150 * 60
    assert expected * 0.75 <= joe_speech.duration <= expected * 1.25
    assert rms_dbfs(joe_speech.samples) > -30
    assert joe_speech.sample_rate == 22050


def test_sentence_and_word_timings_are_in_order_and_inside_the_audio(joe_speech):
    assert joe_speech.sentences[0].text == "Solar panels turn sunlight into electricity."
    assert len(joe_speech.sentences) == 3
    assert len(joe_speech.words) == len(TEXT.split())
    ends = [0.0]
    for timing in joe_speech.words:
        assert ends[-1] <= timing.start < timing.end <= joe_speech.duration + 1e-6
        ends.append(timing.end)
    # each sentence is voiced where its timing says: sound inside, a pause between
    first, second = joe_speech.sentences[:2]
    rate = joe_speech.sample_rate
    gap = joe_speech.samples[int(first.end * rate) : int(second.start * rate)]
    inside = joe_speech.samples[int(first.start * rate) : int(first.end * rate)]
    assert rms_dbfs(inside) > rms_dbfs(gap) + 20


def test_speed_changes_the_pace():
    voice = get_voice("joe", load_settings())
    normal = voice.speak("The quick brown fox jumps over the lazy dog.").duration
    fast = voice.speak("The quick brown fox jumps over the lazy dog.", speed=1.5).duration
    assert fast < normal * 0.8


def test_an_unknown_voice_lists_the_voices():
    with pytest.raises(UnknownVoice, match="there is no voice 'brian'; available voices: joe"):
        get_voice("brian", load_settings())
    with pytest.raises(UnknownVoice, match="OpenAI voices need OPENAI_API_KEY"):
        get_voice("openai:onyx", load_settings())


def test_extra_piper_voices_are_found_in_the_voices_folder(tmp_path):
    joe = next(v for v in list_voices(load_settings()) if v.name == "joe")
    folder = tmp_path / "voices"
    folder.mkdir()
    shutil.copy(joe.model_path, folder / "en_GB-test-medium.onnx")
    shutil.copy(f"{joe.model_path}.json", folder / "en_GB-test-medium.onnx.json")
    settings = load_settings(piper_voices_dir=folder)
    names = [v.name for v in list_voices(settings)]
    assert names == ["joe", "en_GB-test-medium"]
    assert get_voice("en_GB-test-medium", settings).speak("Hello there.").duration > 0.3


def test_voice_samples_are_made_once_and_reused():
    settings = load_settings()
    first = voice_sample("joe", settings)
    stamp = first.stat().st_mtime_ns
    again = voice_sample("joe", settings)
    assert again == first and again.stat().st_mtime_ns == stamp
    samples, _ = read_wav(first)
    assert len(samples) > 22050


def test_openai_tts_through_a_compatible_server(joe_speech):
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(24000)
        resampled = np.interp(
            np.linspace(0, len(joe_speech.samples), int(joe_speech.duration * 24000)),
            np.arange(len(joe_speech.samples)),
            joe_speech.samples,
        )
        out.writeframes((resampled * 32767).astype("<i2").tobytes())
    with FakeOpenAI() as server:
        server.queue(Reply(body=buffer.getvalue(), content_type="audio/wav"))
        settings = load_settings(openai_base_url=server.base_url, openai_api_key="k")
        assert "openai:nova" in [v.name for v in list_voices(settings)]
        speech = get_voice("openai:nova", settings).speak(TEXT, speed=1.1)
        request = server.requests[0]
    assert request["path"] == "/v1/audio/speech"
    assert request["json"]["voice"] == "nova" and request["json"]["model"] == "tts-1-hd"
    assert request["json"]["speed"] == 1.1
    assert abs(speech.duration - joe_speech.duration) < 0.05
    assert rms_dbfs(speech.samples) > -30
    assert speech.sentences[-1].end == pytest.approx(speech.duration, abs=0.01)


def test_openai_tts_failure_is_a_plain_message():
    with FakeOpenAI() as server:
        server.default = Reply(status=500)
        settings = load_settings(
            openai_base_url=server.base_url, openai_api_key="k", openai_max_retries=0
        )
        with pytest.raises(NarrationError, match=r"error \(500\) \(voice openai:onyx\)"):
            get_voice("openai:onyx", settings).speak("Hello.")

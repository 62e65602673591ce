"""The encoder is chosen by a real test encode; a GPU that cannot encode says why."""

from __future__ import annotations

import stat

import pytest

from pdf2video.core import encoder
from pdf2video.core.config import Encoder


@pytest.fixture
def fresh_probes():
    encoder.probe_failure.cache_clear()
    encoder.gpu_name.cache_clear()
    yield
    encoder.probe_failure.cache_clear()
    encoder.gpu_name.cache_clear()


def test_libx264_always_encodes(fresh_probes):
    assert encoder.probe("libx264")
    assert encoder.probe_failure("libx264") is None


def test_without_a_gpu_auto_is_libx264_quietly(fresh_probes, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no nvidia-smi
    choice = encoder.choose(Encoder.AUTO)
    assert (choice.name, choice.warning) == ("libx264", None)


def test_a_gpu_whose_nvenc_fails_is_named_with_the_reason(fresh_probes, monkeypatch, tmp_path):
    """Seen on an H200 with driver 580: ffmpeg 9 needs NVENC API 13.1 (driver 610+)."""
    smi = tmp_path / "nvidia-smi"
    smi.write_text("#!/bin/sh\necho 'NVIDIA Test GPU'\n")
    smi.chmod(smi.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    if encoder.probe("h264_nvenc"):
        pytest.skip("NVENC works on this machine")
    choice = encoder.choose(Encoder.AUTO)
    assert choice.name == "libx264"
    assert choice.warning is not None
    assert choice.warning.startswith("NVIDIA Test GPU is here but NVENC failed")
    reason = encoder.probe_failure("h264_nvenc")
    assert reason and reason in choice.warning

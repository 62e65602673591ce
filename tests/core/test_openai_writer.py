"""The chat-model script writer through the real ``openai`` client on a loopback server."""

from __future__ import annotations

import json
import socket
import time

import pytest

from pdf2video.core.config import load_settings
from pdf2video.core.errors import ProviderUnavailable
from pdf2video.core.models import Layout, VisualKind
from pdf2video.core.openai_writer import OpenAIScriptWriter
from pdf2video.core.pipeline import inspect_source
from pdf2video.core.response_cache import ResponseCache
from pdf2video.core.sample import build_sample_pdf
from pdf2video.core.script_writer import ScriptRequest
from tests.fake_openai import FakeOpenAI, Reply


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    root = tmp_path_factory.mktemp("doc")
    return inspect_source(build_sample_pdf(root / "s.pdf"), root / "p", load_settings()).document


@pytest.fixture
def server():
    with FakeOpenAI() as fake:
        yield fake


def writer(base_url, tmp_path, **settings):
    options = {
        "openai_base_url": base_url,
        "openai_api_key": "k",
        "openai_chat_model": "writer",
        "openai_max_retries": 2,
    } | settings
    return OpenAIScriptWriter(
        load_settings(**options), cache=ResponseCache(tmp_path / "cache", "scripts")
    )


def good_answer(photo_id: str) -> str:
    scene = {
        "title": "Sunlight",
        "narration": "Panels turn light into power.",
        "bullets": ["Light in", "Power out"],
        "visual_asset_id": photo_id,
        "layout": "full_bleed",
        "source_pages": [2],
    }
    made_up = dict(scene, title="Made up", visual_asset_id="img-9999", layout="figure")
    title = dict(scene, title="Solar", visual_asset_id=None, layout="title", bullets=[])
    return json.dumps({"title": "Solar power", "mood": "upbeat", "scenes": [title, scene, made_up]})


def test_a_valid_structured_answer_becomes_the_script(server, tmp_path, document):
    photo = next(a.id for a in document.assets if a.image_class == "photo")
    server.queue(Reply(content=good_answer(photo)))
    script = writer(server.base_url, tmp_path).write(document, ScriptRequest(target_minutes=2))
    assert script.provider == "openai:writer"
    assert [s.title for s in script.scenes] == ["Solar", "Sunlight", "Made up"]
    assert script.scenes[0].visual.kind is VisualKind.TITLE_CARD
    assert script.scenes[1].visual.asset_id == photo
    assert script.scenes[1].layout is Layout.FULL_BLEED
    assert script.scenes[2].visual.kind is VisualKind.BACKDROP  # an id the document lacks
    sent = server.requests[0]["json"]
    assert sent["response_format"]["json_schema"]["strict"] is True
    user = sent["messages"][1]["content"]
    assert "Sunlight becomes electricity" in user and f"{photo}: photo" in user
    assert "about 2 minutes" in user


def test_an_invalid_answer_is_repaired(server, tmp_path, document):
    server.queue(
        Reply(content='{"title": "x", "scenes": [{"title": "A", "narration": ""}]}'),
        Reply(content=good_answer("img-0002")),
    )
    script = writer(server.base_url, tmp_path).write(document, ScriptRequest())
    assert script.provider == "openai:writer"
    assert len(server.requests) == 2
    repair = server.requests[1]["json"]["messages"][-1]["content"]
    assert "not valid" in repair


def test_answers_that_stay_invalid_fall_back_offline_with_a_warning(server, tmp_path, document):
    server.default = Reply(content="Here is your script: scene one...")
    script = writer(server.base_url, tmp_path).write(document, ScriptRequest())
    assert len(server.requests) == 3  # the question and two repairs
    assert script.provider == "offline"
    assert "not a valid script" in script.warnings[0]


def test_without_fallback_a_failure_is_a_plain_message(server, tmp_path, document):
    server.default = Reply(status=500)
    with pytest.raises(ProviderUnavailable, match=r"answered with an error \(500\)"):
        writer(server.base_url, tmp_path, ai_fallback=False, openai_max_retries=1).write(
            document, ScriptRequest()
        )


def test_a_429_is_retried(server, tmp_path, document):
    server.queue(Reply(status=429, headers={"Retry-After": "0"}), Reply(content=good_answer("x")))
    script = writer(server.base_url, tmp_path).write(document, ScriptRequest())
    assert script.provider == "openai:writer"
    assert len(server.requests) == 2


def test_the_second_run_is_a_cache_hit(server, tmp_path, document):
    server.queue(Reply(content=good_answer("img-0002")))
    first = writer(server.base_url, tmp_path).write(document, ScriptRequest())
    second = writer(server.base_url, tmp_path).write(document, ScriptRequest())
    assert len(server.requests) == 1
    assert [s.narration for s in first.scenes] == [s.narration for s in second.scenes]


def test_a_server_that_is_down_falls_back_quickly(tmp_path, document):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    script = writer(f"http://127.0.0.1:{port}/v1", tmp_path, openai_max_retries=1).write(
        document, ScriptRequest()
    )
    assert script.provider == "offline"
    assert "could not be reached" in script.warnings[0]
    assert time.monotonic() - started < 10


def test_a_slow_server_times_out_instead_of_hanging(server, tmp_path, document):
    server.default = Reply(delay_s=3, content="{}")
    started = time.monotonic()
    script = writer(server.base_url, tmp_path, openai_timeout_s=0.5, openai_max_retries=0).write(
        document, ScriptRequest()
    )
    assert time.monotonic() - started < 3
    assert "did not answer in time" in script.warnings[0]

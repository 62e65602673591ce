"""The vision classifier through the real ``openai`` client against a loopback server."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from pdf2video.core import sample_art
from pdf2video.core.config import load_settings
from pdf2video.core.image_classifier import ClassifierInput
from pdf2video.core.models import ImageClass
from pdf2video.core.response_cache import ResponseCache
from pdf2video.core.vision_classifier import VisionClassifier
from tests import builders
from tests.fake_openai import FakeOpenAI, Reply


@pytest.fixture
def server():
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def images(tmp_path) -> list[ClassifierInput]:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(builders.jpeg(sample_art.photo(seed=1)))
    chart = tmp_path / "chart.png"
    chart.write_bytes(builders.png(sample_art.bar_chart(seed=2)))
    return [ClassifierInput("a", photo), ClassifierInput("b", chart)]


def classifier(server: FakeOpenAI, tmp_path: Path, **settings: object) -> VisionClassifier:
    options = {
        "openai_base_url": server.base_url,
        "openai_api_key": "test-key",
        "openai_chat_model": "vision-test",
        "openai_max_retries": 2,
    } | settings
    return VisionClassifier(load_settings(**options), cache=ResponseCache(tmp_path / "cache", "v"))


def answer(*labels: str) -> Reply:
    items = [{"index": i, "label": label, "confidence": 0.8} for i, label in enumerate(labels)]
    return Reply(content=json.dumps({"images": items}))


def test_a_good_answer_labels_every_image(server, tmp_path, images):
    server.queue(answer("diagram", "table"))
    results = classifier(server, tmp_path).classify(images)
    assert [r.label for r in results] == [ImageClass.DIAGRAM, ImageClass.TABLE]
    assert {r.decided_by for r in results} == {"openai:vision-test"}
    request = server.requests[0]["json"]
    assert request["model"] == "vision-test"
    assert request["response_format"]["type"] == "json_schema"
    parts = request["messages"][1]["content"]
    assert sum(1 for p in parts if p["type"] == "image_url") == 2
    assert parts[1]["image_url"]["url"].startswith("data:image/jpeg;base64,")


def test_malformed_json_falls_back_to_the_offline_label(server, tmp_path, images):
    server.queue(Reply(content="Sure! The first is a photo, {oops"))
    vision = classifier(server, tmp_path)
    results = vision.classify(images)
    assert [r.label for r in results] == [ImageClass.PHOTO, ImageClass.CHART]
    assert {r.decided_by for r in results} == {"offline (fallback)"}
    assert vision.failures == ["the vision model's answer was not the JSON asked for"]


def test_an_answer_missing_one_image_falls_back_for_that_image_only(server, tmp_path, images):
    server.queue(
        Reply(
            content=json.dumps(
                {
                    "images": [
                        {"index": 0, "label": "logo", "confidence": 0.7},
                        {"index": 9, "label": "table", "confidence": 0.7},
                    ]
                }
            )
        )
    )
    results = classifier(server, tmp_path).classify(images)
    assert results[0].label is ImageClass.LOGO and results[0].decided_by == "openai:vision-test"
    assert results[1].label is ImageClass.CHART and results[1].decided_by == "offline (fallback)"


def test_a_429_is_retried_and_then_succeeds(server, tmp_path, images):
    server.queue(Reply(status=429, headers={"Retry-After": "0"}), answer("photo", "chart"))
    results = classifier(server, tmp_path).classify(images)
    assert [r.decided_by for r in results] == ["openai:vision-test"] * 2
    assert len(server.requests) == 2


def test_a_server_that_keeps_failing_falls_back_after_bounded_retries(server, tmp_path, images):
    server.default = Reply(status=500)
    vision = classifier(server, tmp_path, openai_max_retries=1)
    results = vision.classify(images)
    assert [r.label for r in results] == [ImageClass.PHOTO, ImageClass.CHART]
    assert len(server.requests) == 2  # the first try and one retry
    assert "error (500)" in vision.failures[0]


def test_a_timeout_falls_back_offline_without_hanging(server, tmp_path, images):
    server.default = Reply(delay_s=3.0, content="{}")
    vision = classifier(server, tmp_path, openai_timeout_s=0.5, openai_max_retries=0)
    started = time.monotonic()
    results = vision.classify(images)
    assert time.monotonic() - started < 3.0
    assert [r.label for r in results] == [ImageClass.PHOTO, ImageClass.CHART]
    assert vision.failures == ["the AI server did not answer in time"]


def test_answers_are_cached_so_a_second_run_pays_nothing(server, tmp_path, images):
    server.queue(answer("photo", "chart"))
    classifier(server, tmp_path).classify(images)
    again = classifier(server, tmp_path).classify(images)
    assert len(server.requests) == 1
    assert [r.decided_by for r in again] == ["openai:vision-test"] * 2


def test_images_go_in_batches(server, tmp_path):
    items = []
    for n in range(10):
        path = tmp_path / f"p{n}.jpg"
        path.write_bytes(builders.jpeg(sample_art.photo(200, 150, seed=n)))
        items.append(ClassifierInput(str(n), path))
    server.queue(answer(*["photo"] * 8), answer("photo", "photo"))
    results = classifier(server, tmp_path).classify(items)
    assert len(server.requests) == 2
    assert all(r.decided_by == "openai:vision-test" for r in results)

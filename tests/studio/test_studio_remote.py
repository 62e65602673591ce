"""The studio under a shared service: the same widgets, the render and library through HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pdf2video.service.client import RemoteBackend
from tests.service.conftest import Service, start_service, stop_service
from tests.studio.test_studio import scripted, story_studio


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    found = start_service(tmp_path_factory.mktemp("service") / "home")
    yield found
    stop_service(found)


def test_render_and_library_work_unchanged_against_the_service(
    service: Service, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PDF2VIDEO_SERVICE_URL", service.url)
    monkeypatch.setenv("PDF2VIDEO_API_TOKEN", service.token_for("ivy"))
    studio = scripted(story_studio())
    assert isinstance(studio.session.backend, RemoteBackend)
    studio.go(5)
    render = studio.render
    render.draft.value = True
    render.resolution.value = "720p"
    render.captions.value = "off"
    render.render.click()
    studio.wait(240)
    assert "Done" in render.status.text.value, (render.status.text.value, studio.tasks.errors)
    assert render.player.data[4:8] == b"ftyp"
    (video,) = studio.session.backend.videos()
    assert video.owner == "ivy" and video.source_type == "project"
    with service.client("ivy") as ivy:  # the service, not this workspace, holds it
        assert [v["id"] for v in ivy.get("/videos").json()["items"]] == [video.id]

    studio.library.refresh()
    (card,) = studio.library.grid.children
    picture, caption = card.children[:2]
    assert picture.value[:3] == b"\xff\xd8\xff" and video.title in caption.value
    studio.library.play(video.id)
    assert studio.library.player.data[4:8] == b"ftyp"

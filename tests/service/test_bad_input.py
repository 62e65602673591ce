"""Bad requests get a clear answer in the seed's error shape, and leave nothing behind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest

from tests import builders
from tests.service.conftest import Service, start_service, stop_service


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_an_upload_over_the_limit_is_cut_off_and_leaves_no_file(service: Service):
    big = b"%PDF-1.7\n" + bytes(3 * 1024 * 1024)  # the service allows 2 MB
    with service.client("carol") as carol:
        answer = carol.post("/uploads", files={"file": ("big.pdf", big)})
        assert answer.status_code == 413
        assert answer.json()["error"]["code"] == "UPLOAD_TOO_LARGE"

        def endless() -> Iterator[bytes]:  # no Content-Length: the size is learnt on the way
            yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="x.pdf"\r\n\r\n'
            for _ in range(4096):
                yield b"%PDF" + bytes(1020)

        streamed = carol.post(
            "/uploads",
            content=endless(),
            headers={"Content-Type": "multipart/form-data; boundary=b"},
        )
        assert streamed.status_code == 413
        assert carol.get("/uploads").json() == []
    assert files_under(service.home / "uploads" / "carol") == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", builders.png(np.zeros((8, 8, 3), np.uint8)), "named .pdf but is a PNG"),
        ("../../etc/passwd.pdf", b"%PDF-1.4", "not a plain file name"),
        ("run.pdf", b"\x7fELF\x02\x01\x01" + bytes(100), "executable"),
        ("broken.pdf", b"%PDF-1.4\n", "broken.pdf: not a readable PDF"),
    ],
)
def test_files_that_lie_or_names_that_are_paths_are_refused(
    service: Service, name: str, content: bytes, message: str
):
    with service.client("carol") as carol:
        answer = carol.post("/uploads", files={"file": (name, content)})
        assert answer.status_code == 415, answer.text
        error = answer.json()["error"]
        assert error["code"] == "UNSUPPORTED_FILE_TYPE" and message in error["message"]
        assert "Traceback" not in answer.text and str(service.home) not in answer.text
    assert files_under(service.home / "uploads" / "carol") == []
    assert not (service.home.parent / "etc").exists()


def test_a_file_name_with_a_nul_byte_is_refused(service: Service, docs):
    pdf = docs["two_column"].read_bytes()
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="a\x00b.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + pdf + b"\r\n--b--\r\n"
    )
    with service.client("carol") as carol:
        answer = carol.post(
            "/uploads", content=body, headers={"Content-Type": "multipart/form-data; boundary=b"}
        )
        assert answer.status_code == 415, answer.text
        assert "NUL" in answer.json()["error"]["message"]
        assert carol.get("/uploads").json() == []


def test_a_bad_field_is_named_and_unknown_ids_answer_in_the_seed_shape(service: Service):
    with service.client("carol") as carol:
        answer = carol.post("/jobs", json={"pdf_upload_id": "x", "settings": {"fps": 23}})
        assert answer.status_code == 422
        error = answer.json()["error"]
        assert error["code"] == "VALIDATION_ERROR"
        assert error["message"].startswith("settings.fps:")
        assert error["details"]["errors"][0]["field"] == "settings.fps"

        answer = carol.post("/jobs", json={"source_type": "pdf"})
        assert answer.status_code == 422
        assert "pdf_upload" in answer.json()["error"]["message"]

        answer = carol.get("/jobs/nope")
        assert answer.status_code == 404
        assert answer.json() == {
            "error": {"code": "JOB_NOT_FOUND", "message": "there is no job 'nope'", "details": {}}
        }
        answer = carol.post(
            "/jobs", content=b"{not json", headers={"Content-Type": "application/json"}
        )
        assert answer.status_code == 422
        assert answer.json()["error"]["code"] == "VALIDATION_ERROR"
        assert carol.get("/no/such/route").json()["error"]["code"] == "NOT_FOUND"


def test_cors_is_off_unless_configured(service: Service):
    answer = httpx.options(
        f"{service.api}/jobs",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in answer.headers


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A service allowing two jobs and three uploads a minute per user, with no worker."""
    found = start_service(
        tmp_path_factory.mktemp("strict") / "home",
        "--no-worker",
        PDF2VIDEO_JOBS_PER_MINUTE="2",
        PDF2VIDEO_UPLOADS_PER_MINUTE="3",
    )
    yield found
    stop_service(found)


def test_too_many_jobs_or_uploads_a_minute_get_429_with_retry_after(strict: Service):
    job = {"source_type": "text_images", "text_content": builders.story(1, 1)}
    with strict.client("dan") as dan, strict.client("eve") as eve:
        assert [dan.post("/jobs", json=job).status_code for _ in range(2)] == [201, 201]
        refused = dan.post("/jobs", json=job)
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "RATE_LIMITED"
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert eve.post("/jobs", json=job).status_code == 201  # per user
        assert len(dan.get("/jobs").json()["items"]) == 2

        image = builders.png(np.zeros((8, 8, 3), np.uint8))
        many = [("files", (f"i{n}.png", image)) for n in range(4)]
        assert dan.post("/uploads/images", files=many).status_code == 429
        assert dan.get("/uploads").json() == []

"""Who may see what: tokens, two users, spoofed identities, share links."""

from __future__ import annotations

import time

import httpx
import pytest

from pdf2video.core.store import open_store
from tests import builders
from tests.service.conftest import OWNER_TOKEN, Service

TINY = {
    "source_type": "text_images",
    "title": "Tiny",
    "text_content": builders.story(1, 2),
    "settings": {"resolution": "320x180", "fps": 24, "draft": True, "captions": "off"},
}


def finished(client: httpx.Client, job_id: str, timeout_s: float = 120) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = client.get(f"/jobs/{job_id}").json()
        if job["status"] in ("completed", "failed", "cancelled"):
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not finish")


@pytest.fixture(scope="module")
def bobs(service: Service) -> dict[str, str]:
    """Bob's upload, finished job, video, pending job and preset."""
    with service.client("bob") as bob:
        image = builders.png(builders.np.zeros((16, 16, 3), builders.np.uint8))
        upload = bob.post("/uploads", files={"file": ("dot.png", image)}).json()
        done = bob.post("/jobs", json=TINY | {"image_upload_ids": [upload["id"]]}).json()
        job = finished(bob, done["id"])
        assert job["status"] == "completed", job
        preset = bob.post("/presets", json={"name": "Bob's", "settings": {"fps": 25}}).json()
        return {
            "upload": upload["id"],
            "job": job["id"],
            "video": job["video_id"],
            "preset": preset["id"],
        }


def test_without_a_token_or_with_a_wrong_one_the_answer_is_401(service: Service):
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Bearer p2v_nope"}):
        answer = httpx.get(f"{service.api}/jobs", headers=headers)
        assert answer.status_code == 401
        assert answer.json()["error"]["code"] == "NOT_AUTHENTICATED"
        assert answer.headers["www-authenticate"].startswith("Bearer")


def test_the_owner_token_is_the_services_admin(service: Service, bobs: dict[str, str]):
    with service.client(token=OWNER_TOKEN) as owner:
        me = owner.get("/me").json()
        assert me["role"] == "admin"
        assert owner.get(f"/jobs/{bobs['job']}").status_code == 200


def test_a_user_cannot_touch_another_users_rows_and_learns_nothing(
    service: Service, bobs: dict[str, str]
):
    with service.client("ada") as ada:
        assert bobs["job"] not in [j["id"] for j in ada.get("/jobs").json()["items"]]
        assert bobs["video"] not in [v["id"] for v in ada.get("/videos").json()["items"]]
        assert bobs["upload"] not in [u["id"] for u in ada.get("/uploads").json()]
        assert bobs["preset"] not in [p["id"] for p in ada.get("/presets").json()]
        attempts = [
            ("GET", f"/jobs/{bobs['job']}", None),
            ("GET", f"/jobs/{bobs['job']}/events", None),
            ("POST", f"/jobs/{bobs['job']}/cancel", None),
            ("POST", f"/jobs/{bobs['job']}/retry", None),
            ("DELETE", f"/jobs/{bobs['job']}", None),
            ("GET", f"/videos/{bobs['video']}", None),
            ("GET", f"/videos/{bobs['video']}/stream", None),
            ("GET", f"/videos/{bobs['video']}/download", None),
            ("GET", f"/videos/{bobs['video']}/thumbnail", None),
            ("POST", f"/videos/{bobs['video']}/shares", {"expires_in_hours": 1}),
            ("DELETE", f"/videos/{bobs['video']}", None),
            ("POST", "/videos/delete", {"video_ids": [bobs["video"]]}),
            ("DELETE", f"/uploads/{bobs['upload']}", None),
            ("GET", f"/presets/{bobs['preset']}", None),
            ("PUT", f"/presets/{bobs['preset']}", {"name": "Mine", "settings": {}}),
            ("DELETE", f"/presets/{bobs['preset']}", None),
        ]
        for method, path, body in attempts:
            answer = ada.request(method, path, json=body)
            assert answer.status_code == 404, (method, path, answer.text)
            assert answer.json()["error"]["code"].endswith("NOT_FOUND")
            assert "bob" not in answer.text
        # a job made from Bob's upload is refused the same way
        answer = ada.post("/jobs", json={"pdf_upload_id": bobs["upload"]})
        assert answer.status_code == 404
    with service.client("bob") as bob:  # and nothing of Bob's was touched
        assert bob.get(f"/videos/{bobs['video']}/stream").status_code == 200
        assert bob.get(f"/presets/{bobs['preset']}").status_code == 200


def test_identity_never_comes_from_headers_or_fields_the_caller_sets(
    service: Service, bobs: dict[str, str]
):
    spoof = {"X-Forwarded-User": "bob", "X-Remote-User": "bob", "X-User": "bob"}
    assert httpx.get(f"{service.api}/jobs", headers=spoof).status_code == 401
    with service.client("ada") as ada:
        assert ada.get("/me", headers=spoof).json()["name"] == "ada"
        assert ada.get(f"/jobs/{bobs['job']}", headers=spoof).status_code == 404
        answer = ada.post("/jobs", json=TINY | {"owner": "bob", "user": "bob"})
        assert answer.status_code == 422
        assert answer.json()["error"]["code"] == "VALIDATION_ERROR"
        assert "owner" in answer.json()["error"]["message"]


def test_a_share_link_plays_the_video_until_it_expires_or_is_revoked(
    service: Service, bobs: dict[str, str]
):
    with service.client("bob") as bob:
        share = bob.post(f"/videos/{bobs['video']}/shares", json={"expires_in_hours": 1}).json()
        size = bob.get(f"/videos/{bobs['video']}").json()["size_bytes"]
    token = share["url"].rsplit("/", 1)[1]
    for secret in (bobs["video"], bobs["job"], bobs["upload"], "bob"):
        assert secret not in share["url"]
    shown = httpx.get(share["url"]).json()  # no credentials at all
    assert shown["title"] == "Tiny" and set(shown) == {
        "title",
        "duration",
        "width",
        "height",
        "expires_at",
        "stream_url",
    }
    assert bobs["video"] not in str(shown)
    part = httpx.get(f"{service.api}/shared/{token}/stream", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.content) == 100
    assert part.headers["content-range"] == f"bytes 0-99/{size}"

    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert httpx.get(f"{service.api}/shared/{forged}").status_code == 404

    store = open_store(service.home)  # an hour passes
    with store.transaction() as conn:
        conn.execute(
            "UPDATE shares SET expires_at = ? WHERE id = ?", (time.time() - 1, share["id"])
        )
    store.close()
    expired = httpx.get(f"{service.api}/shared/{token}")
    assert expired.status_code == 404
    assert expired.json()["error"]["code"] == "SHARE_NOT_FOUND"

    with service.client("bob") as bob:
        again = bob.post(f"/videos/{bobs['video']}/shares", json={"expires_in_hours": 2}).json()
        assert [s["id"] for s in bob.get(f"/videos/{bobs['video']}/shares").json()] == [again["id"]]
        assert httpx.get(again["url"]).status_code == 200
        revoked = bob.delete(f"/videos/{bobs['video']}/shares/{again['id']}")
        assert revoked.status_code == 204
    assert httpx.get(again["url"]).status_code == 404

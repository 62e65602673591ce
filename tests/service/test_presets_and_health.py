"""Presets over the API, live progress that ends on cancel, health, and the OpenAPI file."""

from __future__ import annotations

import json
from pathlib import Path

from pdf2video.service.cli import schema_text
from tests.service.conftest import Service
from tests.service.test_api import follow_events

REPO = Path(__file__).resolve().parents[2]


def test_presets_are_listed_created_updated_made_default_and_deleted(service: Service):
    with service.client("hal") as hal:
        built_in = hal.get("/presets").json()
        assert {"builtin-1080p", "builtin-draft"} <= {p["id"] for p in built_in}
        made = hal.post("/presets", json={"name": "Talk", "settings": {"fps": 25}})
        assert made.status_code == 201
        preset = made.json()
        assert preset["built_in"] is False and preset["settings"]["fps"] == 25

        changed = hal.put(
            f"/presets/{preset['id']}", json={"name": "Talk", "settings": {"fps": 30}}
        ).json()
        assert changed["id"] == preset["id"] and changed["settings"]["fps"] == 30
        assert hal.put("/presets/default", json={"preset_id": preset["id"]}).status_code == 200
        assert [p["id"] for p in hal.get("/presets").json() if p["is_default"]] == [preset["id"]]

        refused = hal.put("/presets/builtin-4k", json={"name": "4K", "settings": {}})
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "FORBIDDEN"
        bad = hal.post("/presets", json={"name": "X", "settings": {"resolution": "huge"}})
        assert bad.status_code == 422 and "settings.resolution" in bad.json()["error"]["message"]

        assert hal.delete(f"/presets/{preset['id']}").status_code == 200
        assert hal.get(f"/presets/{preset['id']}").status_code == 404


def test_following_a_cancelled_job_ends_with_its_final_state(service: Service):
    with service.client("hal") as hal:
        job = hal.post(
            "/jobs",
            json={"source_type": "text_images", "text_content": "# A\n\nOne line of text."},
        ).json()
        hal.post(f"/jobs/{job['id']}/cancel")
        events = follow_events(service, hal, job["id"])
        assert events[-1]["status"] == "cancelled" and events[-1]["event"] == "job"


def test_health_answers_without_a_token_and_names_the_encoder(service: Service):
    import httpx  # noqa: PLC0415

    health = httpx.get(f"{service.api}/health").json()
    assert health["status"] == "ok" and health["store"] == "ok"
    gpu = httpx.get(f"{service.api}/health/gpu").json()
    assert gpu["encoder"] in ("libx264", "h264_nvenc")
    assert gpu["nvenc"] is (gpu["encoder"] == "h264_nvenc")


def test_the_checked_in_openapi_file_is_the_apps_schema():
    checked_in = (REPO / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert checked_in == schema_text(), "run 'pdf2video openapi' and commit docs/openapi.json"
    schema = json.loads(checked_in)
    create = schema["components"]["schemas"]["JobCreate"]["properties"]
    assert {
        "source_type",
        "title",
        "pdf_upload_id",
        "image_upload_ids",
        "music_upload_id",
        "text_content",
        "settings",
        "preset_id",
    } <= set(create)
    job = schema["components"]["schemas"]["JobOut"]["properties"]
    assert {"id", "status", "progress", "current_step", "error_message", "video_id"} <= set(job)
    upload = schema["paths"]["/api/v1/uploads"]["post"]["requestBody"]["content"]
    assert "file" in upload["multipart/form-data"]["schema"]["properties"]

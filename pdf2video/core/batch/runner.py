"""A batch from start to end: lock, expand, skip what is up to date, render, publish, report.

Per input the output folder gets ``<name>.mp4`` (with ``.srt``/``.vtt`` captions and a
``.jpg`` thumbnail) and ``<name>.json``, its report row with the *key*: the hash of the
input's content and every setting that shapes the video. A later run whose key matches
and whose MP4 is there skips the input; an interrupted run resumes from the project
folders (``<workspace>/batch/<folder key>/<name>``), whose stages and scene segments are
cached. Videos are filed in the library under the running user. Only this process opens
the store.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from pathlib import Path

from pydantic import ValidationError

from pdf2video.core import webhooks
from pdf2video.core.batch.inputs import Source, expand
from pdf2video.core.batch.lock import BatchLock
from pdf2video.core.batch.models import BatchParams, BatchResult, ItemResult
from pdf2video.core.batch.outcome import Outcome, message
from pdf2video.core.batch.progress import ItemProgress, progress_from_env
from pdf2video.core.batch.tasks import Work
from pdf2video.core.config import ProviderName, Settings, load_settings
from pdf2video.core.errors import InvalidSetting, Pdf2VideoError
from pdf2video.core.hashing import inputs_hash, sha256_file
from pdf2video.core.library import file_video, video_of
from pdf2video.core.models import RenderRecord
from pdf2video.core.presets import RenderChoices, find_preset
from pdf2video.core.project import create_project, load_project
from pdf2video.core.render import RENDERER_VERSION, RenderOptions, options_for
from pdf2video.core.store import Store, open_store
from pdf2video.core.users import User, admin_names, get_user

STATE = ".pdf2video"  # in the output folder: the lock, and ZIPs unpacked


def batch_settings(settings: Settings, params: BatchParams) -> Settings:
    """The provider parameter picks every AI step's provider."""
    provider = ProviderName(params.provider)
    return settings.model_copy(
        update={"script_provider": provider, "image_classifier": provider, "backgrounds": provider}
    )


def batch_choices(store: Store, user: User, params: BatchParams) -> RenderChoices:
    """The parameters over the preset's settings, over the notebook's defaults.

    A parameter left at its default gives way to the preset; one set to anything else
    wins. A draft is small and fast: its size is the draft size unless one is set.
    """
    defaults = RenderChoices(
        resolution=None if params.draft else "1920x1080", fps=30, captions="sidecar"
    )
    explicit = RenderChoices(**params.explicit())
    if params.preset:
        return explicit.over(find_preset(store, user, params.preset).settings).over(defaults)
    return explicit.over(defaults)


def video_key(source: Source, settings: Settings, options: RenderOptions, voice: str | None) -> str:
    """The same key means the same video: the content, and every setting that shapes it."""
    media = [
        sha256_file(p) if p is not None and p.is_file() else None
        for p in (options.music, options.logo)
    ]
    shaping = dataclasses.asdict(options) | {"music": media[0], "logo": media[1]}
    return inputs_hash(
        "batch-video",
        RENDERER_VERSION,
        [sha256_file(p) for p in source.files()],
        shaping,
        voice or settings.voice,
        settings.voice_speed,
        settings.script_provider,
        settings.image_classifier,
        settings.script_words_per_scene,
        settings.script_target_minutes,
        settings.openai_chat_model if settings.script_provider == "openai" else None,
    )[:32]


def _done_before(output_dir: Path, name: str, key: str) -> ItemResult | None:
    record = output_dir / f"{name}.json"
    try:
        row = ItemResult.model_validate_json(record.read_text(encoding="utf-8"))
    except (OSError, ValidationError):
        return None
    video = output_dir / f"{name}.mp4"
    current = row.key == key and row.status in ("done", "skipped") and video.is_file()
    return row if current and video.stat().st_size == row.size_bytes else None


def _copy(source: Path, target: Path) -> None:
    partial = target.with_name(f".{target.name}.part")
    shutil.copyfile(source, partial)
    partial.replace(target)


def publish(work: Work, output_dir: Path) -> RenderRecord:
    """The project's video, captions and thumbnail into the output folder, named for the input."""
    render = load_project(work.project_dir).render
    if render is None:
        raise KeyError("the project has no render record")
    made = [render.path, *render.captions, *([render.thumbnail] if render.thumbnail else [])]
    for relative in made:
        source = work.project_dir / relative
        suffix = ".jpg" if relative == render.thumbnail else source.suffix
        _copy(source, output_dir / f"{work.name}{suffix}")
    return render


class Batch:
    """One run of ``run_batch``."""

    def __init__(self, params: BatchParams, settings: Settings, report: ItemProgress) -> None:
        self.params = params
        self.settings = batch_settings(settings, params)
        self.report = report
        wanted = params.output_dir or settings.pdf2video_home / "batch-output"
        self.output_dir = wanted.expanduser().resolve()
        self.state = self.output_dir / STATE
        self.store = open_store(settings.pdf2video_home)
        self.user = get_user(self.store, admins=admin_names(settings.pdf2video_admins))
        choices = batch_choices(self.store, self.user, params)
        self.voice = choices.voice
        self.options = options_for(self.settings, choices)
        folder_key = inputs_hash(str(self.output_dir))[:12]
        self.projects = settings.pdf2video_home / "batch" / folder_key

    def run(self) -> BatchResult:
        started = time.time()
        self.output_dir.mkdir(parents=True, exist_ok=True)
        with BatchLock(self.output_dir):
            limit = self.settings.max_upload_size_mb * 1024 * 1024
            sources, rows = expand(self.params.inputs, self.state / "inputs", limit)
            items: dict[str, ItemResult] = {}
            works: dict[str, Work] = {}
            for source in sources:
                item = self._plan(source, works)
                items[source.name] = item
            runner, dashboard = self._render(works, items)
            result = BatchResult(
                output_dir=self.output_dir,
                started_at=started,
                finished_at=time.time(),
                runner=runner,
                dashboard=dashboard,
                items=[*items.values(), *rows],
            )
        self._notify(result)
        last = self.state / "last-result.json"
        last.write_text(result.model_dump_json(indent=2), encoding="utf-8")
        return result

    def _plan(self, source: Source, works: dict[str, Work]) -> ItemResult:
        """A skipped row, a failed one, or a pending one with its work staged."""
        try:
            key = video_key(source, self.settings, self.options, self.voice)
        except (OSError, Pdf2VideoError) as exc:
            self.report(source.name, 1.0, "failed")
            return ItemResult(
                input=source.input, name=source.name, status="failed", error=message(exc)
            )
        done = _done_before(self.output_dir, source.name, key)
        if done is not None:
            self.report(source.name, 1.0, "skipped")
            return done.model_copy(update={"status": "skipped", "input": source.input})
        item = ItemResult(input=source.input, name=source.name, status="failed", key=key)
        project_dir = self.projects / source.name
        try:
            create_project(project_dir, source.files())
        except (OSError, Pdf2VideoError) as exc:
            item.error = message(exc)
            self.report(source.name, 1.0, "failed")
            return item
        works[source.name] = Work(source.name, project_dir, self.settings, self.options, self.voice)
        return item

    def _render(
        self, works: dict[str, Work], items: dict[str, ItemResult]
    ) -> tuple[str, str | None]:
        def finished(work: Work, outcome: Outcome) -> None:
            self._record(work, items[work.name], outcome)

        if self.params.workers or self.params.scheduler:
            from pdf2video.core.batch.on_dask import cluster, render_on  # noqa: PLC0415

            with cluster(self.params.workers, self.params.scheduler) as dask:
                if dask.dashboard:
                    self.report("*", 0.0, f"Dask dashboard: {dask.dashboard}")
                if works:
                    render_on(dask, list(works.values()), self.report, finished)
                runner, dashboard = dask.description, dask.dashboard
        else:
            from pdf2video.core.batch.local import render_here  # noqa: PLC0415

            render_here(list(works.values()), self.report, finished)
            runner, dashboard = "in this process", None
        return runner, dashboard

    def _record(self, work: Work, item: ItemResult, outcome: Outcome) -> None:
        """Publish a finished input's video and file it; or keep its failure."""
        prepared = outcome.prepared
        if prepared is not None:
            item.title, item.pages, item.scenes = prepared.title, prepared.pages, prepared.scenes
            item.warnings = [*prepared.warnings, *outcome.warnings]
        item.stage_s = outcome.stage_s
        item.render_s = round(sum(outcome.stage_s.values()), 2) if outcome.stage_s else None
        if outcome.error is not None:
            item.error = outcome.error
            self.report(work.name, 1.0, "failed")
            return
        try:
            render = publish(work, self.output_dir)
        except (OSError, KeyError) as exc:
            item.error = f"the video could not be copied to the output folder: {exc}"
            self.report(work.name, 1.0, "failed")
            return
        video = self.output_dir / f"{work.name}.mp4"
        thumb = self.output_dir / f"{work.name}.jpg"
        item.status, item.error = "done", None
        item.video, item.segments = str(video), outcome.segments
        item.duration_s = render.duration
        item.size_bytes = video.stat().st_size
        (self.output_dir / f"{work.name}.json").write_text(
            item.model_dump_json(indent=2), encoding="utf-8"
        )
        video_row = video_of(
            render,
            id=inputs_hash(self.user.name, str(video))[:16],
            owner=self.user.name,
            job_id=None,
            title=item.title or work.name,
            source_type="batch",
            path=str(video),
            thumbnail=str(thumb) if thumb.is_file() else None,
            created_at=time.time(),
        )
        file_video(self.store, self.user, video_row)
        self.report(work.name, 1.0, "done")

    def _notify(self, result: BatchResult) -> None:
        url = self.params.webhook_url or self.settings.webhook_url
        if not url:
            return
        secret = self.settings.webhook_secret
        body = json.dumps(batch_payload(result)).encode()
        delivery = webhooks.deliver(url, body, secret.get_secret_value() if secret else None)
        result.webhook = delivery.model_dump(mode="json")  # the batch's own result stands


def batch_payload(result: BatchResult) -> dict[str, object]:
    """The webhook body of a finished batch: its status, and each input's like a job's."""
    return {
        "event": "batch.finished",
        "status": "completed" if result.ok else "failed",
        "output_dir": str(result.output_dir),
        "summary": result.summary(),
        "items": [
            {
                "input": item.input,
                "status": item.status,
                "title": item.title,
                "video_path": item.video,
                "duration": item.duration_s,
                "error": item.error,
            }
            for item in result.items
        ],
    }


def checked_params(values: dict[str, object]) -> BatchParams:
    """The parameters, or an error that names the first bad one."""
    try:
        return BatchParams.model_validate(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        reason = str(error["msg"]).removeprefix("Value error, ")
        prefix = f"batch parameter {where}: " if where else "batch parameters: "
        raise InvalidSetting(prefix + reason) from None


def run_batch(
    params: BatchParams | None = None,
    *,
    settings: Settings | None = None,
    progress: ItemProgress | None = None,
    **values: object,
) -> BatchResult:
    """Render the batch the parameters describe (``BatchParams`` or its fields as keywords)."""
    params = params or checked_params(values)
    return Batch(params, settings or load_settings(), progress or progress_from_env()).run()

"""Every domain error of pdf2video, each with a stable code and a plain message.

The CLI, the widgets and the API translate these in one place each; nothing else
needs to know how an error is shown.
"""

from __future__ import annotations

from pathlib import Path


class Pdf2VideoError(Exception):
    """Base of all domain errors: ``code`` is stable, ``message`` is for people."""

    code = "PDF2VIDEO_ERROR"
    transient = False  # True: trying again later may well succeed (a job retries it)

    def __init__(self, message: str, *, path: Path | str | None = None) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The message a person sees: the file (when there is one) and the reason."""
        return f"{self.path}: {self.message}" if self.path is not None else self.message


class InvalidSetting(Pdf2VideoError):
    code = "INVALID_SETTING"


class DocumentError(Pdf2VideoError):
    """Something is wrong with an input document."""

    code = "DOCUMENT_ERROR"


class FileNotFound(DocumentError):
    code = "FILE_NOT_FOUND"


class EmptyFile(DocumentError):
    code = "EMPTY_FILE"


class UnsupportedFileType(DocumentError):
    code = "UNSUPPORTED_FILE_TYPE"


class InvalidPDF(DocumentError):
    code = "INVALID_PDF"


class EncryptedPDF(DocumentError):
    code = "ENCRYPTED_PDF"


class WrongPassword(EncryptedPDF):
    code = "WRONG_PASSWORD"


class EmptyDocument(DocumentError):
    code = "EMPTY_DOCUMENT"


class ProjectError(Pdf2VideoError):
    code = "PROJECT_ERROR"


class ProviderUnavailable(Pdf2VideoError):
    """A cloud provider could not be reached or answered nonsense, after retries."""

    code = "PROVIDER_UNAVAILABLE"
    transient = True


class UploadTooLarge(Pdf2VideoError):
    code = "UPLOAD_TOO_LARGE"


class NotFound(Pdf2VideoError):
    """No such row, or one that belongs to someone else (the two look the same)."""

    code = "NOT_FOUND"


class JobNotFound(NotFound):
    code = "JOB_NOT_FOUND"


class UploadNotFound(NotFound):
    code = "UPLOAD_NOT_FOUND"


class VideoNotFound(NotFound):
    code = "VIDEO_NOT_FOUND"


class PresetNotFound(NotFound):
    code = "PRESET_NOT_FOUND"


class ShareNotFound(NotFound):
    """A share link that does not exist, has expired or was revoked (all look the same)."""

    code = "SHARE_NOT_FOUND"


class NotAuthenticated(Pdf2VideoError):
    """No credentials, or credentials nobody issued (a wrong or expired token)."""

    code = "NOT_AUTHENTICATED"


class RateLimited(Pdf2VideoError):
    """Too many requests of one kind from one user; ``retry_after_s`` says when to try again."""

    code = "RATE_LIMITED"
    transient = True

    def __init__(self, message: str, *, retry_after_s: float) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class Forbidden(Pdf2VideoError):
    """The user may not do this (a viewer editing, anyone changing a built-in preset)."""

    code = "FORBIDDEN"


class JobError(Pdf2VideoError):
    """A job request that cannot run, or a job in a state that forbids the action."""

    code = "JOB_ERROR"


class JobConflict(JobError):
    """The job's state forbids the action (cancel a finished job, delete a running one)."""

    code = "JOB_CONFLICT"


class JobTimedOut(Pdf2VideoError):
    code = "JOB_TIMED_OUT"


class Cancelled(Pdf2VideoError):
    """The user cancelled; whatever was finished is kept."""

    code = "CANCELLED"


class ScriptEditError(Pdf2VideoError):
    """An edit of the script that cannot be made (empty narration, unknown scene, ...)."""

    code = "SCRIPT_EDIT_REFUSED"


class UnknownVoice(Pdf2VideoError):
    code = "UNKNOWN_VOICE"


class NarrationError(Pdf2VideoError):
    """Voicing a scene failed."""

    code = "NARRATION_FAILED"


class RenderError(Pdf2VideoError):
    """Rendering failed (the encoder stopped, the disk is full, ...); the cache is intact."""

    code = "RENDER_FAILED"


class UnusableMedia(Pdf2VideoError):
    """A music or logo file that cannot be used; refused before rendering starts."""

    code = "UNUSABLE_MEDIA"


class BatchLocked(Pdf2VideoError):
    """Another batch is writing into the same output folder (two cron runs overlapping)."""

    code = "BATCH_LOCKED"


class BatchFailed(Pdf2VideoError):
    """A batch finished, and some of its inputs failed or were refused (named in the report)."""

    code = "BATCH_FAILED"


class ClusterUnavailable(Pdf2VideoError):
    """The Dask scheduler could not be reached, or a local cluster would not start."""

    code = "CLUSTER_UNAVAILABLE"
    transient = True

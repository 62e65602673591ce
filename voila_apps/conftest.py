"""nbval runs these notebooks in kernels that inherit this environment: a private workspace."""

from __future__ import annotations

import os
import tempfile


def pytest_configure() -> None:
    os.environ["PDF2VIDEO_HOME"] = tempfile.mkdtemp(prefix="pdf2video-voila-apps-")

"""One batch per output folder: a second is refused at once, a dead one leaves no lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from pdf2video.core.batch.lock import TOKEN_ENV, BatchLock, lock_path
from pdf2video.core.errors import BatchLocked


def test_a_second_lock_on_the_same_folder_is_refused_with_the_holder(tmp_path):
    first = BatchLock(tmp_path).acquire()
    with pytest.raises(BatchLocked, match=rf"another batch \(pid {os.getpid()} since"):
        BatchLock(tmp_path).acquire()
    first.release()
    BatchLock(tmp_path).acquire().release()  # free again


def test_the_holders_child_with_its_token_may_go_on(tmp_path, monkeypatch):
    parent = BatchLock(tmp_path).acquire()
    monkeypatch.setenv(TOKEN_ENV, parent.token)
    with BatchLock(tmp_path) as child:
        assert child.inherited()
    monkeypatch.setenv(TOKEN_ENV, "someone-else")
    with pytest.raises(BatchLocked):
        BatchLock(tmp_path).__enter__()
    parent.release()


def test_a_killed_holder_leaves_the_folder_free(tmp_path):
    code = (
        "import sys, time; from pathlib import Path;"
        "from pdf2video.core.batch.lock import BatchLock;"
        "lock = BatchLock(Path(sys.argv[1])).acquire(); print('held', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    with pytest.raises(BatchLocked):
        BatchLock(tmp_path).acquire()
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    time.sleep(0.1)
    BatchLock(tmp_path).acquire().release()
    assert lock_path(tmp_path).is_file()

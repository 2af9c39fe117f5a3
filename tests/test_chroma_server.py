"""The vector index on a `chroma run` server (CHROMA_HOST) instead of embedded Chroma."""

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.room import WritersRoom

CHROMA = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    if not Path(CHROMA).exists():
        pytest.skip("the chroma CLI is not installed")
    port = _free_port()
    proc = subprocess.Popen([CHROMA, "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma run did not start")
    yield port
    proc.terminate()
    proc.wait(10)


def test_retrieval_through_a_chroma_server(settings, embedder, bible_file, chroma_server):
    settings.chroma_host, settings.chroma_port = "127.0.0.1", chroma_server
    room = WritersRoom(settings, embedder=embedder)
    try:
        room.create_project("jade")
        room.import_files([bible_file], "jade")
        assert room.retrieve("jade", "What is Wanwan afraid of?", k=1)[0].id == "lin-wan"
        assert not (settings.index_dir / "chroma").exists()  # nothing embedded on disk
    finally:
        room.close()

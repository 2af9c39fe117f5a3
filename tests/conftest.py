import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.canon.embedders import E5SmallEmbedder
from bot.room import WritersRoom
from bot.settings import Settings

BIBLE = {
    "project": "jade",
    "entries": [
        {"id": "lin-wan", "kind": "character", "name": "Lin Wan", "aliases": ["Wanwan", "婉婉"], "episode": 1,
         "text": "A night-shift nurse swapped at birth. Speaks in short, dry sentences."},
        {"id": "gu-chen", "kind": "character", "name": "Gu Chen", "aliases": ["President Gu"], "episode": 1,
         "text": "Cold heir of the Gu Group who distrusts everyone his grandmother likes."},
        {"id": "seal", "kind": "item", "name": "The jade seal", "episode": 2,
         "text": "A green jade seal carved with a crane. Whoever holds it signs for the Gu Group."},
        {"id": "ep7", "kind": "episode", "name": "Episode 7: The seal is gone", "episode": 7,
         "text": "Su Mei steals the jade seal from the study during the birthday dinner and blames the nurse."},
        {"id": "ep12", "kind": "episode", "name": "Episode 12: Tea for three", "episode": 12,
         "text": "Grandma reads the real DNA report and hands the heirloom to the nurse."},
        {"id": "tone", "kind": "rule", "name": "Tone", "pinned": True,
         "text": "Every episode opens on a hook and ends on a cliffhanger."},
    ],
}


@pytest.fixture(scope="session")
def embedder():
    return E5SmallEmbedder()


@pytest.fixture
def settings(tmp_path, monkeypatch):
    monkeypatch.setenv("CLIFFHANGER_DATA_DIR", str(tmp_path / "data"))
    return Settings(_env_file=None)


@pytest.fixture
def room(settings, embedder):
    r = WritersRoom(settings, embedder=embedder)
    yield r
    r.close()


@pytest.fixture
def bible_file(tmp_path) -> Path:
    path = tmp_path / "bible.json"
    path.write_text(json.dumps(BIBLE, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def jade(room, bible_file):
    room.create_project("jade")
    room.import_files([bible_file], "jade", author="tester")
    return room


@pytest.fixture
def cli(settings):
    from bot.cli import main

    runner = CliRunner()

    def run(*args, input=None):
        return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)

    return run


@pytest.fixture
def llm(settings):
    from scripted_llm import ScriptedLLM

    server = ScriptedLLM()
    settings.openai_base_url = server.base_url
    settings.openai_api_key = "test-key"
    settings.model = "scripted-model"
    settings.model_retries = 0
    yield server
    server.close()

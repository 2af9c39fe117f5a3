"""Rough edges a newcomer's trial found: names that are common words, bad settings, an embedding endpoint
with nothing configured, a question with nothing in it sent to `ask`."""

import json

import pytest

from bot.canon import lexical
from bot.canon.embedders import make_embedder
from bot.canon.errors import InvalidInput
from bot.room import WritersRoom


def test_a_character_called_will_and_the_will_itself_are_found(room, tmp_path):
    room.create_project("salt")
    path = tmp_path / "salt.json"
    path.write_text(json.dumps({"entries": [
        {"id": "will", "kind": "character", "name": "Will", "text": "A ferryman who cannot swim."},
        {"id": "compass", "kind": "item", "name": "The brass compass",
         "text": "Hollow inside: the old captain's will is folded in it."},
        {"id": "ep1", "kind": "episode", "name": "Episode 1", "episode": 1, "text": "The storm comes in."}]}))
    room.import_files([path], "salt")
    assert room.retrieve("salt", "Who is Will?", k=1)[0].id == "will"
    # ambiguous here (Will is also a name), but the testament is found, not refused
    assert "compass" in [h.id for h in room.retrieve("salt", "Where is the will?", k=2)]


def test_an_index_built_by_another_analysis_is_rebuilt_and_still_finds_everything(jade, settings, embedder,
                                                                                    monkeypatch):
    jade.close()
    monkeypatch.setattr(lexical, "ANALYZER", lexical.ANALYZER + 1)  # as after an upgrade that changes the tokens
    room = WritersRoom(settings, embedder=embedder)
    try:
        assert [h.id for h in room.retrieve("jade", "Wanwan", k=1)] == ["lin-wan"]
        assert room.index(room.project("jade")).lexical.count() == 6
    finally:
        room.close()


def test_ask_refuses_a_question_with_nothing_in_it(jade):
    with pytest.raises(InvalidInput, match="nothing to search for"):
        jade.ask("jade", "？？？")


def test_bad_settings_are_one_line_naming_the_setting(cli, monkeypatch):
    monkeypatch.setenv("CLIFFHANGER_MAX_IMPORT_BYTES", "abc")
    result = cli("list")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "CLIFFHANGER_MAX_IMPORT_BYTES='abc'" in result.output
    monkeypatch.delenv("CLIFFHANGER_MAX_IMPORT_BYTES")
    monkeypatch.setenv("CLIFFHANGER_PAYWALL_EPISODE", "-5")
    assert "CLIFFHANGER_PAYWALL_EPISODE='-5'" in cli("series").output


def test_an_embedding_endpoint_with_nothing_configured_says_what_to_set():
    with pytest.raises(InvalidInput, match="OPENAI_BASE_URL"):
        make_embedder("openai:text-embedding-3-small", None, None)

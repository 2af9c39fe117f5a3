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


def test_a_file_naming_another_project_than_the_default_one_is_refused_not_written_elsewhere(cli, tmp_path):
    path = tmp_path / "salt.json"
    path.write_text(json.dumps({"project": "salt", "entries": [
        {"id": "will", "kind": "character", "name": "Will", "text": "A ferryman."}]}))
    cli("project", "create", "salt")
    cli("project", "create", "scratch")
    cli("project", "use", "scratch")
    refused = cli("import", path)
    assert refused.exit_code == 1 and "names the project 'salt'" in refused.output and "--project" in refused.output
    assert "will" not in cli("list", "--project", "salt").output.lower()  # nothing written anywhere
    assert "1 new" in cli("import", "--project", "scratch", path).output


def test_without_a_model_answers_quote_a_change_with_its_episode_and_checks_say_what_they_read(cli, tmp_path):
    path = tmp_path / "salt.md"
    path.write_text("# Characters\n\n## Chen Yu\nA pearl diver's daughter. She cannot swim.\n\n"
                    "From episode 3:\nShe learns to swim from the ferryman.\n", encoding="utf-8")
    cli("project", "create", "salt")
    cli("import", "--project", "salt", path)
    answer = cli("ask", "--project", "salt", "Can Chen Yu swim?").output
    assert "From episode 3: She learns to swim" in answer and "“From episode 3:”" not in answer
    draft = tmp_path / "draft.txt"
    draft.write_text("Chen Yu dives off the pier and swims to the boat.", encoding="utf-8")
    checked = cli("check", "--project", "salt", draft)
    assert "not read against the bible's text" in checked.output and "no contradictions" not in checked.output

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
    checked = cli("check", "--project", "salt", "--episode", "2", draft)
    assert "not read against the bible's text" in checked.output and "no contradictions" not in checked.output


def test_entry_lookups_suggest_near_names_and_how_to_bring_back_a_deleted_one(jade_cli):
    missed = jade_cli("show", "--project", "jade", "Lin Wna")
    assert missed.exit_code == 1 and "did you mean 'Lin Wan'" in missed.stderr
    assert "did you mean 'Gu Chen'" in jade_cli("show", "--project", "jade", "Chen").stderr  # a word of the name
    jade_cli("delete", "--project", "jade", "Tone")
    gone = jade_cli("show", "--project", "jade", "Tone")
    assert "it was deleted" in gone.stderr and "restore" in gone.stderr


def test_show_prints_the_look_and_the_changes_over_episodes(cli, tmp_path):
    path = tmp_path / "salt.json"
    path.write_text(json.dumps({"entries": [{"id": "chen-yu", "kind": "character", "name": "Chen Yu",
                                             "look": "salt-stiff braid, oilskin coat", "text": "She cannot swim.",
                                             "progressions": [{"episode": 3, "text": "She learns to swim."}]}]}))
    cli("project", "create", "salt")
    cli("import", "--project", "salt", path)
    shown = cli("show", "--project", "salt", "Chen Yu").output
    assert "look: salt-stiff braid" in shown and "From episode 3: She learns to swim." in shown


def test_a_folder_or_an_editor_with_no_terminal_is_a_clear_error(cli, tmp_path, bible_file, monkeypatch):
    cli("project", "create", "jade")
    folder = cli("import", "--project", "jade", tmp_path)
    assert folder.exit_code == 1 and "is a folder" in folder.output
    cli("import", "--project", "jade", bible_file)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    edit = cli("edit", "--project", "jade", "Lin Wan")
    assert edit.exit_code == 1 and "needs a terminal" in edit.output

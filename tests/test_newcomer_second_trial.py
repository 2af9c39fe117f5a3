"""What a newcomer's second trial tripped on (issue 27): files written to missing folders, the default
project, JSON on every listing, near names in the story commands, UTF-16 files, history's progressions,
the storyboard's refusal, and the import's advice in the bible's own language."""

import json
from datetime import datetime

import pytest

from bot.canon.importers import decode_text
from bot.canon.errors import InvalidInput


@pytest.mark.parametrize("command", [["draw", "board"], ["export"], ["export", "--format", "fountain"],
                                     ["backup"]])
def test_every_command_that_writes_a_file_makes_its_missing_folder_and_says_so(jade_cli, tmp_path, command):
    jade_cli("project", "use", "jade")
    scene = tmp_path / "s.fountain"
    scene.write_text("INT. STUDY - NIGHT\n\nLin Wan opens the safe.\n", encoding="utf-8")
    jade_cli("import", "--episode", "7", scene)
    out = tmp_path / "missing" / "deeper" / "file.out"
    result = jade_cli(*command, "--output", out)
    assert result.exit_code == 0, result.output
    assert f"created folder {out.parent}" in result.stderr and out.stat().st_size > 0


def test_a_place_that_cannot_be_written_is_one_line_not_a_traceback(jade_cli, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = jade_cli("export", "--project", "jade", "--output", blocker / "x.json")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("error: cannot create the folder") and result.stderr.count("\n") == 1
    folder = jade_cli("export", "--project", "jade", "--output", tmp_path)
    assert folder.exit_code != 0 and "Traceback" not in folder.output


def test_reindex_uses_the_default_project(jade_cli):
    assert "which project?" in jade_cli("reindex").output  # no default yet: still asks which
    jade_cli("project", "use", "jade")
    result = jade_cli("reindex")
    assert result.exit_code == 0 and "reindexed 6 entries" in result.output


def test_series_json_is_one_line(jade_cli):
    out = jade_cli("series", "--project", "jade", "--json").output
    assert out.count("\n") == 1 and json.loads(out)["episodes"]


def test_looks_glossary_and_production_settings_print_json(jade_cli):
    jade_cli("look", "--project", "jade", "Lin Wan", "nurse's scrubs, a jade hairpin")
    looks = json.loads(jade_cli("looks", "--project", "jade", "--json").output)
    assert {"id": "lin-wan", "kind": "character", "name": "Lin Wan",
            "look": "nurse's scrubs, a jade hairpin"} in looks["entries"]
    jade_cli("glossary", "set", "--project", "jade", "--to", "zh", "Gu Chen", "顾辰")
    terms = json.loads(jade_cli("glossary", "show", "--project", "jade", "--to", "zh", "--json").output)
    assert {"entry": "gu-chen", "kind": "character", "forms": ["Gu Chen", "President Gu"], "rendering": "顾辰"} in terms
    jade_cli("production-settings", "--project", "jade", "--paywall-episode", "9")
    settings = json.loads(jade_cli("production-settings", "--project", "jade", "--json").output)
    assert settings["paywall_episode"] == 9 and settings["title"] is None


def test_history_json_times_carry_their_zone(jade_cli):
    revisions = json.loads(jade_cli("history", "--project", "jade", "--json", "Lin Wan").output)["revisions"]
    at = datetime.fromisoformat(revisions[0]["at"])
    assert at.utcoffset() is not None  # "Z" or "+00:00": either places the time


def test_knows_and_timeline_suggest_near_names(jade_cli):
    knows = jade_cli("knows", "--project", "jade", "Lin Wna")
    assert knows.exit_code == 1 and "did you mean 'Lin Wan'" in knows.stderr
    timeline = jade_cli("timeline", "--project", "jade", "Gu Chne")
    assert timeline.exit_code == 1 and "did you mean 'Gu Chen'" in timeline.stderr
    unknown = jade_cli("timeline", "--project", "jade", "Xixi")
    assert unknown.exit_code == 1 and "no character named 'Xixi'" in unknown.stderr
    assert "no character states for Lin Wan yet" in jade_cli("timeline", "--project", "jade", "Lin Wan").output


TEXT = "# 人物\n\n## 林婉\n夜班护士，说话简短。\n"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-32", "utf-8-sig"])
def test_unicode_files_with_a_byte_order_mark_are_read(codec):
    raw = {"utf-16-le-bom": b"\xff\xfe" + TEXT.encode("utf-16-le"),
           "utf-16-be-bom": b"\xfe\xff" + TEXT.encode("utf-16-be")}.get(codec) or TEXT.encode(codec)
    assert decode_text(raw, "bible.md") == TEXT


@pytest.mark.parametrize("codec, named", [("gb18030", "GB18030"), ("utf-16-le", "UTF-16-LE")])
def test_a_refused_encoding_is_named(codec, named):
    with pytest.raises(InvalidInput, match=f"looks like {named}.*save it as UTF-8"):
        decode_text(("# 人物\n\n## 林婉\n一个夜班护士，她说话简短，从不提高声音。\n" * 3).encode(codec), "bible.md")


def test_a_utf16_bible_imports_from_the_cli(cli, tmp_path):
    path = tmp_path / "bible.md"
    path.write_bytes(TEXT.encode("utf-16"))
    cli("project", "create", "salt")
    result = cli("import", "--project", "salt", path)
    assert result.exit_code == 0 and "1 new" in result.output


def test_history_shows_a_progression_as_the_bible_writes_it(jade_cli, tmp_path):
    path = tmp_path / "lin.md"
    path.write_text("# Characters\n\n## Lin Wan\nid: lin-wan\nA night-shift nurse swapped at birth. Speaks in short, dry "
                    "sentences.\n\nFrom episode 8:\nShe finds the seal in her locker.\n", encoding="utf-8")
    jade_cli("import", "--project", "jade", path)
    shown = jade_cli("history", "--project", "jade", "Lin Wan").output
    assert "+ From episode 8: She finds the seal in her locker." in shown
    assert "{'episode'" not in shown and "'text':" not in shown


def test_storyboard_without_a_model_refuses_before_it_starts(jade_cli, tmp_path):
    scene = tmp_path / "scene.fountain"
    scene.write_text("INT. STUDY - NIGHT\n\nLin Wan opens the safe.\n", encoding="utf-8")
    result = jade_cli("storyboard", "--project", "jade", scene)
    assert result.exit_code == 1 and "Drafting" not in result.stderr and "model" in result.stderr


def test_the_advice_to_move_a_later_sentence_is_in_the_bibles_language(cli, tmp_path):
    path = tmp_path / "bible.md"
    path.write_text("# 人物\n\n## 苏梅\n集数：1\n假千金，嫉妒林婉。第8集她偷走了玉玺。\n", encoding="utf-8")
    cli("project", "create", "salt")
    warned = cli("import", "--project", "salt", path).stderr
    assert "从第8集起：第8集她偷走了玉玺。" in warned and "From episode" not in warned


def test_the_readmes_ledger_example_imports_as_documented(cli, tmp_path):
    """The README's Markdown ledger (location states included) is a file a room can import as it stands."""
    import re
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    example = re.search(r"\*\*The ledger file\.\*\*.*?```markdown\n(.*?)```", readme, re.S).group(1)
    bible = tmp_path / "bible.md"
    bible.write_text("# Characters\n\n## Lin Wan\n\n## Gu Chen\n\n## Grandma Gu\n\n## Dr. Zhou\n\n## Su Mei\n",
                     encoding="utf-8")
    cli("project", "create", "jade")
    cli("import", "--project", "jade", bible)
    ledger = tmp_path / "ledger.md"
    ledger.write_text(example.replace("Su Mei from", "Su Mai from"), encoding="utf-8")
    misspelt = cli("ledger", "import", "--project", "jade", ledger)
    assert misspelt.exit_code == 1 and "did you mean 'Su Mei'" in misspelt.stderr
    ledger.write_text(example, encoding="utf-8")
    assert "ledger: 7 changed" in cli("ledger", "import", "--project", "jade", ledger).output
    timeline = cli("timeline", "--project", "jade", "Lin Wan").output
    assert "ep   7  Lin Wan: location = Gu Mansion study" in timeline
    assert "relationship with Gu Chen = engaged" in timeline
    assert cli("ledger", "export", "--project", "jade", "--format", "markdown").output.count("\n- ") == 6

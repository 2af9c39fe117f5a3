"""The series board: rows, runtime at the stated rate, every warning kind, CLI text and JSON."""

import json

import pytest
from production_samples import write_season

from bot.canon.errors import InvalidInput
from bot.canon.models import Entry
from bot.production import runtime
from bot.production.script import paragraphs, scene_fountain, ScriptScene


@pytest.fixture
def season(room, tmp_path):
    room.create_project("season")
    room.update_project_settings("season", paywall_episode=3)
    room.import_files(write_season(tmp_path), "season")
    return room


def test_board_rows_beats_and_cast(season):
    board = season.series_board("season")
    rows = {r.episode: r for r in board.episodes}
    assert list(rows) == [1, 2, 3, 5]
    assert rows[1].scenes == 2 and set(rows[1].characters) == {"Grandma Gu", "Lin Wan", "Gu Chen"}
    assert rows[1].hook == "a stranger at grandmother's bedside."
    assert rows[1].cliffhanger == "Gu Chen orders Lin Wan fired."
    assert rows[3].paywall and not rows[2].paywall
    # a Chinese cue is the alias of a canon character
    assert "Grandma Gu" in rows[5].characters and "顾老太太" not in rows[5].characters
    assert board.main_characters == ["Grandma Gu", "Gu Chen", "Lin Wan"]
    assert all(r.runtime_seconds and r.runtime_seconds > 0 for r in board.episodes)


def test_board_warnings(season):
    board = season.series_board("season", max_episode_seconds=10, max_absence=1)
    got = {(w.episode, w.code) for w in board.warnings}
    assert (2, "no_cliffhanger") in got
    assert (3, "paywall_no_reveal") in got
    assert (5, "episode_gap") in got
    assert (3, "absent") in got  # Grandma Gu misses episodes 2 and 3
    assert {(1, "over_length"), (5, "over_length")} <= got
    assert (1, "no_cliffhanger") not in got and (5, "paywall_no_reveal") not in got
    # a lenient board has only the structural warnings
    lenient = {w.code for w in season.series_board("season", 600, 10).warnings}
    assert lenient == {"no_cliffhanger", "paywall_no_reveal", "episode_gap"}


def test_runtime_rate_is_the_stated_one():
    scene = Entry(id="scene-x-001", kind="scene", name="Ep 1 · INT. ROOM - DAY", episode=1,
                  text="Lin Wan waits.\nLIN WAN: one two three four five six seven eight nine ten\nGU CHEN: 你回来了吗")
    t = runtime.timing(paragraphs(ScriptScene(scene.id, 1, "INT. ROOM - DAY", scene_fountain(scene))))
    assert (t.headings, t.action_lines, t.dialogue_words, t.dialogue_cjk_chars) == (1, 1, 10, 5)
    assert t.seconds == pytest.approx(1.0 + 1.2 + 10 / 2.5 + 5 / 4.0)


def test_series_cli_text_and_json_are_deterministic(season, cli):
    first = cli("series", "--project", "season", "--json")
    assert first.exit_code == 0, first.output
    assert cli("series", "--project", "season", "--json").output == first.output
    doc = json.loads(first.output)
    assert [e["episode"] for e in doc["episodes"]] == [1, 2, 3, 5]
    assert doc["rate"]["words_per_second"] == 2.5 and doc["paywall_episode"] == 3
    text = cli("series", "--project", "season").output
    assert "Warnings:" in text and "no episode 4 between 3 and 5" in text


def test_series_with_no_episodes_says_so(room, cli):
    room.create_project("empty")
    with pytest.raises(InvalidInput, match="no episodes yet"):
        room.series_board("empty")
    result = cli("series", "--project", "empty")
    assert result.exit_code == 1 and "no episodes yet" in result.output


def test_the_cast_is_found_in_action_as_each_name_alone_would_find_it():
    """The board reads a scene once for the whole cast (a cast of hundreds made it take seconds); who it finds
    must be who each name's own search finds: overlapping names, an alias in capitals, a Chinese name inside a
    sentence, punctuation in a name, and never a name inside a longer word."""
    import random
    import re

    from bot.production.series_board import _Cast, _name_pattern

    cast = [Entry(id="lin", kind="character", name="Lin", text=""),
            Entry(id="lin-wan", kind="character", name="Lin Wan", aliases=["林婉", "Wan"], text=""),
            Entry(id="gu", kind="character", name="Dr. Gu", aliases=["顾辰", "O'Neil"], text=""),
            Entry(id="aj", kind="character", name="A.J.", text="")]
    finder = _Cast(cast)
    assert finder.in_action("LIN WAN slaps Lin; Dr. gu watches.") == {"Lin", "Lin Wan", "Dr. Gu"}
    assert finder.in_action("林婉看着顾辰。") == {"Lin Wan", "Dr. Gu"}
    assert finder.in_action("Linwan and o'neil meet A.J. at the Wanda mall") == {"Dr. Gu", "A.J."}
    assert finder.in_action("xLin A.J.x") == set()
    one_by_one = [(re.compile(_name_pattern(n), re.I), c.name) for c in cast for n in c.names]
    rng = random.Random(26)
    words = ["Lin", "lin", "Wan", "WAN", "林婉", "顾", "辰", "Dr.", "Gu", "O'Neil", "A.J.", "x", ",", " ", "-", "."]
    for _ in range(500):
        text = "".join(rng.choice(words) + rng.choice(["", " "]) for _ in range(rng.randint(0, 12)))
        assert finder.in_action(text) == {name for pattern, name in one_by_one if pattern.search(text)}, text


@pytest.mark.parametrize("outline", ["钩子：她回来了。\n悬念：他认出了玉佩。", "鉤子：她回來了。\n懸念：他認出了玉佩。",
                                     "Hook: she is back.\nCliffhanger: he knows the jade."])
def test_beats_are_read_in_the_words_the_warning_names(outline):
    """The board's missing-cliffhanger warning tells a Chinese room to write 悬念：/懸念：; both scripts are read."""
    from bot.production.series_board import beat

    assert beat(outline, "hook") and beat(outline, "cliffhanger")

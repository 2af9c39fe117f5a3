"""A revised script updates the scenes it had: scenes are matched by content, not by position or file name."""

import json
from pathlib import Path

import pytest

from bot.canon.errors import CanonError

SCENES = [
    ("INT. GU MANSION - STUDY - NIGHT", "Su Mei slides the jade seal into her sleeve. The clock strikes twelve.\n\n"
                                        "SU MEI\n(whispering)\nSorry, Grandma. I have no choice tonight."),
    ("EXT. GARDEN - CONTINUOUS", "Lin Wan waits by the koi pond, her phone lit in her hand, counting the "
                                 "windows of the east wing."),
    ("INT. HOSPITAL LOCKER ROOM - DAY", "Security opens the locker. The seal sits on Lin Wan's scarf.\n\n"
                                        "GU CHEN\nExplain this. Now, before the police come."),
    ("INT. CAR - NIGHT", "Gu Chen drives in silence. Rain hammers the windshield; the wipers cannot keep up.\n\n"
                         "GU CHEN\nShe lied to me for three years."),
    ("INT. GU MANSION - STUDY - NIGHT", "Grandma Gu opens the empty seal box and sits down very slowly.\n\n"
                                        "GRANDMA GU\nSo it has begun."),
]
ROOFTOP = ("EXT. ROOFTOP - DAWN", "Lin Wan stands at the edge, the city waking below her, and tears the letter "
                                  "into pieces.")


def script(path, scenes, episode=7):
    path.write_text(f"# Episode {episode}\n\n" + "\n\n".join(f"{h}\n\n{t}" for h, t in scenes) + "\n",
                    encoding="utf-8")
    return path


def scene_ids(room):
    """The project's scenes in story order, as (id, heading) pairs."""
    return [(e.id, e.name.removeprefix("Ep 7 · ")) for e in room.list_entries("p", kind="scene")]


@pytest.fixture
def imported(room, tmp_path):
    room.create_project("p")
    room.import_files([script(tmp_path / "pilot.fountain", SCENES)], "p", author="cli:ana")
    return {e.id: e for e in room.entries("p")}


def test_a_scene_inserted_at_the_top_is_one_new_entry_and_the_rest_keep_their_ids_and_history(room, tmp_path,
                                                                                               imported):
    before = scene_ids(room)
    report = room.import_files([script(tmp_path / "pilot.fountain", [ROOFTOP, *SCENES])], "p", author="cli:bo")
    assert (report.created, report.updated, report.unchanged) == (1, 0, 5)
    (summary,) = [s.summary() for s in report.scripts]
    assert summary == "pilot.fountain: 5 scene(s) matched, none changed; 1 added: 'Ep 7 · EXT. ROOFTOP - DAWN'"
    after = scene_ids(room)
    assert after[0][1] == "EXT. ROOFTOP - DAWN" and after[1:] == before  # first in the script, the rest as they were
    assert all(len(room.history("p", entry_id)) == 1 for entry_id, _ in before)
    fountain = room.export_screenplay("p", "fountain").data.decode()
    assert fountain.index("EXT. ROOFTOP - DAWN") < fountain.index("INT. GU MANSION - STUDY - NIGHT")
    again = room.import_files([tmp_path / "pilot.fountain"], "p")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)


def test_an_edited_and_a_moved_scene_are_matched_and_updated(room, tmp_path, imported):
    edited = (SCENES[2][0], SCENES[2][1].replace("Now, before the police come.", "Before the police come, Lin Wan."))
    revised = [SCENES[0], SCENES[3], SCENES[1], edited, SCENES[4]]  # the car scene moved up, the locker one edited
    report = room.import_files([script(tmp_path / "pilot.fountain", revised)], "p")
    assert (report.created, report.updated, report.unchanged) == (0, 2, 3)
    assert report.scripts[0].changed == ["Ep 7 · INT. CAR - NIGHT", "Ep 7 · INT. HOSPITAL LOCKER ROOM - DAY"]
    assert [h for _, h in scene_ids(room)] == [h for h, _ in revised]
    locker = room.find_entry("p", "scene-pilot-003")
    assert "Before the police come, Lin Wan." in locker.text and len(room.history("p", locker.id)) == 2
    assert [(r.revision, r.action) for r in room.history("p", "scene-pilot-004")] == [(1, "create"), (2, "update")]


def test_the_same_script_under_another_file_name_updates_instead_of_duplicating(room, tmp_path, imported):
    edited = [*SCENES[:4], (SCENES[4][0], SCENES[4][1] + "\n\nShe puts the box back in the drawer.")]
    report = room.import_files([script(tmp_path / "The Jade Seal FINAL v3.fountain", edited)], "p")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    assert len(room.list_entries("p", kind="scene")) == 5
    assert "Matched the scenes of script 'pilot'" in report.scripts[0].summary()
    # a scene the new version adds keeps to the script it matched, and takes its next number
    report = room.import_files([script(tmp_path / "v4.fountain", [*edited, ROOFTOP])], "p")
    assert report.created == 1 and scene_ids(room)[-1] == ("scene-pilot-006", "EXT. ROOFTOP - DAWN")


def test_a_room_imports_a_script_apart_by_naming_it(room, tmp_path, imported):
    report = room.import_files([script(tmp_path / "pilot.fountain", SCENES)], "p", script="Alt ending")
    assert report.created == 5 and report.scripts[0].script == "alt-ending"
    assert [i for i, _ in scene_ids(room)][5:] == [f"scene-alt-ending-00{n}" for n in range(1, 6)]
    again = room.import_files([script(tmp_path / "pilot.fountain", [ROOFTOP, *SCENES])], "p", script="Alt ending")
    assert (again.created, again.unchanged) == (1, 5)  # matched within its own script only
    with pytest.raises(CanonError, match="a script name needs a letter or digit"):
        room.import_files([tmp_path / "pilot.fountain"], "p", script="--")


def test_a_scene_cut_from_the_script_is_kept_and_named(room, tmp_path, imported):
    report = room.import_files([script(tmp_path / "pilot.fountain", SCENES[:3] + SCENES[4:])], "p")
    assert (report.created, report.unchanged) == (0, 4)
    assert "1 scene(s) of this script are not in the file and were kept: 'Ep 7 · INT. CAR - NIGHT'" \
        in report.scripts[0].summary()
    assert len(room.list_entries("p", kind="scene")) == 5


def test_a_repeated_flashback_in_another_episode_file_is_that_episodes_own_scene(room, tmp_path, imported):
    report = room.import_files([script(tmp_path / "ep8.fountain", [SCENES[0], ROOFTOP], episode=8)], "p")
    assert report.created == 2 and room.find_entry("p", "scene-pilot-001").episode == 7


def test_a_json_export_of_reordered_scenes_imports_back_in_the_same_order(room, tmp_path, imported):
    room.import_files([script(tmp_path / "pilot.fountain", [ROOFTOP, *SCENES])], "p")
    exported = tmp_path / "canon.json"
    exported.write_text(room.export("p", "json"), encoding="utf-8")
    assert [e.get("order") for e in json.loads(exported.read_text())["entries"]][:2] == [0.0, None]
    room.create_project("q")
    room.import_files([exported], "q")
    assert room.export("q", "json").replace('"q"', '"p"', 1) == room.export("p", "json")


def test_the_import_in_a_child_process_matches_the_same_way(room, tmp_path, imported):
    report = room.import_files([script(tmp_path / "renamed.fountain", [ROOFTOP, *SCENES])], "p", in_child=True,
                               author="discord:1:ana")
    assert (report.created, report.unchanged) == (1, 5)
    assert report.scripts[0].added == ["Ep 7 · EXT. ROOFTOP - DAWN"] and report.scripts[0].other_files == ["pilot"]


@pytest.fixture
def simcord_bot(settings, room):
    from bot.client import create_bot

    return create_bot(settings, room)


@pytest.mark.simcord(settle_timeout=60)
async def test_discord_import_names_what_it_matched_and_imports_a_script_apart_on_request(simcord_env, tmp_path):
    from simcord_room import room_3

    await simcord_env.bot.tree.sync()
    guild, channel, showrunner, writer = room_3(simcord_env)
    await showrunner.slash(channel, "project create", name="p")
    first = script(tmp_path / "pilot.fountain", SCENES).read_bytes()
    await showrunner.slash(channel, "canon import", file=("pilot.fountain", first))
    revised = script(tmp_path / "pilot.fountain", [ROOFTOP, *SCENES]).read_bytes()
    result = await showrunner.slash(channel, "canon import", file=("Jade Seal v2.fountain", revised))
    assert result.response.content.startswith("Imported **Jade Seal v2.fountain**: 1 new, 0 updated, 5 unchanged")
    assert "Jade Seal v2.fountain: 5 scene(s) matched, none changed; 1 added: 'Ep 7 · EXT. ROOFTOP - DAWN'. " \
           "Matched the scenes of script 'pilot'" in result.response.content
    apart = await showrunner.slash(channel, "canon import", file=("pilot.fountain", first), script="draft b")
    assert "5 new" in apart.response.content and "all new (script 'draft-b')" in apart.response.content


def test_a_chinese_script_with_a_scene_inserted_and_renumbered_keeps_every_other_scene(room, tmp_path):
    """The scenes after the insert keep their ids and elements; only their names follow the new numbers."""
    sample = (Path(__file__).resolve().parent.parent / "benchmarks" / "chinese_samples" / "qin_in_the_study.txt")
    room.create_project("p")
    room.import_files([sample], "p")
    before = {e.id: e.script for e in room.list_entries("p", kind="scene")}
    first, rest = sample.read_text(encoding="utf-8").split("1-1 夜 内 沈家书房", 1)
    revised = tmp_path / "沈家琴事 第二稿.txt"  # renumbered as writers do: the study is now 1-2, the yard 1-3
    revised.write_text(first + "1-1 夜 外 沈家大门\n△林婉站在雨里，抬头看着门匾。\n林婉：（自语）我回来了。\n\n1-2 夜 内 沈家书房"
                       + rest.replace("1-2 夜 外 沈家后院", "1-3 夜 外 沈家后院"), encoding="utf-8")
    report = room.import_files([revised], "p")
    assert (report.created, report.updated, report.unchanged) == (1, 2, 1)
    assert report.scripts[0].added == ["第1集 · 1-1 夜 外 沈家大门"]
    assert report.scripts[0].other_files == ["qin_in_the_study"]
    scenes = room.list_entries("p", kind="scene")
    assert [e.name for e in scenes][:3] == ["第1集 · 1-1 夜 外 沈家大门", "第1集 · 1-2 夜 内 沈家书房",
                                            "第1集 · 1-3 夜 外 沈家后院"]
    assert {e.id: e.script for e in scenes if e.id in before} == before


def test_a_chinese_script_imported_again_updates_the_scenes_named_the_old_way(room, monkeypatch):
    """Scenes saved as "Ep 1 · 夜 内 沈家书房" (before Chinese names) are the ones a re-import renames: no duplicates."""
    from bot.canon.importers import fountain

    sample = (Path(__file__).resolve().parent.parent / "benchmarks" / "chinese_samples" / "qin_in_the_study.txt")
    room.create_project("p")
    with monkeypatch.context() as old_code:
        old_code.setattr(fountain, "is_chinese", lambda script: False)
        room.import_files([sample], "p")
    ids = sorted(e.id for e in room.list_entries("p", kind="scene"))
    assert room.list_entries("p", kind="scene")[0].name == "Ep 1 · 夜 内 沈家书房"
    report = room.import_files([sample], "p")
    assert (report.created, report.updated) == (0, 3)
    scenes = room.list_entries("p", kind="scene")
    assert sorted(e.id for e in scenes) == ids and scenes[0].name == "第1集 · 1-1 夜 内 沈家书房"
    report = room.import_files([sample], "p")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)


def test_the_cli_names_what_a_script_import_matched_once(cli, tmp_path):
    cli("project", "create", "seal")
    res = cli("import", "--project", "seal", script(tmp_path / "pilot.fountain", SCENES))
    summaries = [line for line in res.stdout.splitlines() if line.startswith("pilot.fountain:")]
    assert res.exit_code == 0 and len(summaries) == 1, res.stdout

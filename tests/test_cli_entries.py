"""What a new user tripped on in the CLI: entries by name everywhere, history that shows what changed,
restore of a delete, --json on read commands, add/edit/list, project rename/delete/use, help texts."""

import json
import sys

import click


def test_history_and_restore_take_a_name_or_alias(jade_cli):
    res = jade_cli("history", "--project", "jade", "Wanwan")  # an alias, as show and delete take
    assert res.exit_code == 0 and "rev 1  create" in res.stdout
    jade_cli("delete", "--project", "jade", "婉婉")
    assert "rev 2  delete" in jade_cli("history", "--project", "jade", "Lin Wan").stdout  # deleted: still found
    res = jade_cli("restore", "--project", "jade", "Lin Wan", "1")
    assert res.exit_code == 0 and "restored Lin Wan (lin-wan) to revision 1; now revision 3" in res.stdout
    assert "rev 3  restore" in (out := jade_cli("history", "--project", "jade", "Wanwan").stdout)
    assert "(brought back as it was)" in out


def test_history_shows_what_changed(jade_cli):
    res = jade_cli("edit", "--project", "jade", "Wanwan", "--text",
                   "A night-shift surgeon swapped at birth. Speaks in short, dry sentences.", "--episode", "2")
    assert res.exit_code == 0 and "revision 2" in res.stdout
    out = jade_cli("history", "--project", "jade", "lin-wan").stdout
    assert "[-nurse-]{+surgeon+}" in out and "episode: 1 -> 2" in out
    doc = json.loads(jade_cli("history", "--project", "jade", "--json", "lin-wan").stdout)
    assert doc["entry"] == "lin-wan" and [r["action"] for r in doc["revisions"]] == ["create", "update"]
    changed = {c["field"]: c for c in doc["revisions"][1]["changes"]}
    assert changed["episode"] == {"field": "episode", "before": 1, "after": 2}
    assert doc["revisions"][1]["text_diff"] == ["A night-shift [-nurse-]{+surgeon+} swapped at birth…"]


def test_restoring_a_delete_is_refused_with_the_revision_to_use(jade_cli):
    jade_cli("delete", "--project", "jade", "Gu Chen")
    res = jade_cli("restore", "--project", "jade", "gu-chen", "2")
    assert res.exit_code == 1
    assert "revision 2 of 'gu-chen' is a delete" in res.stderr and "restore revision 1" in res.stderr
    assert jade_cli("show", "--project", "jade", "Gu Chen").exit_code == 1  # still deleted, not deleted twice
    assert len(json.loads(jade_cli("history", "--project", "jade", "--json", "gu-chen").stdout)["revisions"]) == 2


def test_show_json_has_every_field_and_text_shows_tags_and_pinned(jade_cli):
    doc = json.loads(jade_cli("show", "--project", "jade", "--json", "Tone").stdout)
    assert doc["id"] == "tone" and doc["pinned"] is True and doc["tags"] == [] and doc["revision"] == 1
    jade_cli("edit", "--project", "jade", "Tone", "--tag", "style")
    out = jade_cli("show", "--project", "jade", "Tone").stdout
    assert "pinned" in out.splitlines()[0] and "tags: style" in out


def test_add_list_and_edit(jade_cli):
    res = jade_cli("add", "--project", "jade", "character", "Su Mei", "--alias", "Meimei, 苏梅",
                   "--episode", "3", "--tag", "villain", "--text", "The cousin who wants the seal.")
    assert res.exit_code == 0 and "added Su Mei (character-su-mei)" in res.stdout
    again = jade_cli("add", "--project", "jade", "character", "Su Mei")
    assert again.exit_code == 1 and "already exists" in again.stderr
    listed = jade_cli("list", "--project", "jade", "--kind", "character").stdout.splitlines()
    assert [line.split("\t")[0] for line in listed] == ["lin-wan", "gu-chen", "character-su-mei"]
    assert jade_cli("list", "--project", "jade", "--tag", "VILLAIN").stdout.startswith("character-su-mei\t")
    eps = json.loads(jade_cli("list", "--project", "jade", "--episode", "7", "--json").stdout)
    assert [e["id"] for e in eps] == ["ep7"]
    jade_cli("edit", "--project", "jade", "苏梅", "--remove-alias", "Meimei", "--unpin", "--name", "Su Mei (cousin)")
    e = json.loads(jade_cli("show", "--project", "jade", "--json", "character-su-mei").stdout)
    assert e["aliases"] == ["苏梅"] and e["name"] == "Su Mei (cousin)" and e["revision"] == 2


def test_edit_without_options_opens_the_editor(jade_cli, monkeypatch, tmp_path):
    script = tmp_path / "fake_editor.py"
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      "p.write_text(p.read_text().replace('nurse', 'midwife').replace('episode: 1', 'episode: 4'))\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    res = jade_cli("edit", "--project", "jade", "Lin Wan")
    assert res.exit_code == 0 and "revision 2" in res.stdout
    e = json.loads(jade_cli("show", "--project", "jade", "--json", "lin-wan").stdout)
    assert "night-shift midwife" in e["text"] and e["episode"] == 4 and e["aliases"] == ["Wanwan", "婉婉"]
    script.write_text("import sys, pathlib\npathlib.Path(sys.argv[1]).write_text('---\\nkind: villain\\n---\\nx')\n")
    res = jade_cli("edit", "--project", "jade", "Lin Wan")
    assert res.exit_code == 1 and "unknown kind 'villain'" in res.stderr and "your text is kept in" in res.stderr


def test_project_use_rename_and_delete(cli, bible_file, settings):
    cli("project", "create", "jade")
    res = cli("show", "Wanwan")
    assert res.exit_code == 2 and "which project?" in res.stderr and "project use" in res.stderr
    cli("project", "use", "jade")
    cli("import", bible_file)
    assert "Lin Wan [character]" in cli("show", "Wanwan").stdout  # no --project needed now
    assert "[default: jade]" in cli("show", "--help").stdout
    assert json.loads(cli("project", "list", "--json").stdout) == [{"name": "jade", "entries": 6, "default": True, "server": None}]
    assert cli("project", "rename", "jade", "Jade Seal").exit_code == 0
    assert "Lin Wan" in cli("show", "Wanwan").stdout  # the default followed the rename
    declined = cli("project", "delete", "Jade Seal", input="n\n")
    assert declined.exit_code == 1 and "cannot be brought back" in declined.stdout
    res = cli("project", "delete", "Jade Seal", "--yes")
    assert res.exit_code == 0 and "6 entries" in res.stdout
    saved = res.stdout.split("saved whole in ")[1].split("\n")[0]
    assert json.loads(open(saved, encoding="utf-8").read())["project"] == "Jade Seal"
    assert cli("project", "list", "--json").stdout.strip() == "[]"
    cli("project", "create", "Jade Seal")
    assert "6 new" in cli("import", saved).stdout  # recoverable from the saved file
    assert cli("retrieve", "--project", "Jade Seal", "--json", "night nurse").exit_code == 0


def test_default_project_from_the_environment(cli, bible_file, monkeypatch):
    cli("project", "create", "jade")
    monkeypatch.setenv("CLIFFHANGER_PROJECT", "jade")
    assert "6 new" in cli("import", bible_file).stdout
    assert json.loads(cli("retrieve", "-k", "1", "--json", "Who is the cold heir?").stdout)["hits"][0]["id"] == "gu-chen"


def _all_commands(group, prefix=()):
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            yield from _all_commands(cmd, (*prefix, name))
        else:
            yield " ".join((*prefix, name)), cmd


def test_every_option_has_help_and_json_is_one_line(jade_cli):
    from bot.cli import main

    missing = [f"{name} {opt.opts[0]}" for name, cmd in _all_commands(main) for opt in cmd.params
               if isinstance(opt, click.Option) and not opt.help]
    assert missing == []
    for args in (["show", "--json", "Wanwan"], ["history", "--json", "Wanwan"], ["list", "--json"],
                 ["project", "list", "--json"], ["ask", "--json", "Who is Wanwan?"],
                 ["retrieve", "--json", "Who is Wanwan?"]):
        out = jade_cli(*args[:1], *(["--project", "jade"] if args[0] != "project" else []), *args[1:]).stdout
        assert out.count("\n") == 1 and "\\u" not in out, args
        json.loads(out)


def test_an_editor_session_over_a_concurrent_edit_is_refused_and_the_text_kept(jade_cli, room, monkeypatch):
    """`edit NAME` sent the whole snapshot it opened, undoing whatever was saved while the editor was open."""
    def edit_while_someone_else_saves(text, **_kw):
        room.add_aliases("jade", "lin-wan", ["护士"], "discord:1:mei")  # saved on Discord meanwhile
        return text.replace("nurse", "midwife")

    monkeypatch.setattr(click, "edit", edit_while_someone_else_saves)
    monkeypatch.setenv("EDITOR", "vi")  # never started: click.edit is the stand-in above
    res = jade_cli("edit", "--project", "jade", "Lin Wan")
    assert res.exit_code == 1 and "changed since" in res.stderr and "revision 1, now 2" in res.stderr
    kept = res.stderr.split("your edit is kept in ")[1].split(":")[0]
    assert "night-shift midwife" in open(kept, encoding="utf-8").read()
    e = json.loads(jade_cli("show", "--project", "jade", "--json", "lin-wan").stdout)
    assert e["aliases"] == ["Wanwan", "婉婉", "护士"] and "nurse" in e["text"]  # the concurrent edit stands


def test_history_shows_a_script_change_as_its_elements_not_a_python_list(jade_cli, tmp_path):
    path = tmp_path / "pilot.fountain"
    path.write_text("INT. GU MANSION - STUDY - NIGHT\n\nSu Mei slides the seal into her sleeve.\n\n"
                    "SU MEI\n(whispering)\nSorry, Grandma.\n", encoding="utf-8")
    jade_cli("import", "--project", "jade", path)
    path.write_text("INT. GU MANSION - STUDY - NIGHT\n\nSu Mei slides the seal into her sleeve.\n\n"
                    "SU MEI (V.O.)\n(whispering)\nSorry, Grandma.\n\nGU CHEN\nWho's there?\n", encoding="utf-8")
    assert "1 updated" in jade_cli("import", "--project", "jade", path).stdout
    out = jade_cli("history", "--project", "jade", "scene-pilot-001").stdout
    assert "    script: 5 -> 7 elements\n    - SU MEI\n    + SU MEI (V.O.)\n" in out
    assert "    + GU CHEN\n    + Who's there?\n" in out
    assert "{'kind'" not in out and "[{" not in out
    zh = jade_cli("--lang", "zh-CN", "history", "--project", "jade", "scene-pilot-001").stdout
    assert "    剧本：5 -> 7 个元素\n    - SU MEI\n" in zh

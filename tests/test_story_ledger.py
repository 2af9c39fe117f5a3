"""The who-knows-what ledger and character states: CLI, import/export, history, restart."""

import json

from bot.room import WritersRoom

LEDGER_MD = """# Secrets

## The nurse is the real granddaughter
Id: real-granddaughter
Terms: real granddaughter, DNA report

Lin Wan was swapped at birth; the DNA report proves it.

# Who knows what

- Gu Chen learns real-granddaughter in episode 9 (reads the lab's email)
- Lin Wan learns real-granddaughter in episode 12 (from Grandma)

# Character states

- Gu Chen from episode 14: status missing (his car is found empty)
- Lin Wan from episode 15: relationship with Gu Chen: engaged
"""


def _import_ledger(cli, tmp_path, text=LEDGER_MD, name="ledger.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return cli("ledger", "import", "--project", "jade", path)


def test_knows_and_secrets_as_of_an_episode(cli, bible_file, tmp_path):
    cli("project", "create", "jade")
    cli("import", "--project", "jade", bible_file)
    assert "5 changed, 0 unchanged" in _import_ledger(cli, tmp_path).output
    at8 = json.loads(cli("knows", "--project", "jade", "President Gu", "--as-of-episode", "8", "--json").output)
    assert at8["knows"] == [] and at8["does_not_know_yet"][0]["secret"] == "real-granddaughter"
    at9 = cli("knows", "--project", "jade", "Gu Chen", "--as-of-episode", "9").output
    assert "knows:" in at9 and "since episode 9, reads the lab's email" in at9
    rows = json.loads(cli("secrets", "--project", "jade", "--as-of-episode", "10", "--json").output)
    assert [k["name"] for k in rows[0]["known_by"]] == ["Gu Chen"]
    text = cli("secrets", "--project", "jade").output
    assert "Gu Chen (ep 9), Lin Wan (ep 12)" in text


def test_secret_add_learn_and_bad_input(cli, bible_file):
    cli("project", "create", "jade")
    cli("import", "--project", "jade", bible_file)
    out = cli("secret", "add", "--project", "jade", "Su Mei stole the seal", "--terms", "stole the seal, took the seal")
    assert "su-mei-stole-the-seal" in out.output
    out = cli("secret", "learn", "--project", "jade", "su-mei-stole-the-seal", "Wanwan", "--episode", "7",
              "--source", "sees her on the camera")
    assert out.exit_code == 0 and "episode 7" in out.output
    missing = cli("secret", "learn", "--project", "jade", "su-mei-stole-the-seal", "Nobody", "--episode", "7")
    assert missing.exit_code == 1 and "no character named 'Nobody'" in missing.output
    unknown = cli("secret", "learn", "--project", "jade", "no-such", "Lin Wan", "--episode", "7")
    assert unknown.exit_code == 1 and "no secret 'no-such'" in unknown.output
    knows = json.loads(cli("knows", "--project", "jade", "婉婉", "--json").output)
    assert knows["knows"][0]["source"] == "sees her on the camera"


def test_ledger_round_trips_and_keeps_history(cli, bible_file, tmp_path, room):
    cli("project", "create", "jade")
    cli("import", "--project", "jade", bible_file)
    _import_ledger(cli, tmp_path)
    for fmt, name in (("json", "l.json"), ("markdown", "l.md")):
        exported = cli("ledger", "export", "--project", "jade", "--format", fmt).output
        assert "0 changed, 5 unchanged" in _import_ledger(cli, tmp_path, exported, name).output
    assert "Gu Chen from episode 14: status missing" in cli("ledger", "export", "--project", "jade",
                                                           "--format", "markdown").output
    cli("secret", "add", "--project", "jade", "The nurse is the real granddaughter", "--id", "real-granddaughter",
        "--terms", "heir")
    proj = room.project("jade")
    history = room.ledger.records.history(proj.id, "secret", "real-granddaughter")
    assert [h["action"] for h in history] == ["create", "update"]
    room.ledger.records.restore(proj.id, "secret", "real-granddaughter", 1, "t")
    assert room.ledger.secret(proj.id, "real-granddaughter").terms == ["real granddaughter", "DNA report"]


def test_bad_ledger_file_imports_nothing(cli, bible_file, tmp_path):
    cli("project", "create", "jade")
    cli("import", "--project", "jade", bible_file)
    bad = LEDGER_MD.replace("- Lin Wan learns real-granddaughter in episode 12 (from Grandma)",
                            "- Ghost learns real-granddaughter in episode 12")
    out = _import_ledger(cli, tmp_path, bad)
    assert out.exit_code == 1 and "no character named 'Ghost'" in out.output
    assert json.loads(cli("secrets", "--project", "jade", "--json").output) == []


def test_timeline_and_restart(settings, embedder, cli, bible_file, tmp_path):
    cli("project", "create", "jade")
    cli("import", "--project", "jade", bible_file)
    _import_ledger(cli, tmp_path)
    cli("state", "add", "--project", "jade", "Lin Wan", "--episode", "3", "--location", "Gu mansion")
    lines = cli("timeline", "--project", "jade").output.splitlines()
    assert lines[0].startswith("ep   3  Lin Wan: location = Gu mansion")
    assert "Gu Chen: status = missing" in lines[1] and "relationship with Gu Chen = engaged" in lines[2]
    room = WritersRoom(settings, embedder=embedder)  # another process, later: all of it is still there
    try:
        assert [f.value for _, f in room.timeline("jade", "Gu Chen")] == ["missing"]
        assert room.knows("jade", "Lin Wan", 12).knows[0][0].resolved_id() == "real-granddaughter"
    finally:
        room.close()


def test_ledger_suggest_proposes_rows_and_writes_nothing(cli, bible_file, llm, tmp_path, room):
    cli("project", "create", "jade")
    cli("import", "--project", "jade", bible_file)
    llm.queue(json.dumps({
        "secrets": [{"id": "seal-thief", "name": "Su Mei stole the seal", "terms": ["stole the seal"]}],
        "knows": [{"secret": "seal-thief", "character": "lin-wan", "episode": 7, "source": "the camera"},
                  {"secret": "seal-thief", "character": "ghost", "episode": 2}]}))
    out = tmp_path / "suggested.md"
    text, dropped = room.suggest_ledger("jade")
    out.write_text(text, encoding="utf-8")
    assert dropped == ["ghost learns seal-thief: no such character"]
    assert "Episode 7: Episode 7: The seal is gone" in llm.prompt_text()
    assert "- Lin Wan learns seal-thief in episode 7 (the camera)" in text
    assert room.secrets("jade") == []  # only a suggestion
    assert "ledger: 2 changed" in cli("ledger", "import", "--project", "jade", out).output
    assert [s.secret.name for s in room.secrets("jade")] == ["Su Mei stole the seal"]


def test_ledger_suggest_without_a_model_names_the_settings(cli, bible_file):
    cli("project", "create", "jade")
    cli("import", "--project", "jade", bible_file)
    res = cli("ledger", "suggest", "--project", "jade")
    assert res.exit_code == 1 and "CLIFFHANGER_MODEL" in res.stderr

"""The `cliffhanger` command as scripts and benchmarks use it."""

import json


def test_project_create_list_and_import(cli, bible_file):
    assert cli("project", "create", "jade").exit_code == 0
    dup = cli("project", "create", "JADE")
    assert dup.exit_code == 1 and "already exists" in dup.stderr
    res = cli("import", bible_file)  # the file's "project" is the default
    assert res.exit_code == 0 and "6 new" in res.stdout
    assert "jade\t6 entries" in cli("project", "list").stdout


def test_retrieve_json_and_questions_file(cli, bible_file, tmp_path):
    cli("project", "create", "jade")
    cli("import", "--project", "jade", bible_file)
    res = cli("retrieve", "--project", "jade", "--k", "2", "--json", "What does Wanwan do at night?")
    doc = json.loads(res.stdout)
    assert doc["query"] == "What does Wanwan do at night?"
    assert doc["hits"][0]["id"] == "lin-wan"
    assert set(doc["hits"][0]) == {"id", "kind", "name", "episode", "score", "snippet"}
    questions = tmp_path / "q.txt"
    questions.write_text("Who is the cold heir?\nWho stole the seal at the dinner?\n")
    lines = cli("retrieve", "--project", "jade", "--json", "--questions-file", questions).stdout.splitlines()
    assert [json.loads(line)["query"] for line in lines] == ["Who is the cold heir?", "Who stole the seal at the dinner?"]
    assert json.loads(lines[0])["hits"][0]["id"] == "gu-chen"


def test_errors_are_one_line_and_nonzero(cli, tmp_path):
    res = cli("retrieve", "--project", "nope", "anything")
    assert res.exit_code == 1 and res.stderr.strip() == "error: no project named 'nope' (see `cliffhanger project list --all`)"
    res = cli("project", "use", "nope")  # a CLI project: no Discord server to name
    assert res.exit_code == 1 and res.stderr.strip() == "error: no project named 'nope' (see `cliffhanger project list --all`)"
    cli("project", "create", "p")
    bad = tmp_path / "bad.json"
    bad.write_text('{"entries": [{"kind": "villain", "name": "X", "text": ""}]}')
    res = cli("import", "--project", "p", bad)
    assert res.exit_code == 1 and "entry 1 ('X'): field 'kind': unknown kind 'villain'" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_export_to_file_and_reindex(cli, bible_file, tmp_path):
    cli("project", "create", "jade")
    cli("import", "--project", "jade", bible_file)
    out = tmp_path / "bible.md"
    assert cli("export", "--project", "jade", "--format", "markdown", "--output", out).exit_code == 0
    assert "## Gu Chen" in out.read_text()
    assert "reindexed 6 entries" in cli("reindex", "--project", "jade").stdout


def test_console_runs_discord_style_commands(cli, bible_file):
    cli("project", "create", "jade")
    cli("import", "--project", "jade", bible_file)
    res = cli("console", "--project", "jade", input="/ask What does Wanwan do at night?\n/nope\n/\n/quit\n")
    assert res.exit_code == 0  # a bare "/" gets the command list, not a crash
    assert "night-shift nurse" in res.stdout and "sources: Lin Wan (lin-wan)" in res.stdout
    assert "unknown command '/nope'" in res.stdout


def test_discord_commands_explain_missing_settings(cli, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no developer .env may leak a real token in
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    res = cli("run")
    assert res.exit_code == 2 and "DISCORD_TOKEN" in res.stderr and ".env.example" in res.stderr
    url = cli("invite-url", "1234").stdout
    assert "client_id=1234" in url and "applications.commands" in url and "permissions=" in url


def test_proposals_are_listed_and_decided_from_the_cli(cli, bible_file, settings):
    from bot.room import WritersRoom

    cli("project", "create", "jade")
    cli("import", "--project", "jade", bible_file)
    room = WritersRoom(settings)
    zhou = room.propose_change("jade", "add", {"kind": "character", "name": "Dr. Zhou", "text": "The family doctor."},
                               "discord:2:tom")
    gone = room.propose_change("jade", "delete", {"id": "seal"}, "discord:2:tom")
    room.close()
    listed = cli("proposals", "list", "--project", "jade").stdout
    assert f"#{zhou.id}\tadd Dr. Zhou\tby tom" in listed and f"#{gone.id}\tdelete The jade seal (revision 1)" in listed
    approved = cli("proposals", "approve", "--project", "jade", zhou.id)
    assert approved.exit_code == 0 and "approved" in approved.stdout and "revision 1" in approved.stdout
    assert "The family doctor." in cli("show", "--project", "jade", "Dr. Zhou").stdout
    again = cli("proposals", "approve", "--project", "jade", zhou.id)
    assert again.exit_code == 1 and "already approved" in again.stderr
    assert cli("proposals", "reject", "--project", "jade", gone.id).exit_code == 0
    assert cli("show", "--project", "jade", "seal").exit_code == 0  # rejected: still in canon
    assert "no open proposals" in cli("proposals", "list", "--project", "jade").stdout


def test_sync_with_discord_out_of_reach_says_so_through_the_proxy_it_was_given(cli, monkeypatch, tmp_path):
    """No network (or a firewall) is a sentence naming what to set, not a 90-line traceback; the proxy setting
    is the way out, so it must be the address actually dialled (a closed local port here: no network needed)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: the connection is refused at once
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", "not.a.token")
    monkeypatch.setenv("CLIFFHANGER_DISCORD_PROXY", f"http://127.0.0.1:{port}")
    res = cli("--lang", "zh-CN", "sync", "--guild", "1")
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert res.stderr.startswith("错误：无法连接 Discord") and f"127.0.0.1:{port}" in res.stderr
    assert "CLIFFHANGER_DISCORD_PROXY" in res.stderr

"""`project delete` saves the project whole (entries with their looks and glossary renderings, the story
ledger, production settings) in one archive; the command it prints brings all of it back, even with a
default project set; the prompt says what is saved and what is gone for good."""

import json
import shlex

from test_story_ledger import LEDGER_MD


def test_delete_saves_the_whole_project_and_the_printed_command_restores_it(cli, bible_file, tmp_path):
    cli("project", "create", "jade")
    cli("import", "--project", "jade", bible_file)
    (tmp_path / "ledger.md").write_text(LEDGER_MD, encoding="utf-8")
    assert cli("ledger", "import", "--project", "jade", tmp_path / "ledger.md").exit_code == 0
    cli("production-settings", "--project", "jade", "--paywall-episode", "10", "--max-absence", "4")
    cli("glossary", "set", "--project", "jade", "--to", "zh", "Lin Wan", "林婉")
    cli("project", "create", "other")
    cli("project", "use", "other")  # a default project: the printed command must still name jade's

    declined = cli("project", "delete", "jade", input="n\n")
    assert "6 entries, 1 secrets, 2 who learns what, 2 character states" in declined.stdout
    assert "settings and story ledger are saved" in declined.stdout
    assert "revision history, proposals and scene drafts cannot be brought back" in declined.stdout
    res = cli("project", "delete", "jade", "--yes")
    assert res.exit_code == 0, res.output
    archive = json.loads(open(res.stdout.split("saved whole in ")[1].split("\n")[0], encoding="utf-8").read())
    assert archive["settings"] == {"paywall_episode": 10, "max_absence": 4}
    assert len(archive["ledger"]["knows"]) == 2

    command = res.stdout.split("bring it back with: ")[1].strip()
    for step in command.split(" && "):
        args = shlex.split(step)
        assert args[0] == "cliffhanger"
        out = cli(*args[1:])
        assert out.exit_code == 0, (step, out.output)
    assert "6 new" in out.stdout and "project settings" in out.stdout and "story ledger" in out.stdout
    assert "Gu Chen (ep 9), Lin Wan (ep 12)" in cli("secrets", "--project", "jade").output
    assert "missing" in cli("timeline", "--project", "jade").output
    assert "paywall-episode: 10" in cli("production-settings", "--project", "jade").output
    assert json.loads(cli("show", "--project", "jade", "--json", "Lin Wan").stdout)["renderings"] == {"zh": "林婉"}

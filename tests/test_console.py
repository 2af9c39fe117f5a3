"""`cliffhanger console`: free text with apostrophes, options then text, clear errors, completion."""

from prompt_toolkit.document import Document

from bot.cli import main
from bot.cli.console import ConsoleCompleter, command_args


def test_apostrophes_and_options_then_free_text(cli, bible_file):
    cli("project", "create", "jade")
    cli("import", "--project", "jade", bible_file)
    res = cli("console", "--project", "jade",
              input="/ask What is Wanwan's job at night?\n"
                    "/retrieve --as-of-episode 4 -k 2 Who is Gu Chen's grandmother's heir?\n/quit\n")
    assert res.exit_code == 0 and "No closing quotation" not in res.stdout
    assert "night-shift nurse" in res.stdout
    assert "? Who is Gu Chen's grandmother's heir?" in res.stdout and " 2. [" in res.stdout
    retrieved = res.stdout.split("? Who is Gu Chen's grandmother's heir?")[1]
    assert " 3. [" not in retrieved and "Tea for three" not in retrieved  # -k 2 and --as-of-episode 4 applied


def test_command_args_split_options_from_text():
    retrieve = main.commands["retrieve"]
    assert command_args(retrieve, "--as-of-episode 4 --k 2 Who is the Harbor King?") == [
        "--as-of-episode", "4", "--k", "2", "--", "Who is the Harbor King?"]
    assert command_args(retrieve, "--json 'Dongzi's fingers'") == ["--json", "--", "Dongzi's fingers"]
    assert command_args(retrieve, '"who took it?"') == ["--", "who took it?"]
    assert command_args(retrieve, "-k=3 --bogus text") == ["-k=3", "--", "--bogus text"]


def test_unknown_commands_plain_text_and_banner(cli, bible_file):
    cli("project", "create", "jade")
    res = cli("console", "--project", "jade", input="/nope\nwho is wanwan\n/quit\n")
    assert "unknown command '/nope'" in res.stdout
    assert "commands start with '/'" in res.stdout
    assert "/export" in res.stdout.splitlines()[0]
    assert res.stdout.count("/twists") == 1  # the banner only; errors do not reprint the whole list


def test_console_refuses_a_project_that_does_not_exist(cli):
    res = cli("console", "--project", "nosuch", input="/quit\n")
    assert res.exit_code == 1 and "no project named 'nosuch'" in res.stderr and "cliffhanger>" not in res.stdout


def test_completion_of_commands_options_and_entry_names():
    commands = {name: main.commands[name] for name in ("ask", "retrieve", "show", "history")}
    completer = ConsoleCompleter(commands, lambda: ["Lin Wan", "Wanwan", "婉婉", "Gu Chen"])

    def complete(text):
        return [c.text for c in completer.get_completions(Document(text), None)]

    assert complete("/re") == ["/retrieve"]
    assert "--as-of-episode" in complete("/retrieve --as")
    assert complete("/show Wa") == ["Wanwan"]
    assert complete("/history 婉") == ["婉婉"]
    assert complete("/show lin w") == ["Lin Wan"]


def test_the_console_uses_one_room_and_closes_it(cli, bible_file, monkeypatch):
    from bot.room import WritersRoom

    cli("project", "create", "jade")
    cli("import", "--project", "jade", bible_file)
    opened, closed = [], []
    init, close = WritersRoom.__init__, WritersRoom.close
    monkeypatch.setattr(WritersRoom, "__init__", lambda self, *a, **k: (opened.append(self), init(self, *a, **k))[1])
    monkeypatch.setattr(WritersRoom, "close", lambda self: (closed.append(self), close(self))[1])
    res = cli("console", "--project", "jade", input="/show Wanwan\n/retrieve Who is Gu Chen?\n/ask Who is Wanwan?\n/quit\n")
    assert res.exit_code == 0 and "Lin Wan" in res.stdout
    assert len(opened) == 1 and closed == opened  # one embedding model for the session, released at the end


def test_the_names_a_chinese_discord_client_shows_work_at_the_prompt(cli, bible_file):
    """A room that types /提问 and /帮助 on Discord types them here too (they were 'unknown command')."""
    cli("project", "create", "jade")
    cli("import", "--project", "jade", bible_file)
    res = cli("--lang", "zh-CN", "console", "--project", "jade",
              input="/提问 What does Wanwan do at night?\n/帮助 檢查\n/帮助 列表\n/quit\n")
    assert "没有 '/" not in res.stdout and "unknown command" not in res.stdout
    assert "night-shift nurse" in res.stdout
    assert res.stdout.count("用法:") == 2  # /帮助 檢查 and /帮助 列表 both reached their command's help

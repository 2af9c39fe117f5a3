"""`cliffhanger demo`, the newcomer's first command: it speaks the reader's language, offline, and a Chinese
reader gets a Chinese duanju that our importers read the way their own bible and script would be read."""

import re
from importlib import resources
from pathlib import Path

import pytest

from bot.canon.script_model import speakers

ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}")  # three English words in a row


@pytest.mark.parametrize("how", ["flag", "env"])
def test_the_chinese_demo_narrates_in_chinese_over_a_chinese_sample(cli, monkeypatch, how):
    if how == "env":
        monkeypatch.delenv("CLIFFHANGER_LANG")
        monkeypatch.delenv("LC_ALL", raising=False)
        monkeypatch.delenv("LC_MESSAGES", raising=False)
        monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    result = cli(*(["--lang", "zh-CN"] if how == "flag" else []), "demo")
    out = result.output
    assert result.exit_code == 0, out
    assert out.startswith("已创建项目“雨夜契约示例”\n已导入示例设定集和剧本：新增 14 条")
    assert "? 录音笔藏在哪里？  （截至第1集：之后的剧集不显示）" in out
    assert "江晚（角色，第1集）：" in out and "（场景，第2集）：" in out  # the script's scenes are canon too
    assert "（cliffhanger ask，引用原文）" in out and "没有配置对话模型" in out
    assert 'cliffhanger --lang zh-CN retrieve --project "雨夜契约示例"' in out  # the hint speaks Chinese too
    assert not ENGLISH_WORDS.findall(out), ENGLISH_WORDS.findall(out)
    assert "Grandma Gu" not in out  # not the English sample's canon either


def test_the_english_demo_is_unchanged(cli):
    out = cli("demo").output
    assert out.startswith("created project 'jade-seal-demo'\n"
                          "imported the sample bible: 16 new, 0 updated, 0 unchanged\n\n"
                          "? Who took the seal out of the study?\n")
    assert "? Does Grandma Gu know about the DNA test yet?  (as of episode 9: later episodes hidden)\n" in out
    assert "  - Lin Wan [character, ep 1]: " in out
    assert "? Who stole the jade seal, and where was it found?  (cliffhanger ask, extractive mode)\n" in out
    assert "\nNo chat model is configured, so answers quote canon. Set CLIFFHANGER_MODEL" in out
    assert out.endswith('Try your own: cliffhanger retrieve --project "jade-seal-demo" "Who knows the safe code?"\n')
    assert "using existing project 'jade-seal-demo'" in cli("demo").output


def test_the_chinese_sample_imports_as_a_writer_would_expect(room):
    room.create_project("p")
    examples = resources.files("bot.examples")
    with resources.as_file(examples / "yuye_bible.md") as bible, \
            resources.as_file(examples / "yuye_episodes.txt") as script:
        report = room.import_files([Path(bible), Path(script)], "p")
    assert report.kinds == {"character": 4, "location": 2, "item": 1, "rule": 2, "episode": 2, "scene": 3}
    assert not report.warnings, report.warnings
    scenes = room.list_entries("p", kind="scene")
    assert [s.episode for s in scenes] == [1, 1, 2]
    assert speakers(scenes[0].script) == ["韩素", "江晚", "周砚"]
    assert "韩素（VO）：江海，你拿了不该拿的东西。" in scenes[2].text  # the recording's voice, not someone in the room
    assert room.find_entry("p", "晚晚").name == "江晚"  # an alias from 别名：
    assert room.project("p").settings["title"] == "雨夜契约"


def _readme_commands(section: str) -> list[list[str]]:
    """The `cliffhanger` commands of one section of README.zh-CN.md's shell blocks, as argument lists."""
    import shlex

    readme = (Path(__file__).parents[1] / "README.zh-CN.md").read_text(encoding="utf-8")
    body = readme.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", body, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words[:1] == ["cliffhanger"] and ">" not in words:
                commands.append(words[1:])
    return commands


def test_the_chinese_readmes_ledger_example_runs_as_documented(cli, tmp_path):
    commands = _readme_commands("5. 故事台账")
    assert commands[0] == ["--lang", "zh-CN", "demo"] and len(commands) >= 14
    for args in commands:
        if "ledger" in args:  # the file round trip needs the file the README writes with `>`
            continue
        result = cli(*args)
        assert result.exit_code == 0, (args, result.output)
    assert "江晚 (ep 2)" in cli("secrets").output and "江晚" not in cli("secrets", "--as-of-episode", "1").output
    draft = tmp_path / "草稿.txt"
    draft.write_text("1-1 日 内景 周家客厅\n人物：江晚、老陈\n江晚：陈叔，那晚天台上还有谁？\n", encoding="utf-8")
    assert "secret-too-early" in cli("check", "--episode", "1", draft).output  # as the README says

"""Retrieval a writer relies on: names and aliases, Chinese, spoilers, isolation, self-healing index."""

import json
import os
import shutil
import subprocess
import sys


def top_ids(room, q, k=3, **kw):
    return [h.id for h in room.retrieve("jade", q, k=k, **kw)]


def test_nickname_finds_the_character(jade):
    assert top_ids(jade, "What is Wanwan afraid of?", k=1) == ["lin-wan"]


def test_paraphrased_question_finds_the_episode(jade):
    assert "ep7" in top_ids(jade, "Who took the heirloom out of the study at the party?", k=2)


def test_chinese_canon_and_questions(room, tmp_path):
    room.create_project("玉玺")
    path = tmp_path / "zh.md"
    path.write_text(
        "# 人物\n\n## 林婉\n别名: 婉婉\n集数: 1\n夜班护士，出生时被人调包。说话简短，从不提高声音。\n\n"
        "## 顾辰\n集数: 1\n顾氏集团冷漠的继承人，怀疑林婉接近奶奶是为了钱。\n\n"
        "# 道具\n\n## 玉玺\n集数: 2\n一枚刻着仙鹤的翡翠印章，放在书房的保险柜里。第七集失踪，第八集在林婉的储物柜里被发现。\n",
        encoding="utf-8")
    room.import_files([path], "玉玺")
    assert room.retrieve("玉玺", "印章最后在哪里找到的？", k=1)[0].name == "玉玺"
    assert room.retrieve("玉玺", "婉婉是做什么工作的？", k=1)[0].name == "林婉"


def test_as_of_episode_hides_later_entries(jade):
    everything = top_ids(jade, "Who gets the heirloom in the end?", k=6)
    assert "ep12" in everything
    safe = top_ids(jade, "Who gets the heirloom in the end?", k=6, as_of_episode=8)
    assert "ep12" not in safe and "ep7" in safe


def test_projects_never_see_each_other(jade, tmp_path):
    jade.create_project("other")
    path = tmp_path / "other.md"
    path.write_text("# Characters\n\n## Captain Mora\nA smuggler who steals a jade seal from a museum.\n")
    jade.import_files([path], "other")
    assert "character-captain-mora" not in top_ids(jade, "Who steals the jade seal?", k=10)
    assert {h.id for h in jade.retrieve("other", "Who is Lin Wan?", k=10)} == {"character-captain-mora"}


def test_deleted_index_directory_is_rebuilt(jade, settings):
    jade.close()
    shutil.rmtree(settings.index_dir)
    # a new process, as a writer would run the next command
    out = subprocess.run([sys.executable, "-m", "bot.cli", "retrieve", "--project", "jade", "--k", "1", "--json",
                          "What is Wanwan afraid of?"], capture_output=True, text=True, check=True,
                         env={**os.environ, "DATABASE_URL": settings.resolved_database_url})
    assert json.loads(out.stdout)["hits"][0]["id"] == "lin-wan"

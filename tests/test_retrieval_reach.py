"""What a search reaches: names across scripts, entries before their vectors, questions with nothing in them."""

import json
import threading

import pytest

from bot.canon.errors import InvalidInput
from bot.canon.retrieval import LEXICAL_ONLY


def test_chinese_question_finds_english_entry_by_pinyin_name(jade):
    # the bible spells Gu Chen in Latin letters only; 顾辰 reads "gu chen"
    assert [h.id for h in jade.retrieve("jade", "顾辰信任谁？", k=1, weights=LEXICAL_ONLY)] == ["gu-chen"]
    assert jade.retrieve("jade", "顾辰信任谁？", k=1)[0].id == "gu-chen"


def test_english_question_finds_entry_named_in_characters(room, tmp_path):
    room.create_project("zh")
    path = tmp_path / "zh.json"
    path.write_text('{"entries": [{"id": "a", "kind": "character", "name": "林婉", "text": "夜班护士。"},'
                    '{"id": "b", "kind": "character", "name": "顾辰", "text": "冷漠的继承人。"}]}',
                    encoding="utf-8")
    room.import_files([path], "zh")
    assert [h.id for h in room.retrieve("zh", "Who is Lin Wan?", k=1, weights=LEXICAL_ONLY)] == ["a"]


class HeldEmbedder:
    """Passes queries through; holds passages until released, as a slow model does mid-import."""

    def __init__(self, inner):
        self.inner, self.name = inner, inner.name
        self.started, self.release = threading.Event(), threading.Event()

    def embed_passages(self, texts):
        self.started.set()
        assert self.release.wait(60)
        return self.inner.embed_passages(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


def test_entry_is_found_by_keyword_before_its_vectors_exist(settings, embedder, bible_file):
    from bot.room import WritersRoom

    held = HeldEmbedder(embedder)
    room = WritersRoom(settings, embedder=held)
    try:
        room.create_project("jade")
        reports = []
        importing = threading.Thread(target=lambda: reports.append(room.import_files([bible_file], "jade")))
        importing.start()
        assert held.started.wait(60), "the import never reached the semantic index"
        # mid-import: no vector exists yet, and the search does not wait for them
        hits = room.retrieve("jade", "Who steals the seal at the birthday dinner?", k=3)
        assert "ep7" in [h.id for h in hits]
        assert importing.is_alive()
        held.release.set()
        importing.join(60)
        assert reports and reports[0].keyword_s <= reports[0].semantic_s
        assert room.retrieve("jade", "Who steals the seal at the birthday dinner?", k=1)[0].id == "ep7"
    finally:
        held.release.set()
        room.close()


@pytest.mark.parametrize("question", ["???", "...!", "？！。", "who is the", "What was it?"])
def test_question_with_nothing_to_search_for_is_refused(jade, question):
    with pytest.raises(InvalidInput, match="nothing to search for"):
        jade.retrieve("jade", question)


def test_cli_refuses_punctuation_and_keeps_going_through_a_file(jade, cli, tmp_path):
    result = cli("retrieve", "--project", "jade", "?!")
    assert result.exit_code != 0 and "nothing to search for" in result.output
    questions = tmp_path / "q.txt"
    questions.write_text("???\nWhat is Wanwan afraid of?\n", encoding="utf-8")
    out = cli("retrieve", "--project", "jade", "--json", "--questions-file", questions).output.splitlines()
    assert "nothing to search for" in out[0] and '"lin-wan"' in out[1]


def test_text_output_shows_no_bare_fusion_scores(jade, cli):
    out = cli("retrieve", "--project", "jade", "--k", "2", "What is Wanwan afraid of?").output
    assert " 1. [character ep1] Lin Wan (lin-wan)" in out


def test_a_chinese_alias_added_in_one_command_finds_the_entry(jade, cli):
    out = cli("alias", "--project", "jade", "The jade seal", "玉印").output
    assert "玉印" in out
    assert [h.id for h in jade.retrieve("jade", "玉印最后在谁手里？", k=1, weights=LEXICAL_ONLY)] == ["seal"]
    assert "already" in cli("alias", "--project", "jade", "seal", "玉印").output


def test_an_overlong_question_is_refused_by_every_command_before_any_search(jade, cli, tmp_path, monkeypatch):
    from bot.canon.retrieval import ProjectIndex

    def no_search(*_a, **_k):
        raise AssertionError("a question over the limit reached the index")

    monkeypatch.setattr(ProjectIndex, "candidates", no_search)
    question = "Who stole the seal? " + "x" * 4_000
    said = f"the question is {len(question.strip()):,} characters; the limit is 4,000"
    for call in (lambda: jade.retrieve("jade", question), lambda: jade.ask("jade", question)):
        with pytest.raises(InvalidInput) as refused:
            call()
        assert str(refused.value) == said
    for command in ("retrieve", "ask"):
        result = cli(command, "--project", "jade", question)
        assert result.exit_code == 1 and said in result.stderr
    questions = tmp_path / "q.txt"
    questions.write_text(question + "\n", encoding="utf-8")
    assert said in cli("retrieve", "--project", "jade", "--questions-file", questions).stdout
    console = cli("console", "--project", "jade", input=f"/ask {question}\n/retrieve {question}\n/quit\n").output
    assert console.count(said) == 2


def test_blank_lines_in_a_questions_file_are_skipped_and_counted(jade, cli, tmp_path):
    questions = tmp_path / "q.txt"
    questions.write_text("What is Wanwan afraid of?\n\n   \nWho is the cold heir?\n", encoding="utf-8")
    result = cli("retrieve", "--project", "jade", "--json", "--questions-file", questions)
    assert [json.loads(line)["query"] for line in result.stdout.splitlines()] == [
        "What is Wanwan afraid of?", "Who is the cold heir?"]
    assert result.stderr.strip() == "2 blank lines skipped"

"""Canon is exact in time: progressions, and sentences that place themselves in a later episode."""

import json

import pytest

from bot.canon.models import Entry, EntryIn
from bot.room import WritersRoom
from bot.story.asof import entry_as_of, placement_warnings
from bot.canon.episode_phrases import placed_episode, sentence_spans

GRANDMA = {"id": "grandma-gu", "kind": "character", "name": "Grandma Gu", "aliases": ["Madam Gu"],
           "text": "Matriarch of the Gu family; keeps the heirloom bangle in her prayer box. "
                   "The real report reaches Grandma Gu only in episode 12. She still trusts Dr. Zhou.",
           "progressions": [{"episode": 12, "text": "She knows the nurse is her real granddaughter."},
                            {"episode": 15, "text": "She names the nurse her heir at the board meeting."}]}
SECRET_ROOM = {"id": "loc-cellar", "kind": "location", "name": "Wine cellar",
               "text": "A damp cellar under the villa. In episode 16 the stolen ledger turns up behind the casks."}


@pytest.mark.parametrize("sentence,episode", [
    ("The truth comes out in episode 14.", 14),
    ("By ep. 12 he knows.", 12),
    ("She learns it (ep 9).", 9),
    ("Episode 16: the will is read.", 16),
    ("Not until Episode 20 does she forgive him.", 20),
    ("真相在第16集揭开。", 16),
    ("直到第十六集她才知道。", 16),
    ("第二十集，婚礼。", 20),
    ("Episode 10 is the paywall.", None),  # a mention, not a placement
    ("Every episode ends on a hook.", None),
    ("Nobody says 'I love you' before episode 12.", None),  # a bound, not a placement
    ("She works there until episode 12.", None),
    ("She does not forgive him until episode 12.", 12),
    ("Lady Shen survives, episode 12.", 12),
    ("As the audience learns at the end of episode 12, the box is empty.", 12),
    ("不到第12集，谁也不说我爱你。", None),
])
def test_episode_phrases_place_a_sentence(sentence, episode):
    assert placed_episode(sentence) == episode


RULES = {"id": "rule-love", "kind": "rule", "name": "Slow burn",
         "text": "Nobody says 'I love you' before episode 12. The maid stays in the kitchen until episode 12. "
                 "Lady Shen survives, episode 12. The box holds a jade seal, as the audience learns at the end of "
                 "episode 12. She does not forgive him until episode 12."}


def test_a_rule_before_an_episode_holds_until_it_and_later_facts_stay_hidden():
    """A bound ("before/until episode 12") is shown while it applies; facts placed at 12 are not shown before."""
    for n in (5, 11):
        seen = entry_as_of(Entry(**RULES), n).text
        assert "Nobody says 'I love you' before episode 12." in seen and "stays in the kitchen" in seen
        assert "survives" not in seen and "jade seal" not in seen and "forgive" not in seen
    assert "survives" in entry_as_of(Entry(**RULES), 12).text
    zh = Entry(id="rule-zh", kind="rule", name="慢热", text="不到第12集，谁也不说我爱你。第12集之前没人知道玉玺。沈夫人第12集死。")
    assert entry_as_of(zh, 5).text == "不到第12集，谁也不说我爱你。第12集之前没人知道玉玺。"


def test_hard_wrapped_lines_are_withheld_or_shown_as_whole_sentences():
    wrapped = Entry(id="shen", kind="character", name="Lady Shen",
                    text="Lady Shen runs the silk house. In episode 14 she\nframes Ah Qiao for the theft. She is\n"
                         "patient and cold.\n\n- Loves tea.\n- In episode 20 she is\n  poisoned by her son.")
    seen = entry_as_of(wrapped, 5).text
    assert "frames Ah Qiao" not in seen and "In episode 14" not in seen and "poisoned" not in seen
    assert "She is\npatient and cold." in seen and "- Loves tea." in seen
    assert "frames Ah Qiao for the theft." in entry_as_of(wrapped, 14).text
    zh = Entry(id="shen-zh", kind="character", name="沈夫人", text="沈夫人掌管绣坊。第十四集她\n陷害阿乔。她很\n冷静。")
    assert entry_as_of(zh, 5).text == "沈夫人掌管绣坊。她很\n冷静。"
    assert [s.text for s in sentence_spans(zh.text)][1] == "第十四集她陷害阿乔。"


def test_sentences_do_not_split_after_abbreviations():
    spans = sentence_spans("Dr. Han saw it by ep. 12 at No. 5 Lane. Then he left.")
    assert [s.text for s in spans] == ["Dr. Han saw it by ep. 12 at No. 5 Lane.", "Then he left."]
    assert spans[0].episode == 12 and spans[1].episode is None


def test_as_of_withholds_later_sentences_and_progressions():
    e = Entry(**GRANDMA)
    at9 = entry_as_of(e, 9).text
    assert "heirloom bangle" in at9 and "trusts Dr. Zhou" in at9
    assert "real report" not in at9 and "real granddaughter" not in at9
    at12 = entry_as_of(e, 12).text
    assert "real report reaches" in at12 and "From episode 12: She knows the nurse" in at12
    assert "heir at the board" not in at12
    latest = entry_as_of(e, None).text
    assert "From episode 15: She names the nurse her heir" in latest
    assert entry_as_of(Entry(id="ep20", kind="episode", name="Ep 20", episode=20, text="x"), 19) is None


def test_chinese_sentence_withheld():
    e = Entry(id="shen", kind="character", name="沈知意", text="她是银匠。第十七集她才知道救她的人是陆承砚。她很安静。")
    assert entry_as_of(e, 12).text == "她是银匠。她很安静。"
    assert "陆承砚" in entry_as_of(e, 17).text


def test_import_warns_about_placed_sentences_but_refuses_nothing(room, tmp_path):
    path = tmp_path / "bible.json"
    path.write_text(json.dumps({"entries": [GRANDMA, SECRET_ROOM]}), encoding="utf-8")
    room.create_project("gu")
    report = room.import_files([path], "gu", author="t")
    assert report.created == 2
    assert len(report.warnings) == 2
    assert any("grandma-gu" in w and "From episode 12: The real report reaches Grandma Gu only in episode 12." in w
               for w in report.warnings)
    assert placement_warnings(EntryIn(kind="note", name="n", text="Nothing placed here.")) == []
    again = room.import_files([path], "gu", author="t")  # the same file: said once is enough
    assert again.unchanged == 2 and again.warnings == []


def test_progressions_round_trip_through_json_and_markdown(room, tmp_path):
    path = tmp_path / "bible.json"
    path.write_text(json.dumps({"entries": [GRANDMA, SECRET_ROOM]}), encoding="utf-8")
    room.create_project("gu")
    room.import_files([path], "gu", author="t")
    for fmt, suffix in (("json", "json"), ("markdown", "md")):
        text = room.export("gu", fmt)
        if fmt == "markdown":
            assert "From episode 12: She knows the nurse is her real granddaughter." in text
        again = tmp_path / f"again.{suffix}"
        again.write_text(text, encoding="utf-8")
        room.create_project(f"gu-{fmt}")
        room.import_files([again], f"gu-{fmt}", author="t")
        back = room.find_entry(f"gu-{fmt}", "grandma-gu")
        assert [(p.episode, p.text) for p in back.progressions] == [(p["episode"], p["text"])
                                                                    for p in GRANDMA["progressions"]]
        assert back.text == GRANDMA["text"]
        # importing the export over the original changes nothing
        assert room.import_files([again], "gu", author="t").unchanged == 2


def test_markdown_from_episode_blocks_in_chinese(room, tmp_path):
    path = tmp_path / "bible.md"
    path.write_text("# 人物\n\n## 顾奶奶\n顾家的老太太。\n\n从第12集起：她知道护士是亲孙女。\n", encoding="utf-8")
    room.create_project("gu")
    room.import_files([path], "gu", author="t")
    e = room.find_entry("gu", "顾奶奶")
    assert e.text == "顾家的老太太。" and e.progressions[0].episode == 12


def test_revisions_and_restore_cover_progressions(room, tmp_path):
    room.create_project("gu")
    room.add_entry("gu", EntryIn(**GRANDMA), "t")
    changed = {**GRANDMA, "progressions": [{"episode": 12, "text": "She suspects nothing yet."}]}
    room.add_entry("gu", EntryIn(**changed), "t")
    assert room.find_entry("gu", "grandma-gu").progressions[0].text == "She suspects nothing yet."
    restored = room.restore("gu", "grandma-gu", 1, "t")
    assert [p.episode for p in restored.progressions] == [12, 15]
    assert "real granddaughter" in restored.progressions[0].text


def test_retrieve_never_shows_or_ranks_by_a_hidden_sentence(room, tmp_path):
    path = tmp_path / "bible.json"
    path.write_text(json.dumps({"entries": [GRANDMA, SECRET_ROOM]}), encoding="utf-8")
    room.create_project("gu")
    room.import_files([path], "gu", author="t")
    early = room.retrieve("gu", "Where does the stolen ledger turn up behind the casks?", k=5, as_of_episode=10)
    assert all("ledger" not in h.snippet for h in early)
    late = room.retrieve("gu", "Where does the stolen ledger turn up behind the casks?", k=5, as_of_episode=16)
    assert late[0].id == "loc-cellar" and "stolen ledger" in late[0].snippet
    # lexical-only ranking: at 10 the cellar matches nothing the question asks about
    from bot.canon.retrieval import LEXICAL_ONLY
    lexical = room.retrieve("gu", "stolen ledger casks", k=5, as_of_episode=10, weights=LEXICAL_ONLY)
    assert "loc-cellar" not in [h.id for h in lexical]
    hits = room.retrieve("gu", "Does Grandma Gu know about the real report?", k=5, as_of_episode=9)
    assert all("real report" not in h.snippet and "granddaughter" not in h.snippet for h in hits)


def test_ask_never_quotes_a_later_sentence_and_restart_keeps_it(settings, embedder, tmp_path):
    path = tmp_path / "bible.json"
    path.write_text(json.dumps({"entries": [GRANDMA, SECRET_ROOM]}), encoding="utf-8")
    room = WritersRoom(settings, embedder=embedder)
    room.create_project("gu")
    room.import_files([path], "gu", author="t")
    room.close()
    room = WritersRoom(settings, embedder=embedder)  # a restart: records and index from disk
    try:
        answer, ctx = room.ask("gu", "Does Grandma Gu know about the real report yet?", as_of_episode=9)
        assert answer.mode == "extractive"
        assert "real report reaches" not in answer.answer
        assert all("real report reaches" not in e.text and "granddaughter" not in e.text for e in ctx.entries)
        answer, _ = room.ask("gu", "Does Grandma Gu know about the real report yet?", as_of_episode=12)
        assert "real report reaches Grandma Gu" in answer.answer
    finally:
        room.close()


def test_model_prompts_get_canon_as_of_the_episode(jade, llm, tmp_path):
    path = tmp_path / "more.json"
    path.write_text(json.dumps({"entries": [GRANDMA]}), encoding="utf-8")
    jade.import_files([path], "jade", author="t")
    llm.queue(json.dumps({"answer": "Not yet.", "citations": []}))
    jade.ask("jade", "Does Grandma Gu know about the real report?", as_of_episode=9)
    sent = llm.prompt_text()
    assert "Grandma Gu" in sent and "real report reaches" not in sent and "granddaughter" not in sent
    llm.queue(json.dumps({"issues": []}))
    jade.check("jade", "GRANDMA GU\nI know everything about the report.", episode=9)
    sent = llm.prompt_text()
    assert "heirloom bangle" in sent and "real report reaches" not in sent and "granddaughter" not in sent


def test_a_latest_search_never_returns_an_earlier_reading_even_when_it_is_nearest(tmp_path, embedder):
    from bot.canon.vectors import VectorIndex, make_chroma_client

    index = VectorIndex(make_chroma_client(tmp_path, None, 0), 1, embedder)
    index.upsert([Entry(**GRANDMA), Entry(**SECRET_ROOM)])
    # worded as the reading before episode 12, the nearest chunk of all; at the latest episode it is superseded
    question = "Matriarch of the Gu family who keeps the heirloom bangle in her prayer box and still trusts Dr. Zhou"
    (text_now,) = [text for _, text in index.search(question, None, 1).values()]
    assert "real report reaches" in text_now  # the sentence the earlier reading withholds
    (text_then,) = [text for _, text in index.search(question, 9, 1).values()]
    assert "real granddaughter" not in text_then and "heirloom bangle" in text_then

"""What `ask` quotes with no model: the passage that answers, as of the question's episode."""

import json
from pathlib import Path

import pytest

from bot.canon.evidence import passages

SHEN = {"project": "shen", "entries": [
    {"id": "old-master-shen", "kind": "character", "name": "Old Master Shen", "aliases": ["Grandpa Shen"],
     "episode": 1, "text": "Patriarch of the Shen family, 78, who still signs every cheque himself. Never forgives a debt.",
     "progressions": [{"episode": 8, "text": "Dead. Poisoned by his evening ginseng broth."},
                      {"episode": 12, "text": "His will names the housekeeper's son as heir."}]},
    {"id": "aunt-lan", "kind": "character", "name": "Aunt Lan", "episode": 1,
     "text": "The Shen housekeeper for thirty years. Brews the master's tonics every evening."},
    {"id": "ep-03", "kind": "episode", "name": "Episode 3: The birthday", "episode": 3,
     "text": "Old Master Shen tells the family he will not die before his grandson marries, and rewrites his will."},
    {"id": "ep-08", "kind": "episode", "name": "Episode 8: Screams at dawn", "episode": 8,
     "text": "The household wakes to screams; the family doctor signs the certificate before noon."},
    {"id": "ep-10", "kind": "episode", "name": "Episode 10: The cup", "episode": 10,
     "text": "The police find that Aunt Lan poisoned the master's broth."},
]}


@pytest.fixture
def shen(room, tmp_path):
    path = tmp_path / "shen.json"
    path.write_text(json.dumps(SHEN), encoding="utf-8")
    room.create_project("shen")
    room.import_files([path], "shen", author="tester")
    return room


def test_the_quote_is_the_passage_that_answers_as_of_the_episode(shen):
    answer, _ctx = shen.ask("shen", "How did Old Master Shen die?", as_of_episode=8)
    assert answer.mode == "extractive"
    assert "“From episode 8: Dead. Poisoned by his evening ginseng broth.” (Old Master Shen" in answer.answer
    assert "housekeeper's son" not in answer.answer and "Aunt Lan poisoned" not in answer.answer  # later episodes


def test_before_the_death_nothing_says_he_died(shen):
    answer, _ctx = shen.ask("shen", "How did Old Master Shen die?", as_of_episode=7)
    assert "Poisoned" not in answer.answer and "poisoned" not in answer.answer


def test_passages_keep_lead_ins_and_abbreviations_with_their_sentence_and_dialogue_by_line():
    assert passages("Trusts only Uncle Fu and Dr. Han with the truth.\n\nFrom episode 8: Dead. Poisoned at dinner.") == [
        "Trusts only Uncle Fu and Dr. Han with the truth.", "From episode 8: Dead. Poisoned at dinner."]
    assert passages("ROSS: Breathe.\nMONICA: Count faster!\nCAROL: Okay.") == [
        "ROSS: Breathe.", "MONICA: Count faster!", "CAROL: Okay."]


# -- quotes never overlap, and the sentence that answers comes first ------------------------------------

@pytest.fixture
def jade_demo(room):
    """The sample project `cliffhanger demo` builds, with the pilot's scenes as a new user imports them."""
    from importlib import resources

    room.create_project("jade-seal-demo")
    examples = resources.files("bot.examples")
    with resources.as_file(examples / "jade_seal_bible.md") as bible, \
            resources.as_file(examples / "jade_seal_pilot.fountain") as pilot:
        room.import_files([Path(bible), Path(pilot)], "jade-seal-demo", author="tester")
    return room


def _positions(answer, ctx) -> list[tuple[str, set[int]]]:
    """Each quote's entry and which of that entry's passages (as of the question's episode) it quotes."""
    texts = {e.id: passages(e.text) for e in ctx.entries}
    out = []
    for q in answer.quotes:
        assert q.id in texts, f"{q.id} quoted but not among the entries the answer read"
        covered = {i for i, p in enumerate(texts[q.id]) if " ".join(p.split()) in q.text}
        assert covered, f"“{q.text}” is not the text of {q.id}, the entry it is attributed to"
        out.append((q.id, covered))
    return out


@pytest.mark.parametrize("question", ["Who knows the safe code?", "What did Su Mei do?", "Who is Dr. Zhou?",
                                      "What does Gu Chen tell Su Mei?", "Whose ears does Grandma Gu ask about?"])
def test_no_two_quotes_overlap_and_touching_ones_are_one(jade_demo, question):
    answer, ctx = jade_demo.ask("jade-seal-demo", question)
    assert answer.mode == "extractive" and answer.quotes
    quoted = _positions(answer, ctx)
    for a, (entry_a, at_a) in enumerate(quoted):
        for entry_b, at_b in quoted[a + 1:]:
            if entry_a == entry_b:  # a passage quoted twice, or two quotes that should have been one
                assert not at_a & at_b, answer.answer
                assert min(abs(i - j) for i in at_a for j in at_b) > 1, answer.answer
    assert len(answer.answer.splitlines()) == len(answer.quotes)


def test_the_scene_line_asked_about_is_quoted(jade_demo):
    answer, _ctx = jade_demo.ask("jade-seal-demo", "What does Grandma Gu say to Gu Chen about Lin Wan's ears?")
    assert any("这孩子的耳朵，和你爷爷一模一样" in q.text and q.id == "scene-jade_seal_pilot-002"
               for q in answer.quotes), answer.answer


TEA_HOUSE = {"project": "tea", "entries": [
    {"id": "shen-zhiyi", "kind": "character", "name": "Shen Zhiyi", "episode": 1,
     "text": "Heir of the Shen tea house, twenty-six, trained as a pharmacist in Suzhou. Keeps the family's "
             "accounts in a red ledger. She hides the ledger under the ancestral altar. Calls her grandfather "
             "Old Pine, never Grandpa."},
    {"id": "lu-yan", "kind": "character", "name": "Lu Yan", "episode": 1,
     "text": "Zhiyi's contract husband, a surgeon who hates tea. Lost his mother in a fire at the harbour."},
    {"id": "tea-house", "kind": "location", "name": "The Shen tea house", "episode": 1,
     "text": "Three floors on the old canal. The ancestral altar stands in the back room."},
    {"id": "shen-zhiyi-zh", "kind": "character", "name": "沈知意", "episode": 1,
     "text": "沈家茶馆的继承人，二十六岁，在苏州学过药剂。她用一本红色账本记家里的账。她把账本藏在祠堂的供桌下面。"
             "她管祖父叫“老松”。"},
    {"id": "lu-yan-zh", "kind": "character", "name": "陆衍", "episode": 1,
     "text": "沈知意的契约丈夫，外科医生，讨厌喝茶。母亲死于港口的一场大火。"},
]}


@pytest.fixture
def tea(room, tmp_path):
    path = tmp_path / "tea.json"
    path.write_text(json.dumps(TEA_HOUSE, ensure_ascii=False), encoding="utf-8")
    room.create_project("tea")
    room.import_files([path], "tea", author="tester")
    return room


@pytest.mark.parametrize("question, first, not_first", [
    ("Where does Zhiyi hide the ledger?", "under the ancestral altar", "Old Pine"),
    ("What does Zhiyi call her grandfather?", "Old Pine", "altar"),
    ("How did Lu Yan's mother die?", "in a fire at the harbour", "surgeon"),
    ("沈知意把账本藏在哪里？", "供桌下面", "药剂"),
    ("沈知意管祖父叫什么？", "老松", "供桌"),
    ("陆衍的母亲是怎么死的？", "大火", "外科医生"),
])
def test_the_sentence_that_answers_is_quoted_first_without_its_neighbours(tea, question, first, not_first):
    """The quote opens on the sentence that answers and stops there, unless what follows goes on about
    the same one ("她..."): the sentences around it in its entry are not the answer."""
    answer, ctx = tea.ask("tea", question)
    assert first in passages(answer.quotes[0].text)[0], answer.answer
    assert not_first not in answer.quotes[0].text, answer.answer
    _positions(answer, ctx)  # every quote is its entry's text


def test_a_question_about_what_someone_says_reads_their_lines_first():
    from bot.canon.asking import spoken_by_asked

    lines = ["GRANDMA GU: (to Gu Chen, smiling) 阿辰，别吓着她。", "GRANDMA GU: Your ears.", "GU CHEN: Go to bed, Su Mei.",
             "Gu Chen looks from the seal to Lin Wan's ears."]
    assert list(spoken_by_asked("What does Grandma Gu say to Gu Chen?", lines)) == [2, 1, 0, 0]
    assert list(spoken_by_asked("林婉对顾辰说了什么？", ["林婉：你好。", "顾辰：走。"])) == [1, 0]
    assert not any(spoken_by_asked("Where is the jade seal?", lines))


def test_a_chinese_question_is_not_answered_by_a_line_that_shares_only_its_grammar(jade_demo):
    answer, _ctx = jade_demo.ask("jade-seal-demo", "玉玺在哪里被找到的？")
    assert "locker" in answer.answer, answer.answer
    assert "这孩子的耳朵" not in answer.answer, answer.answer  # shares only 的 with the question


# -- a closing quotation mark stays with the sentence it closes ------------------------------------------

def test_sentences_keep_their_closing_quotes_chinese_and_english():
    from bot.canon.text import chunk_text, sentences
    assert sentences("他说：“你好。”她问：“你怎么知道？”") == ["他说：“你好。”", "她问：“你怎么知道？”"]
    assert passages('She told Elias: "Tell the boy when he turns twenty-five." Elias never did.') == [
        'She told Elias: "Tell the boy when he turns twenty-five."', "Elias never did."]
    assert passages("他冷笑。「我早就知道了。」她没说话。") == ["他冷笑。「我早就知道了。」", "她没说话。"]
    assert chunk_text("他说：“你好。”她问：“你怎么知道？”", max_units=5) == ["他说：“你好。”", "她问：“你怎么知道？”"]


def _balanced(text):
    return text.count("“") == text.count("”") and text.count('"') % 2 == 0


@pytest.mark.parametrize("entry, question, wanted", [
    ({"id": "constance", "kind": "character", "name": "Constance", "episode": 1,
      "text": 'Widow of the old captain. She told Elias: "Tell the boy when he turns twenty-five." Elias never did.'},
     "What did Constance tell Elias?", '"Tell the boy when he turns twenty-five."'),
    ({"id": "gu-yan", "kind": "character", "name": "顾言", "episode": 1,
      "text": "顾家二少爷，表面温和。管家说：“他派人偷走了林家的账册和玉佩。从不亲自动手。”林晚至今不知道。"},
     "顾言偷走了什么？", "“他派人偷走了林家的账册和玉佩。从不亲自动手。”"),
])
def test_a_quote_keeps_the_quotation_marks_of_what_it_quotes(room, tmp_path, entry, question, wanted):
    path = tmp_path / "q.json"
    path.write_text(json.dumps({"project": "q", "entries": [entry]}, ensure_ascii=False), encoding="utf-8")
    room.create_project("q")
    room.import_files([path], "q", author="tester")
    answer, _ctx = room.ask("q", question)
    assert answer.mode == "extractive"
    assert any(wanted in q.text for q in answer.quotes), answer.answer
    assert all(_balanced(q.text) for q in answer.quotes), answer.answer
    assert " 从" not in answer.answer  # Chinese sentences are not joined with a space


# -- passages of one entry that touch are one quote, in the entry's order ----------------------------------

VOICEMAIL = """Title: Urgent

INT. OFFICE - NIGHT

Maria stares at the phone. The message light blinks.

DANIEL (V.O.)
(on the machine)
Call me back. It was urgent.

Maria deletes the message.

DANIEL (V.O.)
(on the machine)
It was urgent.

She sits.
"""


def test_a_screenplay_line_break_ends_a_passage():
    scene = ("Maria stares at the phone. The message light blinks.\nDANIEL: (on the machine) Call me back. It was urgent.\n"
             "Maria deletes the message.\nDANIEL: (on the machine) It was urgent.\nShe sits.")
    assert passages(scene) == ["Maria stares at the phone.", "The message light blinks.",
                               "DANIEL: (on the machine) Call me back. It was urgent.", "Maria deletes the message.",
                               "DANIEL: (on the machine) It was urgent.", "She sits."]


def test_touching_passages_of_a_scene_are_one_quote_in_its_order(room, tmp_path):
    path = tmp_path / "urgent.fountain"
    path.write_text(VOICEMAIL, encoding="utf-8")
    room.create_project("u")
    room.import_files([path], "u", author="tester")
    answer, ctx = room.ask("u", "Who says it was urgent?")
    assert "DANIEL (V.O.): (on the machine) It was urgent." in answer.quotes[0].text, answer.answer
    quoted = _positions(answer, ctx)
    for a, (entry_a, at_a) in enumerate(quoted):
        assert sorted(at_a) == list(range(min(at_a), max(at_a) + 1)), answer.answer  # one run, in order
        for entry_b, at_b in quoted[a + 1:]:
            if entry_a == entry_b:
                assert min(abs(i - j) for i in at_a for j in at_b) > 1, answer.answer
    assert not any(q.text.startswith("It was urgent.") for q in answer.quotes), answer.answer  # a line is not cut


# -- a quote runs on a little, not through a whole entry ----------------------------------------------------

RUTH = {"project": "ruth", "entries": [
    {"id": "aunt-ruth", "kind": "character", "name": "Aunt Ruth", "episode": 1,
     "text": "Maria's aunt on her mother's side. She lives in a farmhouse outside Dayton. She keeps bees and sells "
             "the honey at the Saturday market. She never married. She secretly paid for Daniel's lawyer."},
    {"id": "maria", "kind": "character", "name": "Maria", "episode": 1,
     "text": "A paralegal in Columbus. She calls Aunt Ruth every Sunday."},
    {"id": "daniel", "kind": "character", "name": "Daniel", "episode": 1,
     "text": "Maria's brother, out on parole. He lives in a motel by the highway."},
]}


def test_a_quote_does_not_run_on_through_every_sentence_that_opens_with_she(room, tmp_path):
    path = tmp_path / "ruth.json"
    path.write_text(json.dumps(RUTH), encoding="utf-8")
    room.create_project("ruth")
    room.import_files([path], "ruth", author="tester")
    answer, _ctx = room.ask("ruth", "Where does Aunt Ruth live?")
    assert "farmhouse outside Dayton" in answer.quotes[0].text, answer.answer
    assert "Daniel's lawyer" not in answer.quotes[0].text and "never married" not in answer.quotes[0].text, answer.answer


def test_a_quote_cut_short_still_closes_its_quotation(room, tmp_path):
    speech = "“" + "我不会走。" * 70 + "”"  # one quotation longer than a quote shows
    path = tmp_path / "long.json"
    path.write_text(json.dumps({"project": "l", "entries": [
        {"id": "lin", "kind": "character", "name": "林晚", "episode": 1, "text": f"林晚对顾辰说：{speech}她没有走。"}]},
        ensure_ascii=False), encoding="utf-8")
    room.create_project("l")
    room.import_files([path], "l", author="tester")
    answer, _ctx = room.ask("l", "林晚对顾辰说了什么？")
    assert answer.quotes and all(_balanced(q.text) and len(q.text) <= 300 for q in answer.quotes), answer.answer
    assert "…”" in answer.quotes[0].text or "“…" in answer.quotes[0].text, answer.answer

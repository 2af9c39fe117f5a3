"""What `ask` quotes with no model: the passage that answers, as of the question's episode."""

import json

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

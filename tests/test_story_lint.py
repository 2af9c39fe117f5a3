"""The continuity lint: each rule, no model needed, and how check merges it with the model's findings."""

import json
from pathlib import Path

import pytest

from bot.canon.importers import parse_files

DATA = Path(__file__).resolve().parent.parent / "benchmarks" / "continuity"

@pytest.fixture
def moonlit(room):
    project = room.create_project("moonlit")
    room.store.write_entries(project.id, parse_files([DATA / "bible.json"], None, 1_000_000).entries, "t")
    room.import_ledger("moonlit", DATA / "ledger.md", "t")
    return room

def rules(room, draft, episode):
    return [(f.rule, f.quote) for f in room.lint("moonlit", draft, episode)]

def test_dead_character_speaking_or_acting(moonlit):
    draft = "INT. MOONLIT PAWNSHOP - NIGHT\n\nOLD TANG\nWho moved my chessboard?\n\nTang Wei sits down.\n"
    assert rules(moonlit, draft, 6) == [("dead-or-missing", "Who moved my chessboard?"),
                                        ("dead-or-missing", "Tang Wei sits down.")]
    assert rules(moonlit, draft, 5) == []  # he dies in episode 5: that episode may still show him
    assert rules(moonlit, "INT. PAWNSHOP - FLASHBACK\n\nOLD TANG\nKeep every ticket.\n", 9) == []
    assert rules(moonlit, "INT. MOONLIT PAWNSHOP - DAY\n\nXu Lan dusts Old Tang's chair.\n", 9) == []

def test_missing_then_found(moonlit):
    draft = "EXT. EASTGATE HARBOR - DAWN\n\nMEILING\nI'm cold.\n"
    assert rules(moonlit, draft, 9) == [("dead-or-missing", "I'm cold.")]
    assert rules(moonlit, draft, 11) == []

def test_secret_said_before_it_is_learned_english_and_chinese(moonlit):
    draft = "INT. MOONLIT PAWNSHOP - NIGHT\n\nXU LAN\nYou're undercover, aren't you?\n"
    found = moonlit.lint("moonlit", draft, 6)
    assert [(f.rule, f.entry_id) for f in found] == [("secret-too-early", "secret:jun-undercover")]
    assert "only learns it in episode 8" in found[0].problem
    assert rules(moonlit, draft, 8) == []
    moonlit.add_secret("moonlit", "t", id="pier", name="The pier", terms=["九号码头"])
    moonlit.learn_secret("moonlit", "pier", "He Jun", 5, "t")
    zh = "徐岚：货在九号码头。\n"
    assert rules(moonlit, zh, 6) == [("secret-too-early", "徐岚：货在九号码头。")]

def test_two_places_in_one_scene_and_episode_past_the_end(moonlit):
    draft = ("INT. MOONLIT PAWNSHOP - NIGHT\n\nXu Lan and He Jun argue.\n\n"
             "He Jun waits at Eastgate Harbor, checking his phone.\n")
    assert rules(moonlit, draft, 6) == [("two-places", "He Jun waits at Eastgate Harbor, checking his phone.")]
    assert rules(moonlit, "EXT. EASTGATE HARBOR - NIGHT\n\nHe Jun waits.\n", 13) == [
        ("past-the-end", "EXT. EASTGATE HARBOR - NIGHT")]
    assert rules(moonlit, "Note: pays off in episode 15.\n", 9) == [("past-the-end", "Note: pays off in episode 15.")]
    assert rules(moonlit, "Note: pays off in episode 12.\n", 9) == []

def test_check_without_a_model_returns_the_lint_and_says_the_model_was_skipped(moonlit, cli, tmp_path):
    draft = tmp_path / "d.fountain"
    draft.write_text("INT. MOONLIT PAWNSHOP - NIGHT\n\nOLD TANG\nWho moved my chessboard?\n", encoding="utf-8")
    res = cli("check", "--project", "moonlit", "--episode", "6", "--json", draft)
    assert res.exit_code == 0
    issues = json.loads(res.stdout)
    assert issues[0]["rule"] == "dead-or-missing" and issues[0]["entry_id"].startswith("state:char-tang-wei")
    assert set(issues[0]) == {"quote", "entry_id", "severity", "problem", "fix", "entry_name", "rule"}
    assert "model check skipped" in res.stderr

def test_check_with_a_model_merges_without_duplicates_and_sends_boundaries(moonlit, llm):
    draft = "INT. MOONLIT PAWNSHOP - NIGHT\n\nXU LAN\nYou're undercover, aren't you?\n\nHE JUN\nI sell watches.\n"
    llm.queue(json.dumps({"issues": [
        {"quote": "You're undercover, aren't you?", "entry_id": "char-xu-lan", "severity": "high",
         "problem": "she cannot know yet", "fix": "cut"},
        {"quote": "I sell watches.", "entry_id": "char-he-jun", "severity": "low", "problem": "voice", "fix": "x"}]}))
    issues, _ = moonlit.check("moonlit", draft, episode=6)
    assert issues.model_checked
    assert [(i.rule, i.quote) for i in issues] == [("secret-too-early", "You're undercover, aren't you?"),
                                                  ("", "I sell watches.")]
    sent = llm.prompt_text()
    assert "Knowledge boundaries as of episode 6" in sent
    assert "- Xu Lan: knows: The pawn ledger is in the teahouse safe (since episode 6)" in sent
    assert "does NOT know yet:" in sent and "He Jun is undercover" in sent.split("- Xu Lan:")[1].split("\n")[0]

def test_scene_and_outline_prompts_carry_knowledge_boundaries(moonlit, llm):

    llm.queue({"content": "INT. MOONLIT PAWNSHOP - NIGHT\n\nXu Lan waits.\n\nXU LAN\nWho's there?\n"})
    moonlit.write_scene("moonlit", "Xu Lan waits for He Jun", ["Xu Lan"], episode=7)
    sent = llm.prompt_text()
    assert "Knowledge boundaries as of episode 7" in sent and "- Xu Lan: knows:" in sent
    assert "Gao Peng poisoned Old Tang" in sent.split("- Xu Lan:")[1].split("\n")[0]  # true, not known yet

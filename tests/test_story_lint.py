"""The continuity lint: each rule, no model needed, and how check merges it with the model's findings."""

import json
from pathlib import Path

import pytest

from bot.canon.errors import InvalidInput, NotFound
from bot.canon.importers import parse_files
from bot.canon.models import EntryIn

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

DEAD_MAN = "# Episode 9\n\nINT. MOONLIT PAWNSHOP - NIGHT\n\nOLD TANG\nWho moved my chessboard?\n"


def test_check_reads_the_episode_from_the_draft_or_asks_for_it(moonlit, cli, tmp_path):
    draft = tmp_path / "ep9.fountain"
    draft.write_text(DEAD_MAN, encoding="utf-8")
    res = cli("check", "--project", "moonlit", draft)
    assert res.exit_code == 0 and "dead-or-missing" in res.stdout and "Who moved my chessboard?" in res.stdout
    assert "checked as episode 9" in res.stderr
    issues, _ = moonlit.check("moonlit", DEAD_MAN)
    assert issues.episode == 9 and [i.rule for i in issues] == ["dead-or-missing"]
    bare = tmp_path / "bare.fountain"
    bare.write_text(DEAD_MAN.replace("# Episode 9\n", ""), encoding="utf-8")
    res = cli("check", "--project", "moonlit", bare)
    assert res.exit_code == 2 and "which episode is this draft?" in res.stderr


def test_check_fail_on_exits_non_zero_at_or_above_the_severity(moonlit, cli, tmp_path):
    draft = tmp_path / "ep9.fountain"
    draft.write_text(DEAD_MAN, encoding="utf-8")
    assert cli("check", "--project", "moonlit", "--fail-on", "high", draft).exit_code == 1
    assert cli("check", "--project", "moonlit", "--fail-on", "low", draft).exit_code == 1
    clean = tmp_path / "clean.fountain"
    clean.write_text("# Episode 9\n\nINT. MOONLIT PAWNSHOP - NIGHT\n\nXu Lan dusts the counter.\n", encoding="utf-8")
    assert cli("check", "--project", "moonlit", "--fail-on", "low", clean).exit_code == 0


def test_check_keeps_the_lint_when_the_model_server_fails(moonlit, cli, llm, tmp_path, monkeypatch):
    for name, value in (("OPENAI_BASE_URL", llm.base_url), ("OPENAI_API_KEY", "k"), ("CLIFFHANGER_MODEL", "m"),
                        ("CLIFFHANGER_MODEL_RETRIES", "0")):
        monkeypatch.setenv(name, value)  # the CLI reads its settings from the environment
    llm.queue({"status": 500}, {"status": 500}, {"status": 500})
    draft = tmp_path / "ep9.fountain"
    draft.write_text(DEAD_MAN, encoding="utf-8")
    res = cli("check", "--project", "moonlit", "--fail-on", "high", draft)
    assert "dead-or-missing" in res.stdout and "Who moved my chessboard?" in res.stdout
    assert "model check failed" in res.stderr and res.exit_code == 1
    issues, _ = moonlit.check("moonlit", DEAD_MAN)
    assert not issues.model_checked and issues.model_error and [i.rule for i in issues] == ["dead-or-missing"]


def test_a_secret_is_not_flagged_before_it_is_true_and_looking_at_a_place_is_not_being_there(moonlit):
    moonlit.add_secret("moonlit", "t", id="twins", name="Xu Lan has a twin", true_from=12, terms=["twin sister"])
    said = "INT. MOONLIT PAWNSHOP - NIGHT\n\nHE JUN\nYou talk like a twin sister.\n"
    assert rules(moonlit, said, 6) == []  # not true until episode 12: nothing to know yet
    assert rules(moonlit, said, 12) == [("secret-too-early", "You talk like a twin sister.")]
    moonlit.add_entry("moonlit", EntryIn(kind="location", name="Study", text="Old Tang's study."), "t")
    looks = ("INT. MOONLIT PAWNSHOP - NIGHT\n\nXu Lan and He Jun argue.\n\n"
             "He Jun stares at the Study window across the yard.\n")
    assert rules(moonlit, looks, 6) == []
    assert rules(moonlit, looks.replace("stares at the Study window across the yard", "waits in the Study"), 6) == [
        ("two-places", "He Jun waits in the Study.")]


@pytest.mark.parametrize("word,status", [("deceased", "dead"), ("DEAD", "dead"), ("失踪", "missing"), ("Alive", "alive")])
def test_ledger_statuses_are_read_as_the_lint_knows_them(moonlit, tmp_path, word, status):
    path = tmp_path / "more.md"
    path.write_text(f"# Character states\n\n- Xu Lan from episode 10: status {word}\n", encoding="utf-8")
    moonlit.import_ledger("moonlit", path, "t")
    assert [f.value for _c, f in moonlit.timeline("moonlit", "Xu Lan") if f.aspect == "status"] == [status]


def test_unknown_statuses_are_refused_on_every_path(moonlit, tmp_path):
    path = tmp_path / "zombie.md"
    path.write_text("# Character states\n\n- Xu Lan from episode 10: status zombie\n", encoding="utf-8")
    for attempt in (lambda: moonlit.import_ledger("moonlit", path, "t"),
                    lambda: moonlit.add_state("moonlit", "t", character="Xu Lan", episode=10, aspect="status",
                                              value="zombie"),
                    lambda: moonlit.propose_change("moonlit", "state_add", {"character": "Xu Lan", "episode": 10,
                                                   "aspect": "status", "value": "zombie"}, "writer")):
        with pytest.raises(InvalidInput, match="a status is alive, dead, missing"):
            attempt()
    assert [f for _c, f in moonlit.timeline("moonlit", "Xu Lan") if f.aspect == "status"] == []


def test_a_wrong_ledger_row_is_removed_by_the_id_the_check_cites(moonlit, cli, tmp_path):
    draft = tmp_path / "ep9.fountain"
    draft.write_text(DEAD_MAN, encoding="utf-8")
    cited = json.loads(cli("check", "--project", "moonlit", "--json", draft).stdout)[0]["entry_id"]
    assert cited.startswith("state:")
    res = cli("ledger", "remove", "--project", "moonlit", cited)
    assert res.exit_code == 0 and "removed" in res.stdout
    assert json.loads(cli("check", "--project", "moonlit", "--json", draft).stdout) == []
    assert "state:char-tang-wei/status/-/5" not in cli("timeline", "--project", "moonlit").stdout
    with pytest.raises(NotFound):
        moonlit.remove_ledger_row("moonlit", cited, "t")
    with pytest.raises(InvalidInput, match="secret:ID"):
        moonlit.remove_ledger_row("moonlit", "Tang Wei is dead", "t")
    proposal = moonlit.propose_change("moonlit", "ledger_remove", {"row": "secret:jun-undercover"}, "writer")
    moonlit.decide_proposal(proposal.id, True, "boss", editor=True)
    assert "jun-undercover" not in [s.secret.resolved_id() for s in moonlit.secrets("moonlit")]

"""From web novel to series, parts 3 and 4: the season breakdown (chapters cut into episodes that fit the
target runtime, every chapter once and in order; the model's beats each citing a chapter that holds its
quote; saved only as proposals) and episode scripts (grounded in the chapters, canon as of the episode,
linted, one repair pass)."""

import json
import re

import pytest
from season_samples import breakdown_reply, chinese_novel, english_novel, scripted_breakdown
from simcord_room import private_reply

from bot.adapt.chapters import detect_chapters
from bot.adapt.season import Rate, coverage_problems, passages, plan_season
from bot.canon.errors import CanonError, InvalidInput, NotFound
from bot.writing.errors import WritingError

SAMPLES = {"zh": (chinese_novel, 61), "en": (english_novel, 40)}  # chapters, the Chinese prologue included


def _novel(room, project: str, lang: str = "zh"):
    """A project with the sample novel imported as its source text."""
    text = SAMPLES[lang][0]()
    proj = room.project(project) if any(p.name == project for p, _n in room.list_projects()) \
        else room.create_project(project)
    room.import_novel(proj, text.encode(), f"{lang}.txt", vectors=False)
    return room.novel_chapters(proj)


def _cited(text: str) -> list[tuple[int, str]]:
    return [(int(n), q) for n, q in re.findall(r"(?:\[ch\. |［第)(-?\d+)(?:: |章：)“(.*?)”[\]］]", text)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chapter_is_adapted_once_in_order_within_the_target(room, lang):
    chapters = _novel(room, "novel", lang)
    assert len(chapters) == SAMPLES[lang][1]  # every chapter found
    for episodes in (None, 60):
        plan = plan_season(chapters, episodes, 120, Rate(), 10)
        assert coverage_problems(chapters, plan.episodes) == []
        flat = [(s.index, p) for e in plan.episodes for s in e.spans for p in range(s.first, s.last + 1)]
        assert flat == [(i, p) for i, c in enumerate(chapters) for p in range(1, max(1, len(passages(c.text))) + 1)]
        assert all(e.seconds <= 120 for e in plan.episodes)
        assert [e.number for e in plan.episodes] == list(range(1, len(plan.episodes) + 1))
        assert [e.number for e in plan.episodes if e.paywall] == [10]
    fewest = plan_season(chapters, None, 120, Rate(), 10)
    with pytest.raises(InvalidInput, match=f"needs at least {len(fewest.episodes)}"):
        plan_season(chapters, len(fewest.episodes) - 1, 120, Rate(), 10)
    long_one = 20 if lang == "zh" else 12  # the chapter longer than an episode is split by passages
    assert len([e for e in fewest.episodes if long_one in e.chapters]) >= 3


def test_runtime_is_the_boards_rate_times_the_stated_compression():
    rate = Rate(compression=0.1)
    assert rate.seconds("林" * 4_800) == pytest.approx(120)  # 4 characters a second, a tenth kept
    assert rate.seconds(" ".join(["word"] * 3_000)) == pytest.approx(120)  # 2.5 words a second
    assert Rate(0.1, scale=1.5).seconds("林" * 400) == pytest.approx(15)


def test_a_coverage_check_catches_a_gap_a_repeat_and_a_reorder(room):
    chapters = _novel(room, "novel", "en")
    plan = plan_season(chapters, 30, 120, Rate(), 10)
    a, b = plan.episodes[0], plan.episodes[1]
    assert coverage_problems(chapters, [b, *plan.episodes[2:]])[0].startswith("not adapted: ch. 1 ¶1")
    assert "adapted twice" in coverage_problems(chapters, [a, a, *plan.episodes[1:]])[0]
    assert coverage_problems(chapters, [b, a, *plan.episodes[2:]]) == ["the episodes adapt the chapters out of order"]


def test_without_a_model_the_cut_is_proposed_and_nothing_reaches_canon_before_approval(room):
    _novel(room, "novel", "zh")
    result = room.plan_season("novel", "cli:mei", seconds=120)
    assert "a model adds" in result.model_note and not result.plan.written_by_model
    assert room.list_entries("novel", kind="episode") == []  # nothing written without review
    assert len(result.proposals) == len(result.plan.episodes)
    first = room.proposal(result.proposals[1])
    assert first.action == "add" and first.entry["text"].startswith("改编：第0章、第1章")  # the novel's language
    assert first.entry["name"] == "第1集" and "情节点：尚未写出" in first.entry["text"]
    assert "ch-1" in first.entry["tags"]
    room.decide_proposal(result.proposals[1], True, "cli:mei", editor=True)
    assert [e.episode for e in room.list_entries("novel", kind="episode")] == [1]
    plan, status = room.season_plan("novel")
    assert status[1] == "approved" and status[2] == "proposed"
    board = room.series_board("novel")
    assert [r.status for r in board.episodes[:2]] == ["approved", "proposed"]
    assert board.episodes[1].planned_seconds == plan.episodes[1].seconds and board.episodes[1].runtime_seconds is None
    from bot.production.series_board import render_text

    text = render_text(board)
    assert f"Season plan: 1 of {len(plan.episodes)} planned episodes approved; not approved yet: 2-{len(plan.episodes)}" in text
    assert "~" in text.splitlines()[3]


def test_a_planned_episode_over_the_boards_maximum_is_warned(room):
    _novel(room, "novel", "en")
    room.update_project_settings("novel", max_episode_seconds=100)
    room.plan_season("novel", "cli:mei", seconds=150)
    board = room.series_board("novel")
    assert any(w.code == "over_length" and "planned at" in w.message for w in board.warnings)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_models_breakdown_cites_chapters_that_hold_its_quotes(room, llm, lang):
    chapters = _novel(room, "novel", lang)
    llm.fallback = scripted_breakdown
    result = room.plan_season("novel", "cli:mei", seconds=120)
    plan = result.plan
    assert plan.written_by_model and result.model_note == ""
    assert len(llm.requests) == -(-len(plan.episodes) // 5)  # one call per batch of five; no repairs needed
    assert room.list_entries("novel", kind="episode") == []
    by_number = {}
    for c in chapters:
        by_number.setdefault(c.number, []).append(c.text)
    for e in plan.episodes:
        entry = room.proposal(result.proposals[e.number]).entry
        cited = _cited(entry["text"])
        assert {n for n, _q in cited} == set(e.chapters)  # every chapter it adapts, and no other
        for n, quote in cited:  # checked mechanically: the chapter holds the quote
            assert any(quote.replace(" ", "") in t.replace("\n", "").replace(" ", "") for t in by_number[n])
        hook, cliffhanger = ("钩子：", "卡点：") if lang == "zh" else ("Hook: ", "Cliffhanger: ")  # the novel's words
        assert entry["text"].count(hook) == 1 and cliffhanger in entry["text"]
    assert ("付费点：" if lang == "zh" else "Paywall:") in room.proposal(result.proposals[10]).entry["text"]
    sent = llm.requests[0]["messages"][1]["content"]
    assert f"Episode 1: adapts {plan.episodes[0].label()}, about" in sent and '<novel episode="1" chapter="1"' in sent


def test_a_citation_outside_the_episode_is_sent_back_once(room, llm):
    _novel(room, "novel", "en")
    state = {"calls": 0}

    def first_one_wrong(body):
        state["calls"] += 1
        return {"content": breakdown_reply(body["messages"][1]["content"], outside=39 if state["calls"] == 1 else None)}

    llm.fallback = first_one_wrong
    result = room.plan_season("novel", "cli:mei", episodes=20, seconds=180)
    repair = llm.requests[1]["messages"][-1]["content"]
    assert "episode 1's hook cites chapter 39, outside the episode" in repair
    assert result.plan.episodes[0].hook.chapter == 1 and len(llm.requests) == 5  # 4 batches + 1 repair


def test_a_reply_that_breaks_the_plan_twice_is_refused_and_nothing_is_saved(room, llm):
    _novel(room, "novel", "zh")
    llm.fallback = lambda body: {"content": breakdown_reply(body["messages"][1]["content"], outside=60)}
    with pytest.raises(WritingError, match="broke the plan twice .*cites chapter 60, outside"):
        room.plan_season("novel", "cli:mei", seconds=120)
    assert room.proposals("novel") == [] and room.seasons.current(room.project("novel")) is None


def test_a_reply_that_skips_an_episode_or_misquotes_is_refused(room, llm):
    _novel(room, "novel", "en")

    def broken(body):
        reply = json.loads(breakdown_reply(body["messages"][1]["content"]))
        reply["episodes"][1]["beats"][0]["quote"] = "words the chapter never says"
        del reply["episodes"][0]
        return {"content": json.dumps(reply)}

    llm.fallback = broken
    with pytest.raises(WritingError, match=r"must give episodes 1, 2, 3, 4, 5 in that order"):
        room.plan_season("novel", "cli:mei", seconds=120)


def test_the_next_pass_revises_from_the_rooms_notes_and_approved_edits(room, llm):
    _novel(room, "novel", "en")
    llm.fallback = scripted_breakdown
    first = room.plan_season("novel", "cli:mei", seconds=120)
    room.decide_proposal(first.proposals[1], True, "cli:mei", editor=True)
    ep1 = room.list_entries("novel", kind="episode")[0]
    room.change_entry("novel", "edit", {**ep1.model_dump(exclude={"revision"}),
                                        "text": ep1.text + "\nRoom note: Lin Wan must slap Su Mei here."}, "cli:mei")
    llm.requests.clear()
    second = room.plan_season("novel", "cli:tom", notes="Move the slap earlier; more Gu Chen.")
    sent = llm.requests[0]["messages"][1]["content"]
    assert "Move the slap earlier; more Gu Chen." in sent and "Lin Wan must slap Su Mei here." in sent
    assert "The current version, to revise" in sent
    assert second.plan.pass_number == 2 and len(second.plan.episodes) == len(first.plan.episodes)
    assert sorted(second.superseded) == sorted(p for n, p in first.proposals.items() if n != 1)
    assert {room.proposal(p).status for p in second.superseded} == {"rejected"}
    assert room.proposal(second.proposals[1]).action == "edit"  # the approved episode is revised, not re-added
    assert room.season_plan("novel")[0].notes == "Move the slap earlier; more Gu Chen."


SCENE_DEAD_SPEAKS = """INT. GU MANSION - STUDY - NIGHT

Lin Wan pushes the study door open.

GU CHEN
The seal is mine now.

LIN WAN
Then say it to Grandma.
"""

SCENE_FIXED = """INT. GU MANSION - STUDY - NIGHT

Lin Wan pushes the study door open. The safe stands empty.

LIN WAN
Someone took the seal.

GRANDMA
Then we find them tonight.
"""


def test_an_episode_script_is_grounded_linted_repaired_once_and_kept_as_a_draft(jade, llm):
    _novel(jade, "jade", "en")
    llm.fallback = scripted_breakdown
    jade.plan_season("jade", "cli:mei", episodes=20, seconds=150)
    llm.fallback, llm.requests[:] = None, []
    jade.add_state("jade", "t", character="Gu Chen", episode=1, aspect="status", value="dead")
    llm.queue(SCENE_DEAD_SPEAKS, SCENE_FIXED)
    script = jade.script_episode("jade", 3, "cli:mei")
    plan, _status = jade.season_plan("jade")
    first, repair = llm.prompt_text(0), llm.prompt_text(1)
    chapter = plan.episode(3).spans[0]
    opening = passages(jade.novel_chapters("jade")[chapter.index].text)[chapter.first - 1][:60]
    assert f'<novel episode="3" chapter="{chapter.number}"' in first and opening in first  # grounded
    assert "Episode 3" in first and "Tea for three" not in first  # canon as of episode 3: ep12 stays out
    assert [f.rule for f in script.first_findings] == ["dead-or-missing"] and script.repaired
    assert "The seal is mine now." in repair and "dead" in repair  # the finding went to the repair pass
    assert script.findings == [] and script.text == SCENE_FIXED
    draft = jade.workflow.draft(script.draft_id)
    assert draft.status == "open" and draft.episode == 3 and draft.kind == "scene"
    assert jade.list_entries("jade", kind="scene") == []  # a draft for review, not canon
    entry = jade.accept_draft(script.draft_id, "cli:mei", editor=True)
    assert entry.episode == 3 and entry.name.startswith("Episode 3")


def test_a_clean_script_gets_no_repair_pass(jade, llm):
    _novel(jade, "jade", "zh")
    llm.fallback = scripted_breakdown
    jade.plan_season("jade", "cli:mei", seconds=120)
    llm.fallback, llm.requests[:] = None, []
    llm.queue(SCENE_FIXED)
    script = jade.script_episode("jade", 2, "cli:mei")
    assert not script.repaired and len(llm.requests) == 1


def test_season_errors_are_one_clear_line(room):
    room.create_project("empty")
    with pytest.raises(NotFound, match=r"no novel imported into empty yet: import one first \(adapt import\)"):
        room.plan_season("empty", "cli:mei")
    with pytest.raises(NotFound, match="no season plan yet"):
        room.season_plan("empty")
    _novel(room, "novel", "en")
    room.plan_season("novel", "cli:mei", seconds=120)
    with pytest.raises(InvalidInput, match="has no episode 999"):
        room.script_episode("novel", 999, "cli:mei")
    with pytest.raises(InvalidInput, match="at least 30 s"):
        room.plan_season("novel", "cli:mei", seconds=10)
    with pytest.raises(CanonError):
        room.plan_season("novel", "cli:mei", compression=2)


def _model_env(monkeypatch, llm):
    for name, value in {"OPENAI_BASE_URL": llm.base_url, "OPENAI_API_KEY": "k", "CLIFFHANGER_MODEL": "m",
                        "CLIFFHANGER_MODEL_RETRIES": "0"}.items():
        monkeypatch.setenv(name, value)


def test_the_cli_plans_shows_scripts_and_accepts_after_review(cli, room, llm, monkeypatch):
    cli("project", "create", "novel")
    _novel(room, "novel", "en")
    _model_env(monkeypatch, llm)
    llm.fallback = scripted_breakdown
    planned = cli("season", "plan", "--project", "novel", "--seconds", "150", "--notes", "Keep it tight.")
    assert planned.exit_code == 0, planned.output
    assert "Season plan, pass 1:" in planned.output and "Notes for this pass: Keep it tight." in planned.output
    assert "proposal #1" in planned.output and "nothing is in canon until an editor approves" in planned.output
    assert cli("list", "--project", "novel", "--kind", "episode").output.strip() == "no entries match"
    shown = json.loads(cli("season", "show", "--project", "novel", "--json").output)
    assert set(shown["status"].values()) == {"proposed"}
    assert cli("proposals", "approve", "--project", "novel", "1").exit_code == 0
    assert re.search(r"^  1  +\S+  approved  ch\. 1", cli("season", "show", "--project", "novel", "--brief").output, re.M)
    llm.fallback = None
    llm.queue(SCENE_FIXED)
    script = cli("season", "script", "--project", "novel", "2")
    assert script.exit_code == 0 and script.stdout == SCENE_FIXED
    draft = int(re.search(r"saved as draft (\d+) \(not in canon\)", script.stderr).group(1))
    accepted = cli("season", "accept", "--project", "novel", draft)
    assert accepted.exit_code == 0 and "episode 2" in accepted.output
    missing = cli("season", "script", "--project", "novel", "999")
    assert missing.exit_code == 1 and missing.stderr.strip().startswith("error: the season plan has no episode 999")
    assert "--episodes" in cli("season", "plan", "--help").output


def test_the_cli_without_a_model_plans_the_cut_and_says_what_a_model_adds(cli, room):
    cli("project", "create", "novel")
    _novel(room, "novel", "zh")
    planned = cli("season", "plan", "--project", "novel", "--episodes", "3")
    assert planned.exit_code == 1 and "needs at least" in planned.stderr and len(planned.stderr.splitlines()) == 1
    planned = cli("season", "plan", "--project", "novel")
    assert planned.exit_code == 0 and "a model adds titles, hooks, beats" in planned.stderr
    assert "error" in cli("season", "plan", "--project", "novel", "--seconds", "5").output.lower()


async def test_season_plan_and_review_on_discord(jade_world, room):
    env, guild, channel, boss, writer = jade_world
    project = room.project("jade", f"discord:{guild.id}")
    room.adaptation.novels.replace(project.id, detect_chapters(english_novel()), "en.txt")
    result = await writer.slash(channel, "season plan", seconds=150)
    messages = [m for m in [result.response, *result.followups] if m is not None]
    text = "\n".join(m.content for m in messages)
    assert "Season plan, pass 1:" in text and "Nothing is in canon before an editor approves it." in text
    assert "No chat model is configured" in text
    plan_file = next(a for m in messages for a in m.attachments if a.filename.endswith("-season.txt"))
    assert "ch. 1" in (await plan_file.read()).decode()
    assert {e.id for e in room.list_entries(project.id, kind="episode")} == {"ep7", "ep12"}  # the bible's alone
    shown = await writer.slash(channel, "season show", episode=1)
    assert "Episode 1 (proposed):" in shown.response.content
    denied = await writer.click(channel.last_message, label="Approve")
    assert "Only editors" in private_reply(denied).content
    await boss.click(channel.last_message, label="Approve")
    assert room.season_plan(project.id)[1][1] == "approved"
    env.errors.clear()


def test_a_pass_that_cannot_be_proposed_whole_leaves_the_last_pass_as_it_was(room):
    from bot.canon.models import EntryIn

    _novel(room, "novel", "en")
    first = room.plan_season("novel", "cli:mei", seconds=120)
    room.add_entry("novel", EntryIn(kind="note", name="Episode 2", text="A note that took the name."), "cli:tom")
    with pytest.raises(CanonError):
        room.plan_season("novel", "cli:mei", notes="again")
    plan, status = room.season_plan("novel")
    assert plan.pass_number == 1 and set(status.values()) == {"proposed"}
    assert {room.proposal(p).status for p in first.proposals.values()} == {"open"}
    assert [p.id for p in room.proposals("novel")] == sorted(first.proposals.values())


def test_importing_another_novel_closes_the_season_plan_cut_from_the_old_one(cli, room, tmp_path):
    cli("project", "create", "novel")
    _novel(room, "novel", "en")
    first = room.plan_season("novel", "cli:mei", seconds=120)
    assert room.season_plan("novel")[0].pass_number == 1
    again = tmp_path / "again.txt"
    again.write_text(english_novel(), encoding="utf-8")
    same = cli("adapt", "import", "--project", "novel", "--no-vectors", again)  # the same text: a resumed import
    assert same.exit_code == 0 and "stale" not in same.output
    other = tmp_path / "other.txt"
    other.write_text("Chapter 1\nA different story.\nChapter 2\nIt ends.\n", encoding="utf-8")
    out = cli("adapt", "import", "--project", "novel", "--no-vectors", other)
    assert out.exit_code == 0 and f"its {len(first.proposals)} open proposals are closed" in out.stderr
    assert {room.proposal(p).status for p in first.proposals.values()} == {"rejected"}
    assert cli("proposals", "approve", "--project", "novel", str(min(first.proposals.values()))).exit_code == 1
    shown = cli("season", "show", "--project", "novel")
    assert shown.exit_code == 1 and "season plan predates the current novel" in shown.stderr
    assert "run `season plan`" in shown.stderr and len(shown.stderr.splitlines()) == 1
    assert {n for e in room.plan_season("novel", "cli:mei").plan.episodes for n in e.chapters} == {1, 2}


def test_a_new_runtime_keeps_the_last_pass_count_or_says_it_no_longer_fits(cli, room):
    cli("project", "create", "novel")
    _novel(room, "novel", "en")
    fewest = len(room.plan_season("novel", "cli:mei", seconds=120).plan.episodes)
    more = room.plan_season("novel", "cli:mei", episodes=fewest + 2)
    assert len(more.plan.episodes) == fewest + 2
    longer = cli("season", "plan", "--project", "novel", "--seconds", "150", "--json")
    kept = json.loads(longer.stdout)["plan"]
    assert (kept["target_seconds"], len(kept["episodes"])) == (150, fewest + 2)  # the count kept
    shorter = cli("season", "plan", "--project", "novel", "--seconds", "40")
    now = room.season_plan("novel")[0]
    assert shorter.exit_code == 0 and len(now.episodes) > fewest + 2
    assert (f"the last pass's {fewest + 2} episodes no longer fit episodes of 40 s: planned the fewest that do, "
            f"{len(now.episodes)}") in shorter.stderr


def test_a_short_season_keeps_the_series_paywall_and_says_it_lies_beyond(cli, room):
    from bot.adapt.season_render import render_plan

    short = detect_chapters("Chapter 1\nShe woke.\nChapter 2\nHe left.\nChapter 3\nThey met again.\n")
    for episodes in (1, 3):
        plan = plan_season(short, episodes, 120, Rate(), 10)
        assert plan.paywall == 10 and not any(e.paywall for e in plan.episodes)  # not moved to episode 1 or 3
        head = render_plan(plan).splitlines()[0]
        assert f"paywall episode 10 is beyond this {episodes}-episode season" in head
    assert "1 episode of at most" in render_plan(plan_season(short, 1, 120, Rate(), 10))
    assert [e.number for e in plan_season(short, 3, 120, Rate(), 2).episodes if e.paywall] == [2]
    cli("project", "create", "short")
    room.adaptation.novels.replace(room.project("short").id, short, "short.txt")
    planned = cli("season", "plan", "--project", "short", "--episodes", "3")
    assert "paywall episode 10 is beyond this 3-episode season" in planned.output
    board = cli("series", "--project", "short").output
    assert "10" in next(line for line in board.splitlines() if "paywall" in line.lower())


def test_a_pass_over_a_hand_written_episode_keeps_its_name_and_synopsis(room):
    """Approving a plan without a model replaced the room's '第1集 无人收件' with 'Episode 1' and English
    placeholder lines; the room's title and synopsis stay, the plan's lines go below, and a second pass
    changes only its own lines."""
    from bot.canon.models import EntryIn

    _novel(room, "novel", "zh")
    room.add_entry("novel", EntryIn(kind="episode", name="第1集 无人收件", episode=1,
                                    text="晚秋收到一封没有寄件人的信。\n悬念：信上是她父亲的笔迹。"), "cli:mei")
    first = room.plan_season("novel", "cli:mei", seconds=120)
    edit = room.proposal(first.proposals[1])
    assert edit.action == "edit" and edit.entry["name"] == "第1集 无人收件"
    assert edit.entry["text"].startswith("晚秋收到一封没有寄件人的信。\n悬念：信上是她父亲的笔迹。\n\n改编：第0章")
    room.decide_proposal(first.proposals[1], True, "cli:mei", editor=True)
    again = room.plan_season("novel", "cli:mei", seconds=120)
    assert 1 in again.unchanged and 1 not in again.proposals  # nothing new to say: no proposal
    second = room.plan_season("novel", "cli:mei", seconds=60)  # a new cut: the plan's lines change, the room's stay
    text = room.proposal(second.proposals[1]).entry["text"]
    assert text.startswith("晚秋收到一封没有寄件人的信。") and text.count("改编：") == 1

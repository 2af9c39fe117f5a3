"""Promo kits: teaser rules, worn-trope flags and spoiler filtering as plain code, then the whole kit
with the scripted model: nothing past the episode, nothing past the paywall unless asked."""

import json

import pytest

from bot.canon.errors import CanonError
from bot.canon.models import Entry, EntryIn
from bot.production.promo import Teaser, cut_off, flag_worn, spoiled_names, teaser_problems


def teaser(angle="revenge", shots=(5, 5, 6), hook="She was framed at the birthday dinner.", **extra):
    return {"angle": angle, "audience": "drama fans 18-34", "hook": hook, "hook_seconds": 2,
            "shots": [{"seconds": s, "visual": f"shot of {angle}"} for s in shots], "caption": "Who framed her?",
            "voice_over": "One seal. One lie.", "call_to_action": "Follow for episode 3", "hashtags": ["duanju", "#revenge"],
            **extra}


def kit(*teasers):
    return json.dumps({"teasers": list(teasers)})


def test_teaser_rules_and_flags_need_no_model():
    good = [Teaser.model_validate(teaser(a)) for a in ("revenge", "romance", "mystery")]
    assert teaser_problems(good, 3, ["revenge", "romance", "mystery"]) == []
    assert good[0].hashtags == ["#duanju", "#revenge"]
    long = Teaser.model_validate(teaser(shots=(10, 10, 10, 5)))
    late = Teaser.model_validate({**teaser(), "hook_seconds": 4})
    problems = teaser_problems([long, late, good[0]], 3, ["revenge", "romance"])
    assert any("teaser 1: its shots add up to 35 s" in p for p in problems)
    assert any("teaser 2: the hook must land in the first 2 s" in p for p in problems)
    assert any("missing: romance" in p for p in problems)
    a = Teaser.model_validate(teaser(hook="Swapped at birth, she comes back for revenge."))
    b = Teaser.model_validate(teaser("family", hook="Grandma knows: the nurse was switched at birth."))
    c = Teaser.model_validate(teaser("comedy", hook="He lost his memory and his manners.", tropes=["amnesia"]))
    flagged = flag_worn([a, b, c])
    assert [f.shared_worn for f in flagged] == [["swapped at birth"], ["swapped at birth"], []]
    assert flagged[2].worn == ["amnesia"]
    zhou = Entry(id="dr-zhou", kind="character", name="Dr. Zhou", aliases=["周医生"], episode=6)
    assert spoiled_names(Teaser.model_validate(teaser(hook="周医生 lied.")), [zhou]) == ["Dr. Zhou"]
    assert spoiled_names(good[0], [zhou]) == []
    assert (cut_off(15, 10, False), cut_off(15, 10, True), cut_off(4, 10, False)) == (10, 15, 4)


def test_promo_kit_keeps_to_the_episode_and_withholds_a_teaser_that_spoils(jade, llm):
    jade.add_entry("jade", EntryIn(id="dr-zhou", kind="character", name="Dr. Zhou", episode=6,
                                   text="The family doctor who forged the first DNA test."), "t")
    spoiler = teaser("mystery", hook="Dr. Zhou forged the test.")
    llm.queue(kit(teaser("revenge"), teaser("romance"), spoiler),
              kit(teaser("revenge"), teaser("romance"), spoiler))
    result = jade.promo("jade", 3, count=3, angles=["revenge", "romance", "mystery"])
    assert [t.teaser.angle for t in result.teasers] == ["revenge", "romance"]
    assert result.withheld[0][1] == ["Dr. Zhou"] and "Withheld (mystery)" in result.to_markdown()
    first = llm.prompt_text(0)
    assert "Su Mei steals" not in first and "forged the first DNA test" not in first  # episodes 6 and 7 stay out
    assert "teaser 3 names Dr. Zhou" in llm.requests[1]["messages"][-1]["content"]


def test_promo_past_the_paywall_needs_allow_spoilers(jade, llm, cli, monkeypatch):
    llm.queue(kit(teaser("revenge")), kit(teaser("revenge")))
    held = jade.promo("jade", 12, count=1, angles=["revenge"])
    assert held.as_of == 10 and "real DNA report" not in llm.prompt_text()
    allowed = jade.promo("jade", 12, count=1, angles=["revenge"], allow_spoilers=True)
    assert allowed.as_of == 12 and "real DNA report" in llm.prompt_text()


def test_promo_without_a_model_or_with_bad_counts_says_why(jade, cli):
    result = cli("promo", "--project", "jade", "--episode", 3)
    assert result.exit_code == 1 and "CLIFFHANGER_MODEL" in result.output
    result = cli("promo", "--project", "jade", "--episode", 3, "--count", 2, "--angles", "revenge,romance,comedy")
    assert result.exit_code == 1 and "3 angles for 2 teasers" in result.output


def test_a_kit_broken_twice_is_an_error(jade, llm):
    bad = teaser(shots=(1, 1, 1))
    llm.queue(kit(bad), kit(bad))
    with pytest.raises(CanonError, match="broke the rules twice: teaser 1: its shots add up to 3 s"):
        jade.promo("jade", 3, count=1, angles=["revenge"])

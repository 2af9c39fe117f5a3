"""One name names one entry, and adding never replaces: every write path (add, edit, alias, import, a
proposal when made and when approved, a restore, lorebooks) refuses a name or alias another entry answers
to, naming that entry; `add` on an entry already in canon offers `edit` instead of overwriting it."""

import json

import pytest

from bot.canon.errors import Conflict
from bot.canon.models import EntryIn

LIN_WAN = {"kind": "character", "name": "Lin Wan", "text": "A second Lin Wan, from a writer who did not look."}


def test_adding_a_name_the_bible_already_has_is_refused_offering_edit(jade):
    """With the bible's own ids (lin-wan), an add derives character-lin-wan: a second Lin Wan."""
    for attempt in (lambda: jade.propose_change("jade", "add", LIN_WAN, "discord:2:tom"),
                    lambda: jade.change_entry("jade", "add", LIN_WAN, "discord:1:mei"),
                    lambda: jade.add_entry("jade", EntryIn(**{**LIN_WAN, "name": "lin   WAN"}), "mei")):
        with pytest.raises(Conflict, match=r"'[Ll]in +W[Aa][Nn]' already names Lin Wan \(character, id lin-wan\).*`edit lin-wan`"):
            attempt()
    assert [e.id for e in jade.store.find_by_name(jade.project("jade").id, "Lin Wan")] == ["lin-wan"]
    assert jade.find_entry("jade", "Lin Wan").revision == 1 and jade.proposals("jade") == []


def test_adding_a_derived_id_again_never_wipes_the_entry(jade):
    """"add Rooftop" once approved replaced the entry: its aliases, episode and look were gone."""
    rooftop = {"kind": "location", "name": "Rooftop", "aliases": ["roof"], "episode": 3, "look": "Wet concrete, neon.",
               "text": "Where Gu Chen goes to think."}
    jade.change_entry("jade", "add", rooftop, "discord:1:mei")
    again = {"kind": "location", "name": "Rooftop", "text": "A roof."}
    with pytest.raises(Conflict, match=r"Rooftop already exists in canon \(id location-rooftop\).*`edit location-rooftop`"):
        jade.change_entry("jade", "add", again, "discord:1:mei")
    with pytest.raises(Conflict, match="already exists"):
        jade.propose_change("jade", "add", again, "discord:2:tom")
    kept = jade.find_entry("jade", "roof")
    assert (kept.aliases, kept.episode, kept.look, kept.revision) == (["roof"], 3, "Wet concrete, neon.", 1)


def test_a_proposal_is_checked_again_when_approved(jade):
    p = jade.propose_change("jade", "add", {"kind": "character", "name": "Dr. Zhou", "text": "The doctor."},
                            "discord:2:tom")
    jade.change_entry("jade", "add", {"kind": "character", "name": "Zhou Ming", "aliases": ["Dr. Zhou"],
                                      "text": "The family doctor."}, "discord:1:mei")
    with pytest.raises(Conflict, match=r"'Dr. Zhou' already names Zhou Ming \(character, id character-zhou-ming\)"):
        jade.decide_proposal(p.id, True, "discord:1:mei", editor=True)
    assert jade.proposal(p.id).status == "open"
    assert [e.id for e in jade.store.find_by_name(jade.project("jade").id, "Dr. Zhou")] == ["character-zhou-ming"]


def test_an_edit_proposal_says_it_replaces_and_carries_its_base(jade):
    lin = jade.find_entry("jade", "lin-wan")
    p = jade.propose_change("jade", "edit", {**lin.model_dump(exclude={"revision"}), "text": "A surgeon."},
                            "discord:2:tom")
    assert p.base_revision == 1 and p.summary == "replace Lin Wan (revision 1) with this version"
    added = jade.propose_change("jade", "add", {"kind": "character", "name": "Dr. Zhou"}, "discord:2:tom")
    assert added.base_revision == 0 and added.summary == "add Dr. Zhou"


@pytest.mark.parametrize("write", ["alias", "edit name", "edit alias", "add", "restore"])
def test_a_name_or_alias_another_entry_answers_to_is_refused_on_every_path(jade, write):
    """`alias "Hua Rong" "Song Qiao"` was accepted, and the check then blamed Hua Rong for Song Qiao's line."""
    with pytest.raises(Conflict, match=r"'(Wanwan|WANWAN|婉婉|Lin Wan)' already names Lin Wan \(character, id lin-wan(-2)?\)"):
        if write == "alias":
            jade.add_aliases("jade", "Gu Chen", ["WANWAN"], "mei")
        elif write == "edit name":
            jade.edit_entry("jade", "Gu Chen", {"name": "Lin Wan"}, "mei")
        elif write == "edit alias":
            jade.change_entry("jade", "edit", {**jade.find_entry("jade", "gu-chen").model_dump(exclude={"revision"}),
                                               "aliases": ["President Gu", "婉婉"]}, "mei")
        elif write == "add":
            jade.add_entry("jade", EntryIn(kind="character", name="婉婉", text="Takes over Lin Wan's alias."), "mei")
        else:
            jade.delete_entry("jade", "Lin Wan", "mei")
            jade.add_entry("jade", EntryIn(id="lin-wan-2", kind="character", name="Lin Wan", text="The new one."), "mei")
            jade.restore("jade", "lin-wan", 1, "mei")
    assert jade.find_entry("jade", "Gu Chen").aliases == ["President Gu"]
    assert len(jade.store.find_by_name(jade.project("jade").id, "Wanwan")) <= 1


def test_an_import_that_gives_a_taken_name_is_refused_whole(jade, tmp_path):
    path = tmp_path / "more.json"
    path.write_text(json.dumps({"entries": [
        {"kind": "character", "name": "Su Mei", "text": "The cousin."},
        {"kind": "character", "name": "Gu Yan", "aliases": ["President Gu"], "text": "Gu Chen's uncle."}]}))
    with pytest.raises(Conflict, match=r"'President Gu' already names Gu Chen \(character, id gu-chen\)"):
        jade.import_files([path], "jade", author="t")
    assert jade.store.find_by_name(jade.project("jade").id, "Su Mei") == []  # all or nothing


def test_two_entries_of_one_file_cannot_share_a_name_but_passages_may(room, tmp_path):
    room.create_project("p")
    path = tmp_path / "dup.json"
    path.write_text(json.dumps({"entries": [{"kind": "character", "name": "Ah Qiao", "text": "x"},
                                            {"kind": "note", "name": "Notes", "aliases": ["ah qiao"], "text": "y"}]}))
    with pytest.raises(Conflict, match="'ah qiao' already names Ah Qiao"):
        room.import_files([path], "p", author="t")
    scenes = tmp_path / "ep1.fountain"
    scenes.write_text("INT. STUDY - NIGHT\n\nShe waits.\n\nINT. HALL - NIGHT\n\nHe runs.\n\n"
                      "INT. STUDY - NIGHT\n\nShe leaves.\n")
    assert room.import_files([scenes], "p", author="t").created == 3  # headings repeat; scenes go by id
    article = tmp_path / "article.json"  # an article split into notes keeps its title on each
    article.write_text(json.dumps({"entries": [{"id": f"a-{i}", "kind": "note", "name": "INT. STUDY - NIGHT",
                                                "text": f"part {i}"} for i in range(2)]}))
    assert room.import_files([article], "p", author="t").created == 2


def test_a_lorebook_key_another_entry_answers_to_is_left_off_with_a_warning(jade, tmp_path):
    """Lorebook keys are trigger words: two lore entries often share one; refusing the book would lose it all."""
    book = {"entries": {"0": {"uid": 0, "key": ["Gu Chen", "safe"], "comment": "The study safe",
                              "content": "Where the seal was kept."},
                        "1": {"uid": 1, "key": ["safe", "combination"], "comment": "The combination",
                              "content": "Grandma's birthday."}}}
    path = tmp_path / "world.json"
    path.write_text(json.dumps(book))
    report = jade.import_files([path], "jade", author="t")
    assert report.created == 2
    assert jade.find_entry("jade", "The study safe").aliases == ["safe"]
    assert jade.find_entry("jade", "The combination").aliases == ["combination"]
    assert any("'Gu Chen'" in w and "Gu Chen (gu-chen)" in w for w in report.warnings)
    assert any("'safe'" in w and "The study safe" in w for w in report.warnings)


def test_the_cli_add_and_alias_name_the_entry_that_has_the_name(jade_cli):
    res = jade_cli("add", "--project", "jade", "character", "Lin Wan", "--text", "Another one.")
    assert res.exit_code == 1 and "already names Lin Wan (character, id lin-wan)" in res.stderr
    assert "edit lin-wan" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    res = jade_cli("alias", "--project", "jade", "Gu Chen", "Wanwan")
    assert res.exit_code == 1 and "'Wanwan' already names Lin Wan" in res.stderr


def test_an_alias_that_is_the_name_or_another_alias_but_for_case_names_nothing_new(jade):
    """`alias "Lin Wan" wanwan` beside Wanwan, or an edit giving the entry its own name as an alias, saved a
    second spelling of one name: lookups compare names case, width and spacing aside."""
    with pytest.raises(Exception, match="already has those names"):
        jade.add_aliases("jade", "Lin Wan", ["LIN  wan", "Ｌｉｎ Ｗａｎ"], "mei")
    jade.add_aliases("jade", "Lin Wan", ["Qiao Qiao"], "mei")
    with pytest.raises(Exception, match="already has those names"):
        jade.add_aliases("jade", "Lin Wan", ["qiao qiao"], "mei")
    entry = jade.find_entry("jade", "Lin Wan")
    assert EntryIn(**{**entry.model_dump(exclude={"id", "revision"}),
                      "aliases": ["Lin Wan", *entry.aliases, "QIAO QIAO"]}).aliases == entry.aliases


def test_a_chinese_name_typed_with_a_sound_alike_character_gets_did_you_mean():
    """A newcomer typed 陆承 for 陆沉 (pinyin input offers both for "luchen") and got no suggestion: two
    characters differing in one are only 50% alike letter by letter."""
    from bot.canon.models import Entry
    from bot.canon.service import did_you_mean

    cast = [Entry(id=n, kind="character", name=n, text="x") for n in ("陆沉", "陆母", "顾晚舟", "陆家老宅")]
    assert "'陆沉'" in str(did_you_mean("陆承", cast)) and "陆母" not in str(did_you_mean("陆承", cast))
    assert "'顾晚舟'" in str(did_you_mean("顾晚州", cast))
    assert did_you_mean("林婉", cast) == ""

"""/series, /draw and /canon export screenplays on SimCord: files attached, bad input a short reply."""

import io
import json

import pytest
from PIL import Image
from production_samples import SEASON
from simcord_room import room_3


# a PDF with an embedded CJK font takes seconds to set, more on a loaded machine: more than SimCord's 5 s default
pytestmark = pytest.mark.simcord(settle_timeout=180)


@pytest.fixture
async def world(simcord_env, bible_file):
    await simcord_env.bot.tree.sync()
    guild, channel, showrunner, _writer = room_3(simcord_env)
    await showrunner.slash(channel, "project create", name="jade")
    await showrunner.slash(channel, "canon import", file=("bible.json", bible_file.read_bytes()))
    await showrunner.slash(channel, "canon import", file=("season.fountain", SEASON.encode()))
    return simcord_env, channel, showrunner


def _messages(result):
    return [m for m in [result.response, *result.followups] if m is not None]


async def _attachment(result, suffix):
    files = [a for m in _messages(result) for a in m.attachments if a.filename.endswith(suffix)]
    assert files, [m.content for m in _messages(result)]
    return await files[0].read()


async def test_series_board_in_discord(world):
    env, channel, showrunner = world
    result = await showrunner.slash(channel, "series")
    text = "\n".join(m.content for m in _messages(result))
    assert "**jade**" in text and "no episode 4 between 3 and 5" in text
    doc = json.loads(await _attachment(result, ".json"))
    assert [e["episode"] for e in doc["episodes"]][:4] == [1, 2, 3, 5]


@pytest.mark.parametrize("picture", ["relationships", "appearances", "board"])
async def test_draw_attaches_a_png(world, picture):
    env, channel, showrunner = world
    result = await showrunner.slash(channel, "draw", picture=picture, as_of_episode=5)
    png = await _attachment(result, ".png")
    assert Image.open(io.BytesIO(png)).format == "PNG"


async def test_canon_export_screenplay_pdf_and_a_bad_range(world):
    env, channel, showrunner = world
    result = await showrunner.slash(channel, "canon export", format="pdf", episodes="1-3")
    assert (await _attachment(result, ".pdf")).startswith(b"%PDF")
    fdx = await _attachment(await showrunner.slash(channel, "canon export", format="fdx"), ".fdx")
    assert b"<FinalDraft" in fdx
    bad = await showrunner.slash(channel, "canon export", format="pdf", episodes="40-50")
    assert "no scenes in episodes 40-50" in "\n".join(m.content for m in _messages(bad))
    assert not any(a for m in _messages(bad) for a in m.attachments)
    env.errors.clear()


async def test_lorebook_import_summary_counts_kinds(world):
    env, channel, showrunner = world
    book = {"lorebookVersion": 5, "categories": [{"id": "c", "name": "Characters"}],
            "entries": [{"id": "x1", "displayName": "Dr. Zhou", "keys": ["周医生"], "text": "The family doctor.",
                         "category": "c"}, {"id": "x2", "displayName": "Tea", "keys": ["tea"], "text": "A metaphor."}]}
    result = await showrunner.slash(channel, "canon import", file=("jade.lorebook", json.dumps(book).encode()))
    text = "\n".join(m.content for m in _messages(result))
    assert "2 new" in text and "(1 character, 1 note)" in text


async def test_canon_import_asks_about_a_different_title_page_and_export_warns_per_scene(world):
    env, channel, showrunner = world
    script = "Title: Another Show\nAuthor: Ana\n\nINT. WARD - NIGHT\n\n= Lin Wan finds the seal.\n\nLIN WAN\nGo.\n"
    refused = await showrunner.slash(channel, "canon import", file=("other.fountain", script.encode()))
    text = "\n".join(m.content for m in _messages(refused))
    assert "title page differs" in text and "'Another Show'" in text and "overwrite" in text
    env.errors.clear()
    done = await showrunner.slash(channel, "canon import", file=("other.fountain", script.encode()),
                                  title_page="overwrite")
    assert "1 new" in "\n".join(m.content for m in _messages(done))
    result = await showrunner.slash(channel, "canon export", format="fdx")
    fdx = await _attachment(result, ".fdx")
    assert b"ANOTHER SHOW" in fdx
    text = "\n".join(m.content for m in _messages(result))
    assert "scene 'INT. WARD - NIGHT'" in text and "1 synopsis not in the FDX" in text

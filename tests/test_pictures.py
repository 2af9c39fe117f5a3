"""Pictures: valid PNGs of a sensible size, legible at 30 characters x 100 episodes, Chinese names, as-of."""

import io
import warnings

import pytest
from PIL import Image
from production_samples import write_season

from bot.canon.errors import InvalidInput
from bot.canon.models import Entry
from bot.production import pictures
from bot.production.series_board import build_board

SURNAMES = ["Lin", "Gu", "Su", "Zhou", "Chen", "Wang", "Li", "Zhao", "Xu", "He", "Song", "Tang", "Han", "Qin", "Lu"]
CHINESE = ["林婉", "顾辰", "苏梅", "周医生", "陈叔", "王妈", "李秘书", "赵律师", "许东", "何太太", "宋小姐", "唐总",
           "韩警官", "秦老板", "陆少"]


def _big_series() -> list[Entry]:
    names = [f"{s} {i}" for i, s in enumerate(SURNAMES)] + CHINESE  # 30 characters, half of them Chinese
    entries = [Entry(id=f"c{i}", kind="character", name=n, text="") for i, n in enumerate(names)]
    for i in range(40):
        a, b = names[i % 30], names[(i * 7 + 3) % 30]
        if a != b:
            entries.append(Entry(id=f"r{i}", kind="relationship", name=f"{a} and {b}", text=f"{a} ↔ {b}: 旧情人 rivals."))
    for ep in range(1, 101):
        cast = [names[(ep + k) % 30] for k in range(3)]
        text = "\n".join(f"{c}: 你好, line {ep}." for c in cast)
        entries.append(Entry(id=f"scene-s-{ep:03d}", kind="scene", name=f"Ep {ep} · INT. ROOM {ep} - DAY",
                             episode=ep, text=text))
        entries.append(Entry(id=f"ep{ep}", kind="episode", name=f"Episode {ep}", episode=ep,
                             text=f"Hook: h{ep}.\nCliffhanger: c{ep}."))
    return entries


def _image(png: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(png))
    img.verify()  # a truncated or corrupt PNG raises here
    return Image.open(io.BytesIO(png))


@pytest.mark.parametrize("kind", ["relationships", "appearances", "board"])
def test_thirty_characters_hundred_episodes_draw_legibly(kind):
    entries = _big_series()
    board = build_board("big", entries, paywall_episode=10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font": Chinese must render
        if kind == "relationships":
            png = pictures.draw_relationships("big", entries, None)
        elif kind == "appearances":
            png = pictures.draw_appearances(board, board.main_characters)
        else:
            png = pictures.draw_board(board)
    img = _image(png)
    assert img.format == "PNG"
    w, h = img.size
    # big enough that 30 names / 100 episodes are not squeezed, small enough to attach in Discord
    assert 900 <= w <= 3200 and 400 <= h <= 2400, img.size
    assert len(png) < 8 * 1024 * 1024


def test_relationship_edges_come_from_the_entries_names():
    entries = _big_series()
    edges = pictures.relationship_edges(entries)
    assert len(edges) == 40
    assert all(label == "旧情人 rivals." for *_, label in edges)


def test_draw_cli_writes_pngs_and_respects_as_of(room, cli, tmp_path):
    room.create_project("season")
    room.import_files(write_season(tmp_path), "season")
    # the engagement (episode 1) is not there as of episode 0
    assert pictures.relationship_edges(room.entries_as_of("season", 0)) == []
    assert len(pictures.relationship_edges(room.entries_as_of("season", 1))) == 1
    for kind in ("relationships", "appearances", "board"):
        out = tmp_path / f"{kind}.png"
        result = cli("draw", "--project", "season", kind, "--output", out)
        assert result.exit_code == 0, result.output
        assert _image(out.read_bytes()).size[0] > 300
    # the picture as of 0 is drawn from canon as of 0: the same title drawn from the whole series differs
    early = room.draw("season", "relationships", as_of_episode=0)
    assert early == pictures.draw_relationships("season", room.entries_as_of("season", 0), 0)
    assert early != pictures.draw_relationships("season", room.entries_as_of("season", None), 0)


def test_draw_with_nothing_to_draw_says_so(room, cli, tmp_path):
    room.create_project("empty")
    out = tmp_path / "x.png"
    result = cli("draw", "--project", "empty", "relationships", "--output", out)
    assert result.exit_code == 1 and "no characters to draw" in result.output and not out.exists()
    with pytest.raises(InvalidInput, match="no episodes yet"):
        room.draw("empty", "board")

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
    assert all(label == "旧情人 rivals" for *_, label in edges)


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
    title = room.production_desk.title_page(room.project("season"))["Title"]  # the production's title
    assert early == pictures.draw_relationships(title, room.entries_as_of("season", 0), 0)
    assert early != pictures.draw_relationships(title, room.entries_as_of("season", None), 0)


def test_draw_with_nothing_to_draw_says_so(room, cli, tmp_path):
    room.create_project("empty")
    out = tmp_path / "x.png"
    result = cli("draw", "--project", "empty", "relationships", "--output", out)
    assert result.exit_code == 1 and "no characters to draw" in result.output and not out.exists()
    with pytest.raises(InvalidInput, match="no episodes yet"):
        room.draw("empty", "board")


STORY = {"entries": [
    {"id": "lin", "kind": "character", "name": "Lin Wan", "aliases": ["婉婉"], "text": "A night nurse."},
    {"id": "gu", "kind": "character", "name": "Gu Chen", "text": "Cold heir."},
    {"id": "zhou", "kind": "character", "name": "Dr. Zhou", "text": "The family doctor."},
    {"id": "su", "kind": "character", "name": "Su Mei", "text": "The false granddaughter."},
    {"id": "lin-gu", "kind": "relationship", "name": "Lin Wan and Gu Chen", "episode": 1,
     "text": "Lin Wan ↔ Gu Chen: a contract engagement Grandma Gu arranged to keep Lin Wan near her. He despises it.",
     "progressions": [{"episode": 4, "text": "Lin Wan ↔ Gu Chen: he shields her from the police. Allies now."}]},
    {"id": "zhou-su", "kind": "relationship", "name": "Dr. Zhou and Su Mei", "episode": 1,
     "text": "Dr. Zhou ↔ Su Mei: owes her mother a gambling debt. In episode 2 he forges the report for her."},
    *({"id": f"ep{n}", "kind": "episode", "name": f"Episode {n}", "episode": n, "text": text} for n, text in [
        (1, "Hook: Lin Wan at the bedside. Gu Chen orders her out.\nCliffhanger: the seal is gone."),
        (2, "Dr. Zhou forges the report for Su Mei.\nCliffhanger: the report."),
        (3, "Su Mei searches the study.\nCliffhanger: a car without brakes."),
        (4, "Lin Wan at the funeral.\nCliffhanger: the police.")]),
]}


@pytest.fixture
def drawn(room, tmp_path, monkeypatch):
    """The season above at outline stage (no Fountain at all) with a ledger, and the figures `draw` makes
    (matplotlib's own objects, so tests read what is drawn, not pixels)."""
    import json

    path = tmp_path / "story.json"
    path.write_text(json.dumps(STORY, ensure_ascii=False), encoding="utf-8")
    room.create_project("jade")
    room.import_files([path], "jade")
    room.update_project_settings("jade", title="The Jade Seal 玉玺疑云")
    room.add_state("jade", "t", character="Dr. Zhou", episode=3, aspect="status", value="dead")
    room.add_state("jade", "t", character="Su Mei", episode=4, aspect="status", value="missing")
    room.add_state("jade", "t", character="Lin Wan", episode=3, aspect="relationship", other="Dr. Zhou",
                   value="suspects him")
    figures = []
    monkeypatch.setattr(pictures, "_png", lambda fig: figures.append(fig) or b"png")

    def draw(kind, as_of=None, say=str):
        room.draw("jade", kind, as_of, say)
        fig = figures.pop()
        fig.canvas.draw()
        return fig, fig.axes[0]

    return draw


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_the_appearance_chart_reads_outlines_and_marks_deaths_and_exits_from_the_ledger(drawn):
    fig, ax = drawn("appearances")
    assert ax.get_title().startswith("The Jade Seal 玉玺疑云:")  # the production title, not "jade"
    names = [t.get_text() for t in ax.get_yticklabels()]
    grid = ax.images[0].get_array()
    row = lambda name: list(grid[names.index(name)])  # noqa: E731
    assert row("Lin Wan") == [1, 0, 0, 1]  # named in the outlines of episodes 1 and 4 (no scenes yet)
    assert row("Dr. Zhou") == [0, 1, 3, 3]  # in episode 2's outline, dead from 3 on
    assert row("Su Mei") == [0, 1, 1, 3]  # gone (missing) from 4
    marks = {t.get_text(): (round(t.get_position()[0]), round(t.get_position()[1])) for t in ax.texts if
             t.get_text() in ("†", "↗")}
    assert marks == {"†": (2, names.index("Dr. Zhou")), "↗": (3, names.index("Su Mei"))}
    assert any("dead" in t.get_text() and "gone" in t.get_text() for t in ax.get_legend().get_texts())
    _fig, early = drawn("appearances", 2)  # nobody is dead yet as of episode 2
    assert early.get_title().startswith("The Jade Seal 玉玺疑云 as of episode 2:") and not early.texts


def test_relationship_labels_are_the_state_as_of_the_episode_whole_and_inside_the_picture(drawn):
    fig, ax = drawn("relationships", 3)
    labels = _texts(ax)
    assert ax.get_title().startswith("The Jade Seal 玉玺疑云: relationships as of episode 3")
    engagement = next(t for t in labels if "contract" in t)
    assert " ".join(engagement.split()) == "a contract engagement Grandma Gu arranged to keep Lin Wan near her"
    assert "suspects him (ep\u00a03)" in labels  # the ledger's row, the latest state
    assert "Dr. Zhou †" in labels  # dead by episode 3
    assert "In episode 2 he forges the report for her (ep\u00a02)" in [t.replace("\n", " ") for t in labels]
    assert not any("…" in t for t in labels)
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    for t in ax.texts:  # matplotlib clips a text at the axes: each label must lie wholly inside them
        box = t.get_window_extent(renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1, t.get_text()
    _fig, first = drawn("relationships", 1)  # a sentence placed in episode 2 is not the state yet
    assert "owes her mother a gambling debt" in [t.replace("\n", " ") for t in _texts(first)]
    _fig, later = drawn("relationships", 4)
    assert "he shields her from the police (ep\u00a04)" in [t.replace("\n", " ") for t in _texts(later)]
    assert not any("contract" in t for t in _texts(later))


def test_the_series_boards_limit_label_sits_clear_of_its_line_and_the_legend(drawn):
    fig, ax = drawn("board")
    assert ax.get_title().startswith("The Jade Seal 玉玺疑云: series board")
    renderer = fig.canvas.get_renderer()
    label = next(t for t in ax.texts if t.get_text() == "max 180 s")
    box, frame = label.get_window_extent(renderer), ax.get_window_extent(renderer)
    line_y = ax.transData.transform((0, 180))[1]
    assert box.x0 > frame.x1  # right of the plot, where the dashed line has ended
    assert box.y0 < line_y < box.y1  # and level with it
    assert not box.overlaps(ax.get_legend().get_window_extent(renderer))


@pytest.mark.parametrize("kind", ["relationships", "appearances", "board"])
def test_a_chinese_reader_gets_the_pictures_words_in_chinese(drawn, kind):
    """Titles, axes, legends and marks were English in a Chinese room's pictures."""
    from bot.i18n import say

    fig, ax = drawn(kind, 3, lambda phrase: say(phrase, "zh_Hans"))
    ours = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel(),
            *(t.get_text() for t in (ax.get_legend().get_texts() if ax.get_legend() else []))]
    assert "截至第3集" in ax.get_title()
    english = {"relationships", "episode", "series board", "paywall", "in a scene", "fine", "runtime"}
    assert not [w for w in ours if any(e in w for e in english)], ours
    marks = _texts(ax)  # the canon's own words (names, states) stay as written; the marks around them do not
    assert not [t for t in marks if "(ep" in t or t.startswith(("max ", "paywall", "no\n"))], marks

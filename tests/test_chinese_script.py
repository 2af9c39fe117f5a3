"""The plain Chinese script layout duanju writers use: in, out as text and PDF, and back in unchanged."""

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.canon import script_chinese
from bot.canon.script_model import speakers

SAMPLES = Path(__file__).resolve().parent.parent / "benchmarks" / "chinese_samples"


def kinds(text: str, cast=()) -> list[tuple]:
    """Each scene's elements as (kind, text, number or extension), and its episode."""
    return [(s.episode, [(e.kind, e.text, e.number or e.extension) for e in s.elements])
            for s in script_chinese.parse(text, cast).scenes]


def squeeze(text: str) -> str:
    """pypdf spaces out glyphs of a CFF CID font."""
    return re.sub(r"[\s\x00]+", "", text)


def test_a_script_in_the_layout_imports_scene_by_scene_with_every_speaker_attributed(room, tmp_path):
    room.create_project("p")
    report = room.import_files([SAMPLES / "qin_in_the_study.txt"], "p")
    assert (report.created, report.kinds) == (3, {"scene": 3})
    scenes = room.list_entries("p", kind="scene")
    assert [(s.episode, s.name) for s in scenes] == [(1, "第1集 · 1-1 夜 内 沈家书房"),
                                                      (1, "第1集 · 1-2 夜 外 沈家后院"), (2, "第2集 · 2-1 日 内 琴房")]
    study = scenes[0]
    assert speakers(study.script) == ["沈玉堂", "林婉"] and "chinese-script" in study.tags
    assert "沈玉堂：（冷淡）你会弹琴吗？" in study.text  # what search, answers and checks read, as the layout writes it
    assert "林婉：会一点。\n林婉：（把茶放下）小时候跟外婆学过。" in study.text
    assert "林婉（OS）：这本琴谱" in study.text  # a voice-over is not said in the room: the text keeps its mark
    os_cue = next(e for e in study.script if e.extension)
    assert (os_cue.text, os_cue.extension) == ("林婉", "（OS）")
    settings = room.project("p").settings
    assert (settings["title"], settings["author"]) == ("沈家琴事", "三号编剧室")
    assert room.find_entry("p", "scene-qin_in_the_study-001").id == study.id


def test_every_line_of_the_layout_becomes_its_element():
    text = ("第十二集 真相\n"
            "第3场 沈家书房 夜 内\n人物：沈玉堂、林婉\n林婉推门而入。\n字幕：三年后\n"
            "林婉（哽咽）：你骗我。（转身）你一直在骗我。\n沈玉堂OS：她还是来了。\n"
            "3、他拿起电话。\n2-3个人走进来。\n【闪回】\n"
            "场景4：医院走廊 日 内\n护士长（电话）：（压低声音）快来。\n"
            "12-5 沈家门口\n一个很长很长的名字：这不是台词吗？\n")
    assert kinds(text) == [
        (12, [("heading", "沈家书房 夜 内", "3"), ("section", "真相", None),
              ("action", "人物：沈玉堂、林婉\n林婉推门而入。\n字幕：三年后", None),
              ("character", "林婉", None), ("parenthetical", "（哽咽）", None), ("dialogue", "你骗我。", None),
              ("parenthetical", "（转身）", None), ("dialogue", "你一直在骗我。", None),
              ("character", "沈玉堂", "（OS）"), ("dialogue", "她还是来了。", None),
              ("action", "3、他拿起电话。\n2-3个人走进来。\n【闪回】", None)]),
        (12, [("heading", "医院走廊 日 内", "4"),
              ("character", "护士长", "（电话）"), ("parenthetical", "（压低声音）", None), ("dialogue", "快来。", None)]),
        (12, [("heading", "沈家门口", "12-5"), ("action", "一个很长很长的名字：这不是台词吗？", None)]),
    ]
    # the cast on the scene line itself, a filled triangle, a voice mark at the start of the line
    assert kinds("1-1 日 内 张家客厅 人物：张明、张父\n▲张父喝酒。\n张明：（OS）爸，别喝了。\n") == [
        (1, [("heading", "日 内 张家客厅", None), ("action", "人物：张明、张父\n张父喝酒。", None),
             ("character", "张明", "（OS）"), ("dialogue", "爸，别喝了。", None)])]
    # the room's cast decides: a name on the cast list speaks, however long
    cast_line = kinds("1-1 日 内 街头\n一个很长很长的名字：我是台词。\n", cast=["一个很长很长的名字"])
    assert cast_line[0][1][1][:2] == ("character", "一个很长很长的名字")
    # episode lines in Chinese numerals, scene numbers giving the episode when no episode line does
    assert [s for s, _ in kinds("5-1 晨 外 江边\n△风。\n\n第二十集\n\n1-1 夜 内 书房\n△雨。\n")] == [5, 20]


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.iterdir()))
def test_import_export_import_is_identity_and_a_reimport_changes_nothing(room, tmp_path, sample):
    room.create_project("p")
    room.import_files([SAMPLES / sample], "p")
    before = room.list_entries("p", kind="scene")
    exported = tmp_path / "exported.txt"
    exported.write_bytes(room.export_screenplay("p", "chinese").data)
    room.create_project("q")
    room.import_files([exported], "q")
    after = room.list_entries("q", kind="scene")
    assert [(e.name, e.episode, e.text, e.script, e.tags) for e in after] == \
           [(e.name, e.episode, e.text, e.script, e.tags) for e in before]
    again = room.import_files([exported], "p")  # the same script back in its own project: matched, unchanged
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(before))
    assert room.export_screenplay("q", "chinese").data == exported.read_bytes()


def test_the_pdf_is_set_as_chinese_scripts_are_printed(room, tmp_path, cli):
    room.create_project("p")
    long_line = "沈玉堂：" + "我等这一天，已经等了整整二十年，" * 6 + "你终于回来了。"
    sample = tmp_path / "long.txt"
    sample.write_text((SAMPLES / "qin_in_the_study.txt").read_text(encoding="utf-8")
                      + f"{long_line}\n\n2-2 夜 内 密室\n△金智恩走进来。\n김지은：안녕하세요\n", encoding="utf-8")
    room.import_files([sample], "p")
    out = tmp_path / "script.pdf"
    result = cli("export", "--project", "p", "--format", "chinese-pdf", "--output", out)
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [595, 842]  # A4
    pages = [squeeze(p.extract_text()) for p in reader.pages]
    assert "沈家琴事" in pages[0] and "编剧：三号编剧室" in pages[0] and "日期：2026年11月" in pages[0]
    assert pages[1].startswith("第1集") and "1-1夜内沈家书房" in pages[1] and "人物：沈玉堂、林婉" in pages[1]
    assert "沈玉堂：（冷淡）你会弹琴吗？" in pages[1] and "林婉（OS）：这本琴谱" in pages[1]
    assert any(p.startswith("第2集琴房的秘密") for p in pages) and squeeze(long_line) in "".join(pages)
    # Korean is not in the fonts: a warning names the scene instead of a silent blank
    assert "scene '2-2 夜 内 密室' (episode 2): the PDF's fonts (Noto Sans SC, Courier Prime) cannot draw" in result.output
    text = room.export_screenplay("p", "chinese")
    assert text.warnings == [] and "김지은：안녕하세요" in text.data.decode()


def test_a_fountain_scene_exports_in_the_layout_and_reads_back_as_a_scene(room, tmp_path):
    room.create_project("p")
    fountain = tmp_path / "ep.fountain"
    fountain.write_text("# Episode 4\n\nINT. GU MANSION - STUDY - NIGHT\n\nSu Mei freezes.\n\nSU MEI\n(whispering)\n"
                        "Sorry, Grandma.\n\nINSERT: the jade seal\n", encoding="utf-8")
    room.import_files([fountain], "p")
    text = room.export_screenplay("p", "chinese").data.decode()
    assert "第4集\n\n4-1 INT. GU MANSION - STUDY - NIGHT\n△Su Mei freezes.\nSU MEI：(whispering)Sorry, Grandma.\n" \
           "△INSERT: the jade seal\n" in text
    back = script_chinese.parse(text)
    assert [(s.episode, s.heading.text, speakers(s.elements)) for s in back.scenes] == \
           [(4, "INT. GU MANSION - STUDY - NIGHT", ["SU MEI"])]


def test_a_plain_text_file_or_a_markdown_bible_is_not_taken_for_a_script(room, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("第3场戏要改。\n3、他拿起电话。\n沈玉堂：主角，三十岁。\n", encoding="utf-8")
    bible = tmp_path / "bible.md"
    bible.write_text("# 人物\n\n## 沈玉堂\n沈家少爷。1-3 集出场。\n", encoding="utf-8")
    room.create_project("p")
    report = room.import_files([notes, bible], "p")
    assert report.kinds == {"character": 1, "note": 1}


def test_the_continuity_check_reads_who_speaks_in_the_layout(room):
    from bot.canon.importers import parse_files

    continuity = SAMPLES.parent / "continuity"
    project = room.create_project("moonlit")
    room.store.write_entries(project.id, parse_files([continuity / "bible.json"], None, 10**6).entries, "t")
    room.import_ledger("moonlit", continuity / "ledger.md", "t")
    room.add_aliases("moonlit", "Tang Wei", ["唐老"], "t")  # Old Tang dies in episode 5
    draft = "第6集\n\n6-1 夜 内 月光当铺\n人物：唐老、徐岚\n唐老（OS）：谁动了我的棋盘？\n△徐岚后退一步。\n"
    assert [(f.rule, f.quote) for f in room.lint("moonlit", draft, 6)] == \
           [("dead-or-missing", "唐老（OS）：谁动了我的棋盘？")]


@pytest.fixture
def simcord_bot(settings, room):
    from bot.client import create_bot

    return create_bot(settings, room)


@pytest.mark.simcord(settle_timeout=60)
async def test_discord_imports_the_layout_and_exports_it_as_text_and_pdf(simcord_env):
    from simcord_room import room_3

    await simcord_env.bot.tree.sync()
    guild, channel, showrunner, writer = room_3(simcord_env)
    await showrunner.slash(channel, "project create", name="p")
    sample = (SAMPLES / "hospital_gate.txt").read_bytes()
    result = await showrunner.slash(channel, "canon import", file=("急诊室.txt", sample))
    assert "4 new" in result.response.content and "4 scene" in result.response.content
    text = await writer.slash(channel, "canon export", format="chinese")
    (attachment,) = [a for m in [text.response, *text.followups] if m for a in m.attachments]
    assert attachment.filename == "p.txt" and "1-1 医院门口 日 外" in (await attachment.read()).decode()
    pdf = await writer.slash(channel, "canon export", format="chinese-pdf")
    (attachment,) = [a for m in [pdf.response, *pdf.followups] if m for a in m.attachments]
    pages = PdfReader(io.BytesIO(await attachment.read())).pages
    assert attachment.filename == "p.pdf" and "1-1医院门口日外" in squeeze(pages[1].extract_text())


def test_a_storyboard_reads_an_imported_scene_by_its_cues_not_its_cast_line(room):
    """The 人物： line and an （OS） cue are the script's, not speakers named 人物 or 林婉（OS）."""
    from bot.production.scene import read_entry

    room.create_project("p")
    room.import_files([SAMPLES / "qin_in_the_study.txt"], "p")
    study = room.list_entries("p", kind="scene")[0]
    scene = read_entry(study)
    assert scene.cues == ["沈玉堂", "林婉"]
    assert scene.lines[0].kind == "action" and "人物" in scene.lines[0].text
    assert ("林婉", "这本琴谱……和我外婆那本一模一样。") in [(x.who, x.text) for x in scene.lines]
    edited = study.model_copy(update={"text": study.text + "\n字幕：三天后", "script": None})  # text edited by hand
    assert read_entry(edited).cues == ["沈玉堂", "林婉"]

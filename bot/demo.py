"""`cliffhanger demo`: a sample micro-drama project and a few canon lookups, all offline.

It speaks the reader's language: an English reader gets the jade-seal bible, a Chinese reader a small
Chinese duanju (a bible and a script in the Chinese layout), so the sample shows what their own room
would import and ask."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .canon.errors import Conflict
from .i18n import Messages, answer_text, kind_name
from .room import WritersRoom


@dataclass(frozen=True)
class Sample:
    """One language's sample: its files (in bot/examples), what it asks, and what it asks a model for."""
    files: tuple[str, ...]
    project: str
    questions: tuple[tuple[str, int | None], ...]  # (question, as of episode)
    ask: str
    twists_about: str
    outline: tuple[int, str]  # (episode, brief)
    try_question: str


ENGLISH = Sample(
    files=("jade_seal_bible.md",), project="jade-seal-demo",
    questions=(("Who took the seal out of the study?", None), ("What does Grandma Gu call Wanwan?", None),
               ("Does Grandma Gu know about the DNA test yet?", 9), ("玉玺在哪里被找到的？", None)),
    ask="Who stole the jade seal, and where was it found?", twists_about="the jade seal",
    outline=(10, "the paywall episode"), try_question="Who knows the safe code?")

CHINESE = Sample(
    files=("yuye_bible.md", "yuye_episodes.txt"), project="雨夜契约示例",
    questions=(("江晚为什么来周家？", None), ("周砚在楼梯口问了什么？", None), ("录音笔藏在哪里？", 1),
               ("韩素在录音里说了什么？", None)),
    ask="谁知道江海坠楼那晚的真相？", twists_about="录音笔", outline=(10, "付费集"),
    try_question="谁有旧轿车的钥匙？")


def sample_for(_: Messages) -> Sample:
    """The Chinese sample for a Chinese reader (Simplified or Traditional), else the English one."""
    return CHINESE if _.locale.startswith("zh") else ENGLISH


def run_demo(room: WritersRoom, project: str | None, echo: Callable[[str], None], _: Messages) -> None:
    sample = sample_for(_)
    project = project or sample.project
    try:
        room.create_project(project)
        echo(_("created project '{project}'", project=project))
    except Conflict:
        echo(_("using existing project '{project}'", project=project))
    _import(room, project, sample, echo, _)
    for question, as_of in sample.questions:
        _lookup(room, project, question, as_of, echo, _)
    _answer(room, project, sample, echo, _)
    lang = {"zh_Hans": " --lang zh-CN", "zh_Hant": " --lang zh-TW"}.get(_.locale, "")  # the next command speaks it too
    command = f"cliffhanger{lang} retrieve --project \"{project}\" \"{sample.try_question}\""
    echo(_("Try your own: {command}", command=command))


def _import(room: WritersRoom, project: str, sample: Sample, echo, _: Messages) -> None:
    with ExitStack() as stack:
        paths = [Path(stack.enter_context(resources.as_file(resources.files("bot.examples") / name)))
                 for name in sample.files]
        report = room.import_files(paths, project, author="demo")
    counts = dict(created=report.created, updated=report.updated, unchanged=report.unchanged)
    if len(sample.files) == 1:
        echo(_("imported the sample bible: {created} new, {updated} updated, {unchanged} unchanged", **counts))
    else:
        echo(_("imported the sample bible and script: {created} new, {updated} updated, {unchanged} unchanged",
               **counts))
    echo("")


def _lookup(room: WritersRoom, project: str, question: str, as_of: int | None, echo, _: Messages) -> None:
    """The entries `retrieve` finds for a question, as of an episode when one is given (spoiler-safe)."""
    spoiler = _("  (as of episode {n}: later episodes hidden)", n=as_of) if as_of else ""
    echo(f"? {question}{spoiler}")
    for hit in room.retrieve(project, question, k=3, as_of_episode=as_of):
        ep = _(", ep {n}", n=hit.episode) if hit.episode is not None else ""
        echo(_("  - {name} [{kind}{ep}]: {snippet}", name=hit.name, kind=kind_name(hit.kind, _), ep=ep,
               snippet=hit.snippet))
    echo("")


def _answer(room: WritersRoom, project: str, sample: Sample, echo, _: Messages) -> None:
    """`ask`'s answer; without a model, a word on what a model adds, else its twists and an outline."""
    answer, _ctx = room.ask(project, sample.ask)
    how = _("(cliffhanger ask, {mode} mode)", mode=_mode_name(answer.mode, _))
    echo(f"? {sample.ask}  {how}\n{answer_text(answer, _)}\n")
    if answer.mode == "extractive":
        echo(_("No chat model is configured, so answers quote canon. Set CLIFFHANGER_MODEL and OPENAI_API_KEY "
               "(or OPENAI_BASE_URL for a local server) to get written answers, checks, scenes, twists and "
               "outlines.") + "\n")
        return
    episode, brief = sample.outline
    for label, run in ((_("twists"), lambda: room.twists(project, sample.twists_about, 2)),
                       (_("outline of episode {n}", n=episode), lambda: room.outline(project, episode, brief))):
        echo(f"== {label} ==\n{run()}\n")


def _mode_name(mode: str, _: Messages) -> str:
    """How the answer was made, in the reader's words (the literals let the catalogs collect both)."""
    names = {"extractive": _.context("answer mode", "extractive"), "llm": _.context("answer mode", "llm")}
    return names.get(mode, mode)

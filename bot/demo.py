"""`cliffhanger demo`: a sample micro-drama project and a few canon lookups, all offline."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

from .canon.errors import Conflict
from .room import WritersRoom

BIBLE = "jade_seal_bible.md"

QUESTIONS = [
    ("Who took the seal out of the study?", None),
    ("What does Grandma Gu call Wanwan?", None),
    ("Does Grandma Gu know about the DNA test yet?", 9),
    ("玉玺在哪里被找到的？", None),
]


def run_demo(room: WritersRoom, project: str, echo: Callable[[str], None]) -> None:
    try:
        room.create_project(project)
        echo(f"created project '{project}'")
    except Conflict:
        echo(f"using existing project '{project}'")
    with resources.as_file(resources.files("bot.examples") / BIBLE) as path:
        report = room.import_files([Path(path)], project, author="demo")
    echo(f"imported the sample bible: {report.created} new, {report.updated} updated, "
         f"{report.unchanged} unchanged\n")
    for question, as_of in QUESTIONS:
        spoiler = f"  (as of episode {as_of}: later episodes hidden)" if as_of else ""
        echo(f"? {question}{spoiler}")
        for hit in room.retrieve(project, question, k=3, as_of_episode=as_of):
            ep = f", ep {hit.episode}" if hit.episode is not None else ""
            echo(f"  - {hit.name} [{hit.kind}{ep}]: {hit.snippet}")
        echo("")
    question = "Who stole the jade seal, and where was it found?"
    answer, _ = room.ask(project, question)
    echo(f"? {question}  (cliffhanger ask, {answer.mode} mode)\n{answer.answer}\n")
    if answer.mode == "extractive":
        echo("No chat model is configured, so answers quote canon. Set CLIFFHANGER_MODEL and OPENAI_API_KEY "
             "(or OPENAI_BASE_URL for a local server) to get written answers, checks, scenes, twists and outlines.\n")
    else:
        for label, run in (("twists", lambda: room.twists(project, "the jade seal", 2)),
                           ("outline of episode 10", lambda: room.outline(project, 10, "the paywall episode"))):
            echo(f"== {label} ==\n{run()}\n")
    echo(f"Try your own: cliffhanger retrieve --project \"{project}\" \"Who knows the safe code?\"")

"""Storyboards: a scene plus canon as of its episode -> a validated 9:16 shot list with image prompts.

The model proposes the shots; code checks them (``shots.rule_problems``) and sends a failing list back
once with the exact complaints, then gives up with a clear error. Image prompts are built here, without
the model, from the shot, the look sheet and the style rule, so the same character gets the same words
in every frame and a team can paste them into any image tool.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..canon.models import Entry
from ..canon.text import mentions
from ..writing.context import CanonView, build_context, frame
from ..writing.errors import WritingError
from ..writing.prompts import Prompt
from .looks import LookLine, LookSheet, build_look_sheet
from .scene import SceneCanon, SceneCast, SceneScript
from .shots import SIZE_WORDS, Shot, ShotList, rule_problems


class StoryboardCanon(CanonView, SceneCanon, Protocol):
    """Everything a storyboard reads, all of it as of an episode."""


@dataclass
class Storyboard:
    project: str
    scene: SceneScript
    runtime: float
    shots: list[Shot]
    looks: LookSheet
    setting: list[LookLine]
    image_prompts: list[str]
    frames: list[Path] = field(default_factory=list)
    image_source: str = "placeholder"  # or the image model's name
    out_dir: Path | None = None

    @property
    def seconds(self) -> float:
        return round(sum(s.seconds for s in self.shots), 1)

    def to_dict(self) -> dict:
        return {
            "project": self.project, "scene": self.scene.heading, "source": self.scene.source,
            "episode": self.scene.episode, "estimated_runtime_s": self.runtime, "total_s": self.seconds,
            "aspect": "9:16", "style": self.looks.style, "looks": self.looks.to_dict()["entries"],
            "shots": [{**s.model_dump(mode="json"), "image_prompt": p} for s, p in zip(self.shots, self.image_prompts)],
            "frames": {"source": self.image_source, "files": [f.name for f in self.frames]},
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_markdown(self) -> str:
        ep = f" · episode {self.scene.episode}" if self.scene.episode is not None else ""
        out = [f"# Storyboard: {self.scene.heading or self.scene.source}{ep}", "",
               f"{len(self.shots)} shots, {self.seconds:g} s (scene estimated at {self.runtime:g} s), vertical 9:16.",
               "", "## Look sheet", "", self.looks.render(), "", "## Shots", "",
               "| # | s | size | angle | move | beat | action | dialogue | sound | characters |",
               "|---|---|---|---|---|---|---|---|---|---|"]
        cell = lambda text: " ".join(str(text).split()).replace("|", "\\|")  # noqa: E731
        for s in self.shots:
            out.append(f"| {s.number} | {s.seconds:g} | {s.size.value} | {s.angle.value} | {s.movement.value} | "
                       f"{s.beat.value} | {cell(s.action)} | {cell(s.dialogue)} | {cell(s.sound)} | "
                       f"{', '.join(s.characters)} |")
        out += ["", "## Framing and image prompts", ""]
        for s, prompt in zip(self.shots, self.image_prompts):
            out += [f"**Shot {s.number}** ({s.transition}): {s.framing or 'as the action says'}", "",
                    f"> {prompt}", ""]
        return "\n".join(out).rstrip() + "\n"


def image_prompt(shot: Shot, looks: LookSheet, setting: list[LookLine]) -> str:
    """The words for one frame: fixed order, looks verbatim, nothing from the model's mood that day."""
    parts = ["Vertical 9:16 storyboard frame."]
    if looks.style:
        parts.append(f"Style: {looks.style.rstrip('.')}.")
    parts.append(f"{SIZE_WORDS[shot.size.value].capitalize()}, {shot.angle.value} angle, "
                 f"{shot.movement.value} camera.")
    if shot.framing:
        parts.append(f"Framing: {shot.framing.rstrip('.')}.")
    parts.append(f"Action: {shot.action.rstrip('.')}.")
    people = looks.of(shot.characters)
    if people:
        parts.append("Characters: " + "; ".join(line.render() for line in people) + ".")
    places = [line for line in setting if line.look and line.kind == "location"]
    if places:
        parts.append("Setting: " + "; ".join(line.render() for line in places) + ".")
    shown = f"{shot.action} {shot.framing} {shot.dialogue}"
    props = [line for line in setting if line.look and line.kind != "location"
             and any(mentions(n, shown) for n in line.names)]
    if props:
        parts.append("Props: " + "; ".join(line.render() for line in props) + ".")
    parts.append("No text or captions in the image.")
    return " ".join(parts)




def draft_storyboard(model, system: str, prompt: Prompt, canon: StoryboardCanon, project: str,
                     scene: SceneScript, cast: SceneCast, budget: int) -> Storyboard:
    """``cast`` comes from ``scene.resolve_cast`` (run first, so a bad scene is refused without a model);
    ``canon`` is the facade's view at the scene's episode."""
    as_of_episode = canon.as_of
    ctx = build_context(canon, scene.render(), budget)
    in_context = [e for e in ctx.entries if e.kind.value == "character"]
    characters: dict[str, Entry] = {e.id: e for e in [*cast.characters, *in_context]}
    looks = build_look_sheet([*characters.values(), *cast.others], canon.pinned())
    setting = looks.of(e.id for e in cast.others)  # places always; items when a shot shows them
    runtime = scene.runtime
    # the scene and the looks are the room's text: framed as data by the one rule (writing/context.py)
    text = prompt.render(canon=ctx.render(), scene=frame("scene", scene.render()),
                         looks=frame("entry", looks.render(), id="look-sheet", kind="note",
                                     name="Look sheet: how each character, place and item looks"),
                         episode=scene.episode if scene.episode is not None else "?", runtime=f"{runtime:g}",
                         characters=frame("names", ", ".join(sorted(characters)) or "(none)"))
    messages = [("system", system), ("human", text)]
    reply = model.structured(messages, ShotList)
    problems = rule_problems(reply, runtime, set(characters), as_of_episode)
    if problems:
        messages += [("assistant", reply.model_dump_json()),
                     ("human", "That shot list breaks these rules:\n" + frame("notes", "- " + "\n- ".join(problems))
                      + "\nReply again with the whole corrected JSON object.")]
        reply = model.structured(messages, ShotList)
        problems = rule_problems(reply, runtime, set(characters), as_of_episode)
        if problems:
            raise WritingError("the model's shot list broke the storyboard rules twice: {problems}", problems="; ".join(problems[:3]))
    prompts = [image_prompt(s, looks, setting) for s in reply.shots]
    return Storyboard(project, scene, runtime, reply.shots, looks, setting, prompts)



"""Each named character's knowledge boundary as of an episode, for the model's prompts: what they
know, what is true that they do not know yet, and whether they are dead or missing, so a model
writing a scene, a twist or an outline does not have them act on what they cannot know."""

from __future__ import annotations

from .ledger import Ledger
from .lint import World, _Names


def world(ledger: Ledger, project_id: int, last_episode: int | None) -> World:
    from ..canon.models import Kind

    entries = list(ledger.canon.iter_entries(project_id))
    episodes = [e for e in entries if e.kind == Kind.episode and e.episode is not None]
    last_entry = max(episodes, key=lambda e: e.episode, default=None)
    if last_episode is None and last_entry is not None:
        last_episode = last_entry.episode
    return World(characters=[e for e in entries if e.kind == Kind.character],
                 locations=[e for e in entries if e.kind == Kind.location],
                 secrets=ledger.secrets(project_id), knowledge=ledger.knowledge(project_id),
                 states=ledger.states(project_id), last_episode=last_episode,
                 last_episode_entry=last_entry if last_entry and last_entry.episode == last_episode else None)


def knowledge_boundaries(w: World, text: str, episode: int | None, extra_names: list[str] = ()) -> str:
    """Lines for the characters named in ``text`` (or ``extra_names``); empty when the ledger says nothing."""
    if episode is None or not (w.secrets or w.states):
        return ""
    names = _Names(w.characters)
    named = {c.id: c for c in names.mentioned(text)}
    for n in extra_names:
        c = names.cue(n)
        if c is not None:
            named[c.id] = c
    for line in text.splitlines():  # screenplay cues ("ZHIYI") name characters too
        c = names.cue(line.strip())
        if c is not None:
            named[c.id] = c
    true_now = [s for s in w.secrets if s.true_from is None or s.true_from <= episode]
    lines = []
    for c in named.values():
        learned = {k.secret: k for k in w.knowledge if k.character == c.id and k.episode <= episode}
        knows = [f"{s.name} (since episode {learned[s.resolved_id()].episode})" for s in true_now
                 if s.resolved_id() in learned]
        not_yet = [s.name for s in true_now if s.resolved_id() not in learned]
        status = [f for f in w.states if f.character == c.id and f.aspect == "status" and f.episode <= episode]
        parts = [f"knows: {'; '.join(knows) or 'none of the secrets'}"]
        if not_yet:
            parts.append(f"does NOT know yet: {'; '.join(not_yet)}")
        if status and status[-1].value != "alive":
            parts.append(f"is {status[-1].value} since episode {status[-1].episode}")
        lines.append(f"- {c.name}: " + ". ".join(parts) + ".")
    if not lines:
        return ""
    return (f"Knowledge boundaries as of episode {episode} (characters must not say or act on what they do not "
            f"know yet):\n" + "\n".join(lines))

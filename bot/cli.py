"""The `cliffhanger` command: every capability of the room, scriptable without Discord."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .canon.errors import CanonError


class _Group(click.Group):
    """Turns domain errors into one-line messages and a non-zero exit instead of tracebacks."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CanonError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)


def _room():
    from .room import WritersRoom

    return WritersRoom()


def _progress(label: str):
    """A tqdm bar on stderr, so --json output on stdout stays clean."""
    from tqdm import tqdm

    def start(total: int, _marker: int):
        bar = tqdm(total=total, desc=label, unit="entry", file=sys.stderr, disable=None, leave=False)

        def tick(n: int) -> None:
            bar.update(n)
            if bar.n >= total:
                bar.close()

        return tick

    return start


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cliffhanger")
def main():
    """Cliffhanger: the canon memory and co-writer of a serialized-drama writers' room.

    Data lives under CLIFFHANGER_DATA_DIR (default: your user data directory).
    """


@main.group()
def project():
    """Create and list projects (one canon each)."""


@project.command("create")
@click.argument("name")
def project_create(name):
    """Create a project called NAME."""
    p = _room().create_project(name)
    click.echo(f"created project '{p.name}'")


@project.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def project_list(as_json):
    """List projects with their entry counts."""
    rows = _room().list_projects()
    if as_json:
        click.echo(json.dumps([{"name": p.name, "entries": n} for p, n in rows], ensure_ascii=False))
        return
    if not rows:
        click.echo("no projects yet: try `cliffhanger project create NAME` or `cliffhanger demo`")
    for p, n in rows:
        click.echo(f"{p.name}\t{n} entries")


@main.command("import")
@click.option("--project", "project_name", help="Project to import into (default: the JSON file's \"project\").")
@click.option("--episode", type=click.IntRange(0), help="Episode for entries that do not say (Fountain, text).")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def import_cmd(project_name, episode, files):
    """Import FILES (.json, .md, .fountain, .txt) all-or-nothing."""
    r = _room().import_files(files, project_name, episode, progress=_progress("indexing"))
    click.echo(f"{r.project}: {r.created} new, {r.updated} updated, {r.unchanged} unchanged "
               f"from {r.files} file(s); {r.indexed} indexed")


def _hits_json(query, hits) -> str:
    return json.dumps({"query": query, "hits": [h.model_dump() for h in hits]}, ensure_ascii=False)


@main.command()
@click.option("--project", "project_name", required=True, help="Project to search.")
@click.option("--k", default=5, show_default=True, type=click.IntRange(1, 100), help="How many entries.")
@click.option("--as-of-episode", type=click.IntRange(0), help="Leave out entries from later episodes (spoiler-safe).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (JSON Lines with --questions-file).")
@click.option("--questions-file", type=click.File("r", encoding="utf-8"), help="One question per line.")
@click.argument("question", required=False)
def retrieve(project_name, k, as_of_episode, as_json, questions_file, question):
    """Show the canon entries that best answer QUESTION."""
    if bool(question) == bool(questions_file):
        raise click.UsageError("give a QUESTION or --questions-file, not both and not neither")
    room = _room()
    questions = [line.strip() for line in questions_file] if questions_file else [question]
    for q in questions:
        if not q:  # a blank line in the questions file: keep output lines aligned with input lines
            click.echo(_hits_json(q, []) if as_json else "")
            continue
        hits = room.retrieve(project_name, q, k, as_of_episode)
        if as_json:
            click.echo(_hits_json(q, hits))
            continue
        click.echo(f"? {q}")
        for h in hits:
            ep = f" ep{h.episode}" if h.episode is not None else ""
            click.echo(f"  {h.score:6.2f}  [{h.kind}{ep}] {h.name} ({h.id})\n          {h.snippet}")


@main.command()
@click.option("--project", "project_name", required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "markdown"]), default="json", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file, not stdout.")
def export(project_name, fmt, output):
    """Export a project's canon as JSON (re-importable) or a Markdown series bible."""
    text = _room().export(project_name, fmt)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@main.command()
@click.option("--project", "project_name", required=True)
def reindex(project_name):
    """Rebuild the project's search index from the records."""
    n = _room().reindex(project_name, _progress("reindexing"))
    click.echo(f"reindexed {n} entries")


@main.command()
@click.option("--project", "project_name", required=True)
@click.argument("name")
def show(project_name, name):
    """Show one entry by name, alias or id."""
    e = _room().find_entry(project_name, name)
    click.echo(f"{e.name} [{e.kind.value}] id={e.id} rev={e.revision}"
               + (f" episode={e.episode}" if e.episode is not None else ""))
    if e.aliases:
        click.echo("aliases: " + ", ".join(e.aliases))
    click.echo(e.text)


@main.command()
@click.option("--project", "project_name", required=True)
@click.argument("entry_id")
def history(project_name, entry_id):
    """List the revisions of an entry (who, when, what)."""
    for r in _room().history(project_name, entry_id):
        click.echo(f"rev {r.revision}\t{r.action}\t{r.author}\t{r.created_at:%Y-%m-%d %H:%M}\t{r.data.get('name')}")


@main.command()
@click.option("--project", "project_name", required=True)
@click.argument("name")
def delete(project_name, name):
    """Delete an entry (reversible with `restore`)."""
    from .room import default_author

    room = _room()
    e = room.delete_entry(project_name, name, default_author())
    click.echo(f"deleted {e.name} ({e.id}); undo with: cliffhanger restore --project {project_name} "
               f"{e.id} {e.revision}")


@main.command()
@click.option("--project", "project_name", required=True)
@click.argument("entry_id")
@click.argument("revision", type=int)
def restore(project_name, entry_id, revision):
    """Bring an entry back to the state it had at REVISION (as a new revision)."""
    from .room import default_author

    e = _room().restore(project_name, entry_id, revision, default_author())
    click.echo(f"restored {e.name} ({e.id}) to revision {revision}; now revision {e.revision}")


def _read_draft(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    from .canon.importers import read_text_file
    from .settings import Settings

    return read_text_file(Path(source), Settings().max_import_bytes)


@main.command()
@click.option("--project", "project_name", required=True)
@click.option("--as-of-episode", type=click.IntRange(0), help="Keep later episodes away from the model.")
@click.option("--json", "as_json", is_flag=True, help='Print {"answer", "mode", "sources"}.')
@click.argument("question")
def ask(project_name, as_of_episode, as_json, question):
    """Answer QUESTION from canon, with sources (quotes canon when no model is configured)."""
    answer, _ctx = _room().ask(project_name, question, as_of_episode)
    if as_json:
        click.echo(answer.model_dump_json())
        return
    click.echo(answer.answer)
    if answer.sources:
        click.echo("sources: " + "; ".join(f"{s.name} ({s.id})" for s in answer.sources))
    if answer.mode == "extractive":
        click.echo("(quoted from canon: set CLIFFHANGER_MODEL to get written answers)", err=True)


@main.command()
@click.option("--project", "project_name", required=True)
@click.option("--episode", type=click.IntRange(0), help="The draft's episode (later canon is left out).")
@click.option("--json", "as_json", is_flag=True)
@click.argument("source", metavar="FILE|-")
def check(project_name, episode, as_json, source):
    """Check a draft (text or Fountain file, or - for stdin) against canon."""
    issues, _ctx = _room().check(project_name, _read_draft(source), episode)
    if as_json:
        click.echo(json.dumps([i.model_dump() for i in issues], ensure_ascii=False))
        return
    if not issues:
        click.echo("no contradictions with canon found")
    for i in issues:
        click.echo(f"[{i.severity}] “{i.quote}”\n  contradicts {i.entry_name} ({i.entry_id}): {i.problem}\n"
                   f"  fix: {i.fix}")


@main.command()
@click.option("--project", "project_name", required=True)
@click.option("--episode", type=click.IntRange(0))
@click.option("--characters", default="", help="Comma-separated names or aliases from canon.")
@click.option("--accept", is_flag=True, help="Save the scene into canon as a scene entry.")
@click.argument("brief")
def write(project_name, episode, characters, accept, brief):
    """Draft a micro-drama scene in Fountain from BRIEF."""
    from .room import default_author

    room = _room()
    names = [c.strip() for c in characters.split(",") if c.strip()]
    text, _ctx = room.write_scene(project_name, brief, names, episode)
    click.echo(text, nl=False)
    if accept:
        e = room.accept_scene(project_name, text, brief[:80], episode, default_author())
        click.echo(f"saved as {e.id}", err=True)


@main.command()
@click.option("--project", "project_name", required=True)
@click.option("--count", default=3, show_default=True, type=click.IntRange(1, 10))
@click.argument("about", required=False)
def twists(project_name, count, about):
    """Propose twists that pay off setups already in canon."""
    for n, t in enumerate(_room().twists(project_name, about, count), 1):
        worn = f"  [worn trope: {', '.join(t.worn)}]" if t.worn else ""
        click.echo(f"{n}. {t.title}{worn}\n   {t.twist}\n   changes: {t.changes}\n"
                   f"   pays off: {', '.join(t.pays_off) or 'nothing cited'}")


@main.command()
@click.option("--project", "project_name", required=True)
@click.option("--episode", required=True, type=click.IntRange(1))
@click.argument("brief", required=False)
def outline(project_name, episode, brief):
    """Outline an episode as timed beats: hook, escalation, cliffhanger."""
    o = _room().outline(project_name, episode, brief)
    click.echo(f"Episode {episode}: {o.logline}")
    for b in o.beats:
        click.echo(f"  {b.start_s:>5.0f}-{b.end_s:<5.0f} {b.beat}: {b.what_happens}")
    click.echo(f"Cliffhanger: {o.cliffhanger}")


CONSOLE_COMMANDS = {"ask", "check", "write", "twists", "outline", "retrieve", "show", "history", "export"}


@main.command()
@click.option("--project", "project_name", required=True)
@click.pass_context
def console(ctx, project_name):
    """A REPL where you type the Discord commands: /ask QUESTION, /check FILE, /write BRIEF, ..."""
    import shlex

    click.echo(f"{project_name}: type /ask, /check, /write, /twists, /outline, /retrieve, /show or /history "
               "with the same options as the CLI; /help for help, /quit to leave")
    while True:
        try:
            line = input("cliffhanger> ").strip()
        except EOFError:
            break
        if line in ("/quit", "/exit"):
            break
        if not line:
            continue
        try:
            words = shlex.split(line.removeprefix("/"))
        except ValueError as exc:
            click.echo(f"error: {exc}")
            continue
        if words[0] == "help" or words[0] not in CONSOLE_COMMANDS:
            click.echo("commands: " + ", ".join(f"/{c}" for c in sorted(CONSOLE_COMMANDS)) + ", /quit")
            continue
        args = [words[0], "--project", project_name, *words[1:]]
        if words[0] in ("ask", "write", "retrieve", "twists") and len(words) > 2 and not words[1].startswith("-"):
            args = [words[0], "--project", project_name, " ".join(words[1:])]  # unquoted free text
        try:
            main.main(args, standalone_mode=False)
        except click.ClickException as exc:
            click.echo(f"error: {exc.format_message()}")
        except click.exceptions.Exit:
            pass


@main.command()
@click.option("--project", "project_name", default="jade-seal-demo", show_default=True)
def demo(project_name):
    """Build a sample micro-drama project from the bundled bible and show canon lookups."""
    from .demo import run_demo

    run_demo(_room(), project_name, click.echo)


@main.command()
def run():
    """Start the Discord bot (needs DISCORD_TOKEN; see .env.example)."""
    from .settings import Settings

    settings = Settings()
    if not settings.discord_token:
        click.echo("error: DISCORD_TOKEN is not set: copy .env.example to .env and add your bot token", err=True)
        sys.exit(2)
    import logging

    from .client import create_bot

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    create_bot(settings).run(settings.discord_token, log_handler=None)


@main.command()
@click.option("--guild", type=int, help="Sync to one server (instant) instead of globally.")
def sync(guild):
    """Register the slash commands with Discord (run after adding or changing commands)."""
    import asyncio

    import discord

    from .client import create_bot
    from .settings import Settings

    settings = Settings()
    if not settings.discord_token:
        click.echo("error: DISCORD_TOKEN is not set (see .env.example)", err=True)
        sys.exit(2)
    guild_id = guild or settings.dev_guild_id

    async def go():
        bot = create_bot(settings)
        async with bot:
            await bot.login(settings.discord_token)
            await bot.setup_hook()
            target = discord.Object(id=guild_id) if guild_id else None
            if target:
                bot.tree.copy_global_to(guild=target)
            synced = await bot.tree.sync(guild=target)
            click.echo(f"synced {len(synced)} commands " + (f"to guild {guild_id}" if guild_id else "globally"))

    asyncio.run(go())


@main.command("invite-url")
@click.argument("application_id", type=int, required=False)
def invite_url_cmd(application_id):
    """Print the OAuth2 URL that invites the bot with exactly the permissions it needs."""
    from .client import invite_url
    from .settings import Settings

    application_id = application_id or Settings().discord_application_id
    if not application_id:
        click.echo("error: give APPLICATION_ID or set DISCORD_APPLICATION_ID (Developer Portal > General Information)",
                   err=True)
        sys.exit(2)
    click.echo(invite_url(application_id))


if __name__ == "__main__":
    main()

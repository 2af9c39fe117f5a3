"""Parse and write an import's records in a child process: `python -m bot.canon.import_worker`.

The Discord bot must keep answering while a season's screenplay imports. Parsing megabytes of text
and writing thousands of rows in the bot's own process held the GIL in bursts that stalled its
event loop by 200+ ms (benchmarks/event_loop_lag.py); with that work here, those stalls are gone and
the bot only indexes the new records, as its index does for any change in the revision log.
The job goes in on stdin as JSON and one JSON line comes back on stdout.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Callable
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import CanonError, InvalidInput, Phrase

if TYPE_CHECKING:
    from .importers import ImportBatch
    from .importers.scene_matching import ScriptImport
    from .models import EntryIn
    from .store import CanonStore


@dataclass
class WorkerResult:
    files: int
    created: int
    updated: int
    unchanged: int
    kinds: dict[str, int] = field(default_factory=dict)  # entries per kind, for the import summary
    warnings: list[str] = field(default_factory=list)
    scripts: list[ScriptImport] = field(default_factory=list)  # per script file: scenes matched, changed, added
    kept: list[str] = field(default_factory=list)  # "Name (id)" Phrases: changed elsewhere since the file's last import
    parts: dict = field(default_factory=dict)  # an archive's settings and ledger, for the facade to restore


Review = Callable[["EntryIn"], list[str]]  # an entry -> warnings about it (never refusals)


def write_batch(store: CanonStore, project_id: int, batch: ImportBatch, author: str,
                review: Review | None = None, title_page: str | None = None,
                script: str | None = None, overwrite: bool = False) -> WorkerResult:
    """Write parsed files in one transaction and count the outcome (the same in either process); ``review``
    adds warnings that refuse nothing (the story domain's sentences placed in later episodes).
    Each file is known by its name: an entry changed elsewhere since that file's last import keeps that
    change unless ``overwrite`` (reimports.py). A screenplay's title page goes to the project's settings;
    ``title_page`` ('keep' or 'overwrite') says what to do when they already hold other values, else the
    import stops first (title_page.py). A screenplay's scenes first take the ids of the scenes they match
    (``script``: only that script's)."""
    from . import title_page as title_pages
    from .reimports import import_in

    project = store.get_project_by_id(project_id)
    settings: dict = {}
    for parsed in batch.files:
        settings |= title_pages.changes_for(Path(parsed.path).name, project.name, project.settings, parsed.title_page,
                                            title_page)
    scripts = []
    if any(f.script for f in batch.files):
        scenes = list(store.iter_entries(project_id, kind="scene"))
        ids = {e.id for e in store.iter_entries(project_id, include_deleted=True)}
        from .importers.scene_matching import match_batch  # rapidfuzz and numpy: only when a script comes

        scripts = match_batch(batch.files, scenes, ids, script)
    created, updated, unchanged, kept = 0, 0, 0, []
    updated_ids: set[str] = set()
    warnings = [n for f in batch.files for n in f.notes]  # what a reader skipped or split, said every time
    with store._tx(project_id) as s:
        for parsed in batch.files:
            result = import_in(store, s, project_id, Path(parsed.path).name, parsed.entries, author, overwrite,
                               drop_taken_aliases=parsed.keys_as_aliases)
            created, updated, unchanged = (created + len(result.created), updated + len(result.updated),
                                           unchanged + len(result.unchanged))
            updated_ids |= set(result.updated)
            names = {e.resolved_id(): e.name for e in parsed.entries}
            kept += [Phrase("{name} ({id})", name=names[i], id=i) for i in result.kept]
            warnings += [Phrase("{file}: {warning}", file=Path(parsed.path).name, warning=w) for w in result.dropped]
            changed = {*result.created, *result.updated}  # an unchanged entry was warned about when written
            warnings += [w for e in parsed.entries if e.resolved_id() in changed for w in review(e)] if review else []
    if settings:
        store.update_project_settings(project_id, settings)
    kinds = dict(sorted(Counter(e.kind.value for e in batch.entries).items()))
    return WorkerResult(len(batch.files), created, updated, unchanged, kinds, warnings,
                        scripts=[s.settle(updated_ids) for s in scripts], kept=kept, parts=batch.parts)


TIMEOUT = 30 * 60.0  # seconds; a worker stuck longer (a lock never released, a hung disk) is stopped


def write_in_child(database_url: str, project_id: int, paths: list[Path], episode: int | None,
                   max_bytes: int, author: str, timeout: float | None = None, cast: list[str] | None = None,
                   title_page: str | None = None, script: str | None = None, overwrite: bool = False) -> WorkerResult:
    """Run the import in a child process; its errors come back as the same one-line InvalidInput.
    A worker that outlives ``timeout`` is killed: its one transaction never commits, so nothing is saved."""
    job = {"database_url": database_url, "project_id": project_id, "paths": [str(p) for p in paths],
           "episode": episode, "max_bytes": max_bytes, "author": author, "cast": cast or [],
           "title_page": title_page, "script": script, "overwrite": overwrite}
    limit = TIMEOUT if timeout is None else timeout
    try:
        out = subprocess.run([sys.executable, "-m", __name__], input=json.dumps(job), capture_output=True, text=True,
                             timeout=limit)
    except subprocess.TimeoutExpired:
        logging.getLogger("cliffhanger").error("import worker stopped after %.0f s", limit)
        raise CanonError("the import took longer than {value:.0f} min and was stopped; nothing was saved", value=limit / 60) from None
    lines = out.stdout.strip().splitlines()
    try:
        doc = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        logging.getLogger("cliffhanger").error("import worker failed (exit %s):\n%s", out.returncode, out.stderr)
        raise CanonError("the import failed on our side; the details are in the bot's log") from None
    if "error" in doc:
        raise InvalidInput(Phrase.from_json(doc["error"]))
    from .importers.scene_matching import ScriptImport

    return WorkerResult(**{**doc, "scripts": [ScriptImport(**s) for s in doc.get("scripts", [])],
                           "warnings": [Phrase.from_json(w) for w in doc.get("warnings", [])],
                           "kept": [Phrase.from_json(k) for k in doc.get("kept", [])]})


def main() -> None:
    from .readings import placement_warnings
    from .importers import parse_files
    from .store import CanonStore

    job = json.loads(sys.stdin.read())
    try:
        batch = parse_files([Path(p) for p in job["paths"]], job["episode"], job["max_bytes"], job.get("cast", ()))
        store = CanonStore(job["database_url"])
        done = write_batch(store, job["project_id"], batch, job["author"], placement_warnings, job.get("title_page"),
                           job.get("script"), job.get("overwrite", False))
        store.engine.dispose()
    except CanonError as exc:
        print(json.dumps({"error": exc.phrase.to_json()}, ensure_ascii=False))
        return
    said = [w.to_json() if isinstance(w, Phrase) else w for w in done.warnings]  # rebuilt by write_in_child
    kept = [k.to_json() if isinstance(k, Phrase) else k for k in done.kept]
    print(json.dumps({**asdict(done), "warnings": said, "kept": kept}, ensure_ascii=False))


if __name__ == "__main__":
    main()

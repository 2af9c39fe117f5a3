"""How long a re-import takes to match a revised script's scenes to the project's, and whether it matches
them right, on a screenplay the user points at (a long public one such as Big Fish).

    python benchmarks/scene_matching.py FILE.fountain [--copies 3]

The file is imported ``--copies`` times over as successive episodes (a season), then matched against
three revisions: one scene inserted at the top of each episode and one edited (the usual re-import: most
scenes unchanged), every scene edited slightly under another file name (the worst case: no scene
unchanged), and the same revision imported as a script of its own (nothing matched). Prints seconds and
what matched; a right answer is every old scene matched, one new scene an episode.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.canon.importers import fountain  # noqa: E402
from bot.canon.importers.scene_matching import match_script  # noqa: E402
from bot.canon.models import Entry  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--copies", type=int, default=3)
    args = ap.parse_args()
    scenes = fountain.parse(args.file.read_text(encoding="utf-8-sig"), "season.fountain", None).entries
    season = [e.model_copy(update={"episode": n + 1}) for n in range(args.copies) for e in scenes]
    olds = [Entry(**e.model_dump(exclude={"id"}), id=f"scene-season-{i + 1:03d}") for i, e in enumerate(season)]
    revised = []
    for n in range(args.copies):
        episode = [e for e in season if e.episode == n + 1]
        inserted = episode[0].model_copy(update={"name": f"Ep {n + 1} · EXT. ROOFTOP - DAWN",
                                                 "text": "Lin Wan tears the letter into pieces and lets the wind take them."})
        edited = episode[len(episode) // 2]
        episode[len(episode) // 2] = edited.model_copy(update={"text": edited.text + "\nShe looks back once."})
        revised += [inserted, *episode]
    renamed = [e.model_copy(update={"text": e.text + " (revised)"}) for e in revised]
    ids = {e.id for e in olds}
    for label, incoming, own, script in (("revised (most scenes unchanged)", revised, "season", None),
                                         ("every scene edited, another file name", renamed, "final-v3", None),
                                         ("imported as a script of its own", revised, "season", "alt")):
        start = time.perf_counter()
        _, report = match_script("x", own, incoming, list(olds), set(ids), script)
        print(f"{label:<40} {len(incoming)} x {len(olds)} scenes: {time.perf_counter() - start:.2f} s, "
              f"{report.matched} matched, {len(report.added)} added, {len(report.missing)} not in the file")


if __name__ == "__main__":
    main()

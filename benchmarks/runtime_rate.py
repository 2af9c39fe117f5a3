"""Check the series board's runtime rate against the screenplay rule of a page a minute.

    python benchmarks/runtime_rate.py [FILE.fountain ...]     # default: the sample pilot

For each episode: the board's estimate (runtime.py's rate) beside the page-a-minute figure of the same
scenes as set by the PDF export (54 lines a page, spacing included), and their ratio. The page rule is the
industry's calibration for feature and TV scripts; micro-drama plays faster, so a ratio a little under 1
is expected.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.canon.importers import fountain  # noqa: E402
from bot.canon.models import Entry  # noqa: E402
from bot.production import runtime  # noqa: E402
from bot.production.screenplay_pdf import LINES_PER_PAGE, lines_per_episode  # noqa: E402
from bot.production.script import build_script, paragraphs  # noqa: E402


def main(paths: list[Path]) -> None:
    entries = []
    for path in paths:
        parsed = fountain.parse(path.read_text(encoding="utf-8"), str(path), None)
        entries += [Entry(**e.model_dump(exclude={"id"}), id=e.resolved_id()) for e in parsed.entries]
    script = build_script("rate", entries, None)
    lines = lines_per_episode(script)
    print(f"{'episode':>8} {'scenes':>6} {'estimate s':>10} {'page rule s':>11} {'ratio':>6}")
    total_est = total_page = 0.0
    for episode, scenes in script.episodes.items():
        est = sum(runtime.timing(paragraphs(s)).seconds for s in scenes)
        page = lines[episode] / LINES_PER_PAGE * 60
        total_est, total_page = total_est + est, total_page + page
        print(f"{episode!s:>8} {len(scenes):>6} {est:>10.1f} {page:>11.1f} {est / page:>6.2f}")
    print(f"{'all':>8} {len(script.scenes):>6} {total_est:>10.1f} {total_page:>11.1f} {total_est / total_page:>6.2f}")


if __name__ == "__main__":
    given = [Path(p) for p in sys.argv[1:]] or [ROOT / "bot" / "examples" / "jade_seal_pilot.fountain"]
    main(given)

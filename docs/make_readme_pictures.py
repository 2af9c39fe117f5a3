"""Make the README's pictures from the sample project: a screenplay PDF page and a relationship graph.

    python docs/make_readme_pictures.py        # needs pdftoppm (apt-get install poppler-utils) for the page

Everything else is the project's own output: `export --format pdf` and `draw relationships`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.room import WritersRoom  # noqa: E402
from bot.settings import Settings  # noqa: E402

EXAMPLES = ROOT / "bot" / "examples"
OUT = ROOT / "docs" / "images"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        room = WritersRoom(Settings(_env_file=None, data_dir=Path(tmp)))
        room.create_project("jade")
        room.update_project_settings("jade", title="The Jade Seal", author="The Room 3 writers")
        room.import_files([EXAMPLES / "jade_seal_bible.md", EXAMPLES / "jade_seal_relationships.md",
                           EXAMPLES / "jade_seal_pilot.fountain"], "jade", author="readme")
        pdf = Path(tmp) / "jade.pdf"
        pdf.write_bytes(room.export_screenplay("jade", "pdf", "1"))
        (OUT / "relationships.png").write_bytes(room.draw("jade", "relationships", as_of_episode=8))
        room.close()
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-r", "60", "-f", "2", "-l", "2", "-png", "-singlefile", str(pdf),
                            str(OUT / "screenplay-page")], check=True)
        else:
            print("pdftoppm not found: the screenplay page was not rendered", file=sys.stderr)
    print(f"wrote {', '.join(p.name for p in sorted(OUT.glob('*.png')))} in {OUT}")


if __name__ == "__main__":
    main()

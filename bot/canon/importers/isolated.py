"""`python -m bot.canon.importers.isolated PATH MAX_BYTES [EPISODE]`: parse one file and print its
entries as JSON, so a large import is parsed outside the bot's process (see parse_files)."""

import json
import sys
from pathlib import Path

from ..errors import CanonError
from . import parse_file


def main() -> None:
    path, max_bytes = Path(sys.argv[1]), int(sys.argv[2])
    episode = int(sys.argv[3]) if len(sys.argv) > 3 else None
    try:
        parsed = parse_file(path, episode, max_bytes)
    except CanonError as exc:
        print(json.dumps({"error": str(exc)}))
        return
    print(json.dumps({"path": parsed.path, "project": parsed.project,
                      "entries": [e.model_dump(mode="json") for e in parsed.entries]}, ensure_ascii=False))


if __name__ == "__main__":
    main()

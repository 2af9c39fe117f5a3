"""Importers: JSON, Markdown bibles, Fountain screenplays and plain text, all-or-nothing.

Every importer returns validated ``EntryIn`` objects or raises ``InvalidInput`` naming the
file, the entry and the field; nothing is written until every file of an import has parsed.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..errors import InvalidInput, Phrase
from ..models import EntryIn
from ..script_model import TitleField


@dataclass
class ParsedFile:
    path: str
    entries: list[EntryIn]
    project: str | None = None  # a default project named inside the file (JSON only)
    title_page: list[TitleField] = field(default_factory=list)  # a screenplay's title page (Fountain only)
    script: str | None = None  # screenplays: the script its file name makes, whose scenes a re-import matches
    notes: list[str] = field(default_factory=list)  # what the reader skipped or split, for the import summary
    keys_as_aliases: bool = False  # a lorebook's: trigger words, so one another entry answers to is left off
    parts: dict = field(default_factory=dict)  # an archive's settings and ledger (json_bible.PARTS)


@dataclass
class ImportBatch:
    files: list[ParsedFile] = field(default_factory=list)

    @property
    def entries(self) -> list[EntryIn]:
        return [e for f in self.files for e in f.entries]

    @property
    def parts(self) -> dict:
        """The archives' parts that are not entries, for the domains that own them."""
        return {k: v for f in self.files for k, v in f.parts.items()}


def read_file_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, or a one-line reason it cannot be imported (missing, empty, too big)."""
    if path.is_dir():
        raise InvalidInput("{path}: is a folder; import the files in it (e.g. {path}/*.md)", path=path)
    if not path.is_file():
        raise InvalidInput("{path}: no such file", path=path)
    size = path.stat().st_size
    if size == 0:
        raise InvalidInput("{path}: the file is empty", path=path)
    if size > max_bytes:
        raise InvalidInput("{path}: {size:,} bytes is over the {max_bytes:,}-byte import limit "
                           "(CLIFFHANGER_MAX_IMPORT_BYTES)", path=path, size=size, max_bytes=max_bytes)
    return path.read_bytes()


def read_text_file(path: Path, max_bytes: int) -> str:
    """The file's text, or a one-line reason it cannot be imported."""
    return decode_text(read_file_bytes(path, max_bytes), str(path))


# a byte-order mark names its encoding (UTF-32's marks start with UTF-16's, so they are tried first)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
         (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
         (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))


def decode_text(raw: bytes, label: str) -> str:
    """UTF-8, or UTF-16/32 with a byte-order mark (what Windows Notepad and Word save as "Unicode"); any
    other encoding is refused by name (GB18030, Big5, cp1252...), never read as garbled text."""
    codec, shown = next(((c, n) for bom, c, n in _BOMS if raw.startswith(bom)), ("utf-8", "UTF-8"))
    if codec == "utf-8" and b"\x00" in raw[:8192]:
        guess = _encoding_name(raw)
        if not guess.startswith("UTF-16"):
            raise InvalidInput("{label}: looks like a binary file, not text", label=label)
        raise InvalidInput("{label}: looks like {guess} text without a byte-order mark; save it as UTF-8", label=label, guess=guess)
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        guess = "" if codec != "utf-8" else _encoding_name(raw)
        seems = Phrase("; it looks like {guess}", guess=guess) if guess and guess != "UTF-8" else ""
        raise InvalidInput("{label}: not valid {shown} text (byte {start}{seems}); save it as UTF-8", label=label,
                           shown=shown, start=exc.start + 1, seems=seems) from None  # counted from 1, as people do
    if not text.strip():
        raise InvalidInput("{label}: the file has no text", label=label)
    return text


SHORT_FILE = 2048  # bytes: too few for charset-normalizer's statistics, which read a line of Chinese as Korean


def _encoding_name(raw: bytes) -> str:
    """The encoding ``raw`` most likely uses, as people know it ("GB18030", "UTF-16-LE"), or "" if unsure. A
    short file that reads as Simplified Chinese in GB18030 is named so: the room's writers save such files."""
    from charset_normalizer import from_bytes

    if len(raw) < SHORT_FILE and _reads_as_chinese(raw):
        return "GB18030"
    best = from_bytes(raw[:65536]).best()
    return best.encoding.upper().replace("_", "-") if best else ""


def _reads_as_chinese(raw: bytes) -> bool:
    """``raw`` decodes as GB18030 to mostly Chinese characters, nearly all of them common ones (GB2312): Big5
    or other bytes decoded so give rarer characters."""
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    letters = [ch for ch in text if ch.isalpha()]
    han = [ch for ch in letters if "\u3400" <= ch <= "\u9fff"]
    return len(han) * 2 > len(letters) and sum(_in_gb2312(ch) for ch in han) >= 0.9 * len(han)


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


# An entry's fields as a bible names them: English keeps the field's name, Chinese says 集数, 别名...
_FIELD_WORDS = {"kind": Phrase("kind"), "name": Phrase("name"), "aliases": Phrase("aliases"),
                "text": Phrase("text"), "episode": Phrase("episode"), "tags": Phrase("tags"), "look": Phrase("look")}


def make_entry(label: str, where: str, data: dict) -> EntryIn:
    """Validate one entry, turning pydantic's report into a one-line, writer-readable error."""
    try:
        return EntryIn.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [str(p) for p in err["loc"]]
        fld = _FIELD_WORDS.get(loc[0], loc[0]) if len(loc) == 1 else ".".join(loc) or "entry"
        raise InvalidInput("{label}: {where}: field '{fld}': {reason}", label=label, where=where, fld=fld,
                           reason=_reason(err)) from None


def _reason(err: dict):
    """What is wrong with a field, as a catalog Phrase for the errors a writer meets (pydantic's own English
    text for the rest)."""
    kind, given, limits = err["type"], str(err.get("input"))[:40], err.get("ctx") or {}
    if kind == "extra_forbidden":
        return Phrase("unknown field")
    if kind == "enum":
        return Phrase("unknown kind '{kind}' (one of: {kinds})", kind=given, kinds=", ".join(_kinds()))
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return Phrase("'{value}' is not a whole number: write a number such as 3", value=given)
    if kind in ("greater_than_equal", "less_than_equal"):
        return Phrase("{value} is out of range ({low} to {high})", value=given, low=limits.get("ge", "…"),
                      high=limits.get("le", "…"))
    if kind == "string_too_long":
        return Phrase("too long: {limit} characters at most", limit=limits.get("max_length"))
    return err["msg"].removeprefix("Value error, ")


def _kinds():
    from ..models import KIND_NAMES

    return KIND_NAMES


def parse_file(path: Path, episode: int | None, max_bytes: int, cast: Iterable[str] = ()) -> ParsedFile:
    """One file by its type. ``cast``: the project's character names and aliases, which a screenplay's
    reader takes as character cues in any script (Chinese names have no capitals)."""
    from . import chinese_script, fountain, json_bible, lorebook, markdown, plaintext, sillytavern
    from ..script_chinese import looks_like_chinese_script

    suffix = path.suffix.lower()
    label = str(path)
    if suffix == ".png":  # a character card: its JSON sits in the image's text chunk
        return lorebook.parse_doc(sillytavern.card_json_from_png(read_file_bytes(path, max_bytes), label),
                                  label, episode)
    text = read_text_file(path, max_bytes)
    if suffix == ".lorebook":
        return lorebook.parse_doc(lorebook.load_json(text, label), label, episode)
    if suffix == ".json":
        doc = lorebook.load_json(text, label)
        return lorebook.parse_doc(doc, label, episode) if lorebook.is_lorebook(doc) else json_bible.parse(text, label)
    if suffix in (".txt", ".text", "", ".md", ".markdown") and looks_like_chinese_script(text):
        return chinese_script.parse(text, label, episode, cast)
    if suffix in (".md", ".markdown"):
        return markdown.parse(text, label, episode)
    if suffix in (".fountain", ".spmd") or (suffix in (".txt", ".text", "") and fountain.looks_like_fountain(text)):
        return fountain.parse(text, label, episode, cast)
    if suffix in (".txt", ".text", ""):
        return plaintext.parse(text, label, episode)
    raise InvalidInput("{label}: unknown file type '{suffix}' (use .json, .md, .fountain, .txt, .lorebook or a "
                       ".png character card)", label=label, suffix=suffix)


def parse_files(paths: list[Path], episode: int | None, max_bytes: int, cast: Iterable[str] = ()) -> ImportBatch:
    cast = list(cast)
    batch = ImportBatch([parse_file(p, episode, max_bytes, cast) for p in paths])
    seen: dict[str, str] = {}
    for parsed in batch.files:
        for e in parsed.entries:
            entry_id = e.resolved_id()
            if entry_id in seen:
                raise InvalidInput("{path}: entry '{name}': id '{entry_id}' appears twice in this import (first in {seen})", path=parsed.path, name=e.name, entry_id=entry_id, seen=seen[entry_id])
            seen[entry_id] = parsed.path
    if not batch.entries and not any(f.title_page for f in batch.files):  # a title page alone sets the settings
        raise InvalidInput("nothing to import: the files hold no entries")
    return batch

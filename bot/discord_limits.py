"""Discord's published limits, and the one place output is made to fit them.

Discord refuses a whole request when one part is too long (a 2,001-character message, a 6,001-character
embed, a 101-character choice value, a file over the upload limit): the user sees "interaction failed"
and loses the reply. Everything the bot sends passes through here (bot/ui.py sends it), so it fits by
construction: text is cut or split, embeds trimmed, choices bounded, images downsized, other files
compressed, and files spread over messages within the per-file and per-request limits.

Numbers from discord/discord-api-docs: resources/message.mdx (content, embeds, attachments),
components/reference.mdx, interactions/receiving-and-responding.mdx (autocomplete, attachment_size_limit),
reference.mdx (uploading files).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import discord

from .canon.errors import Phrase

CONTENT = 2000
EMBED_TITLE, EMBED_DESCRIPTION, EMBED_FIELDS = 256, 4096, 25
FIELD_NAME, FIELD_VALUE, FOOTER, AUTHOR, EMBED_TOTAL = 256, 1024, 2048, 256, 6000
CHOICES, CHOICE_TEXT = 25, 100
MODAL_TITLE, TEXT_INPUT = 45, 4000
THREAD_NAME = 100
FILES_PER_MESSAGE = 10
DEFAULT_UPLOAD = 10 * 1024 * 1024  # per file, in a server without boosts (Discord's default)
REQUEST_UPLOAD = 25 * 1024 * 1024  # all the files of one request together
MORE = "…"


def cut(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, marked when cut."""
    return text if len(text) <= limit else text[:limit - len(MORE)] + MORE


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """The embed with every part within its limit and the whole within 6,000 characters: the description
    gives way first, then the last fields."""
    if embed.title:
        embed.title = cut(embed.title, EMBED_TITLE)
    if embed.footer.text:
        embed.set_footer(text=cut(embed.footer.text, FOOTER), icon_url=embed.footer.icon_url)
    if embed.author.name:
        embed.set_author(name=cut(embed.author.name, AUTHOR), url=embed.author.url, icon_url=embed.author.icon_url)
    fields = [(cut(f.name, FIELD_NAME), cut(f.value, FIELD_VALUE), f.inline) for f in embed.fields][:EMBED_FIELDS]
    embed.clear_fields()
    for name, value, inline in fields:
        embed.add_field(name=name, value=value, inline=inline)
    if embed.description:
        embed.description = cut(embed.description, EMBED_DESCRIPTION)
    over = len(embed) - EMBED_TOTAL
    if over > 0 and embed.description:
        embed.description = cut(embed.description, max(len(MORE), len(embed.description) - over))
    while len(embed) > EMBED_TOTAL and embed.fields:
        embed.remove_field(-1)
    return embed


def choices(pairs, limit: int = CHOICES) -> list[discord.app_commands.Choice]:
    """Autocomplete choices Discord accepts: at most 25, names of 1-100 characters; a value over 100
    characters cannot be sent at all, so its choice is left out (callers give ids a short form first)."""
    out = []
    for name, value in pairs:
        if isinstance(value, str) and len(value) > CHOICE_TEXT:
            continue
        out.append(discord.app_commands.Choice(name=cut(str(name), CHOICE_TEXT) or str(value)[:CHOICE_TEXT],
                                               value=value))
        if len(out) == limit:
            break
    return out


def upload_limit(where) -> int:
    """Bytes per file: what the interaction says this server accepts (its ``attachment_size_limit``),
    else the server's boost level, else Discord's default."""
    limit = getattr(where, "filesize_limit", None)  # discord.py's name for attachment_size_limit
    if isinstance(limit, int) and limit > 0:
        return limit
    guild = getattr(where, "guild", None)
    return getattr(guild, "filesize_limit", None) or DEFAULT_UPLOAD


@dataclass
class Upload:
    """A file to send, as bytes (so its size is known before Discord sees it)."""

    name: str
    data: bytes

    @classmethod
    def of(cls, path: Path, name: str | None = None) -> "Upload":
        return cls(name or path.name, path.read_bytes())

    def file(self) -> discord.File:
        return discord.File(io.BytesIO(self.data), filename=self.name)


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


def _downsized(upload: Upload, limit: int) -> Upload | None:
    """A smaller JPEG of an image, halving its area until it fits."""
    from PIL import Image

    image = Image.open(io.BytesIO(upload.data)).convert("RGB")
    stem = Path(upload.name).stem
    while min(image.size) > 16:
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85, optimize=True)
        if out.tell() <= limit:
            return Upload(f"{stem}.jpg", out.getvalue())
        image = image.resize((int(image.width * 0.7), int(image.height * 0.7)))
    return None


def _zipped(upload: Upload) -> Upload:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(upload.name, upload.data)
    return Upload(f"{upload.name}.zip", out.getvalue())


def fit_file(upload: Upload, limit: int) -> Upload | None:
    """The upload within ``limit`` bytes: as it is, an image downsized, anything else zipped; None when
    nothing makes it fit (the caller says so)."""
    if len(upload.data) <= limit:
        return upload
    if upload.name.lower().endswith(IMAGE_SUFFIXES):
        return _downsized(upload, limit)
    zipped = _zipped(upload)
    return zipped if len(zipped.data) <= limit else None


def fit_files(uploads: list[Upload], limit: int) -> tuple[list[Upload], list[str]]:
    """(the uploads that fit, a line for each that could not be sent)."""
    fitted, left_out = [], []
    for upload in uploads:
        done = fit_file(upload, min(limit, REQUEST_UPLOAD))
        if done is None:
            left_out.append(Phrase("{name} ({size} MiB) is over this server's upload limit ({limit} MiB) even "
                                   "compressed; the CLI exports it whole", name=upload.name,
                                   size=f"{len(upload.data) / 2**20:.1f}", limit=f"{limit / 2**20:.0f}"))
        else:
            fitted.append(done)
    return fitted, left_out


def batches(uploads: list[Upload]) -> list[list[Upload]]:
    """The uploads in messages of at most 10 files and 25 MiB each, in order."""
    out: list[list[Upload]] = []
    size = 0
    for upload in uploads:
        if not out or len(out[-1]) == FILES_PER_MESSAGE or size + len(upload.data) > REQUEST_UPLOAD:
            out.append([])
            size = 0
        out[-1].append(upload)
        size += len(upload.data)
    return out


def split_text(text: str, limit: int = CONTENT) -> list[str]:
    """Split on line boundaries into pieces of at most ``limit`` characters (hard-cut only
    lines that are themselves too long)."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        if len(current) + len(line) > limit:
            pieces.append(current)
            current = ""
        current += line
    if current.strip():
        pieces.append(current)
    return [p.rstrip("\n") for p in pieces if p.strip()] or ["(empty)"]

"""Help text wrapped by the columns a terminal gives each character. click counts characters and breaks
lines only at spaces, so a paragraph of Chinese help (two columns a character, no spaces) ran to twice the
terminal's width. Here a Chinese character is two columns and a line may break between any two of them,
except before a closing mark (。，） stay with the text they close). Text with no wide characters is left
to click, so English help is unchanged to the byte."""

from __future__ import annotations

import unicodedata

import click
from click import formatting

_CLOSING = set("，。、；：！？）」』》】〉…")  # full-width: a narrow mark is part of its word's token
_click_wrap_text = formatting.wrap_text


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def columns(text: str) -> int:
    """The terminal columns ``text`` takes (styles not counted)."""
    return sum(2 if _is_wide(c) else 1 for c in click.unstyle(text))


def _tokens(text: str) -> list[str]:
    """Runs of spaces, runs of narrow characters (a word), and single wide characters (each a place to break)."""
    tokens: list[str] = []
    for char in text:
        kind = "space" if char.isspace() else "wide" if _is_wide(char) else "narrow"
        if tokens and kind != "wide" and _kind(tokens[-1]) == kind:
            tokens[-1] += char
        else:
            tokens.append(char)
    return tokens


def _kind(token: str) -> str:
    return "space" if token[0].isspace() else "wide" if _is_wide(token[0]) else "narrow"


def _fill(text: str, width: int, initial_indent: str, subsequent_indent: str) -> str:
    lines: list[str] = []
    indent, line, space = initial_indent, [], False  # line: (gap, token) pairs after the indent

    def used(pairs) -> int:
        return columns(indent) + sum(gap + columns(token) for gap, token in pairs)

    for token in _tokens(text):
        if token[0].isspace():
            space = bool(line)
            continue
        pair = (1 if space else 0, token)
        space = False
        if line and used(line + [pair]) > width:
            carried: list[tuple[int, str]] = []
            if token in _CLOSING:  # a closing mark takes the marks before it and the character they close along
                while len(line) > 1 and (not carried or carried[0][1] in _CLOSING):
                    carried.insert(0, line.pop())
            lines.append(indent + "".join(" " * gap + t for gap, t in line))
            indent, line = subsequent_indent, [(0, carried[0][1]), *carried[1:]] if carried else []
            pair = (pair[0] if line else 0, token)
        line.append(pair)
    lines.append(indent + "".join(" " * gap + t for gap, t in line))
    return "\n".join(lines)


def _join(lines: list[str]) -> str:
    """A paragraph's lines as one: no space is put between two Chinese characters that met at a line end."""
    text = ""
    for line in lines:
        if text and not (_is_wide(text[-1]) and _is_wide(line[0])):
            text += " "
        text += line
    return text


def wrap_text(text: str, width: int = 78, initial_indent: str = "", subsequent_indent: str = "",
              preserve_paragraphs: bool = False) -> str:
    """click's ``wrap_text`` (same arguments; a ``\\b`` line keeps its paragraph as written) for text a
    terminal shows wider than its length."""
    if not any(_is_wide(c) for c in text):
        return _click_wrap_text(text, width, initial_indent, subsequent_indent, preserve_paragraphs)
    text = text.expandtabs()
    if not preserve_paragraphs:
        return _fill(text, width, initial_indent, subsequent_indent)
    paragraphs: list[tuple[int, list[str]]] = []
    for line in text.splitlines():
        if not line.strip():
            paragraphs.append((0, []))
        elif not paragraphs or not paragraphs[-1][1]:
            paragraphs.append((len(line) - len(line.lstrip()), [line]))
        else:
            paragraphs[-1][1].append(line)
    out = []
    for indent, lines in paragraphs:
        if not lines:
            continue
        pad = " " * indent
        if lines[0].strip() == "\b":
            out.append("\n".join(initial_indent + line for line in lines[1:]))
        else:
            out.append(_fill(_join([line.strip() for line in lines]), width, initial_indent + pad,
                             subsequent_indent + pad))
    return "\n\n".join(out)


def install() -> None:
    """Make click's help formatter measure and wrap by columns (the CLI's process only)."""
    formatting.wrap_text = wrap_text
    formatting.term_len = columns

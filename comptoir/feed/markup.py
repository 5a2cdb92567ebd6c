"""The small Markdown subset of posts and comments, rendered to safe HTML.

Safety comes from the order of work: the whole text is HTML-escaped first, then a handful of
patterns (bold, italic, code, links to http(s) addresses, lists, paragraphs, @mentions) are turned
into tags we write ourselves. Nothing the author typed can become a tag or an attribute, so there
is no sanitiser to get wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from django.utils.html import escape

MENTION = re.compile(r"(?<![\w.@])@([a-z0-9][a-z0-9._-]{1,60}[a-z0-9])", re.IGNORECASE)
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])")
_CODE = re.compile(r"`([^`\n]+)`")
# Link targets are already escaped ("&amp;"); only http(s) is allowed, so no javascript: URLs.
_LINK = re.compile(r"\[([^\]\n]{1,200})\]\((https?://[^\s()<>\"']{1,500})\)")
_BARE_URL = re.compile(r"(?<![\"'=>])\b(https?://[^\s<>\"']{1,500}[^\s<>\"'.,;:!?)])")
_LIST_ITEM = re.compile(r"^\s*[-*•]\s+(.*)$")


def mention_handles(text: str) -> list[str]:
    """The @handles in `text`, lower-cased, in order, without repeats."""
    seen: dict[str, None] = {}
    for match in MENTION.finditer(text or ""):
        seen.setdefault(match.group(1).lower().rstrip("."), None)
    return list(seen)


def _inline(escaped: str, link_mention: Callable[[str], str | None]) -> str:
    codes: list[str] = []

    def keep_code(match: re.Match[str]) -> str:
        codes.append(f"<code>{match.group(1)}</code>")
        return f"\x00{len(codes) - 1}\x00"

    text = _CODE.sub(keep_code, escaped)
    links: list[str] = []

    def keep_link(match: re.Match[str]) -> str:
        links.append(
            f'<a href="{match.group(2)}" rel="nofollow noopener" target="_blank">{match.group(1)}</a>'
        )
        return f"\x01{len(links) - 1}\x01"

    text = _LINK.sub(keep_link, text)

    def keep_bare(match: re.Match[str]) -> str:
        links.append(
            f'<a href="{match.group(1)}" rel="nofollow noopener" target="_blank">{match.group(1)}</a>'
        )
        return f"\x01{len(links) - 1}\x01"

    text = _BARE_URL.sub(keep_bare, text)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    text = _ITALIC.sub(lambda m: f"<em>{m.group(1) or m.group(2)}</em>", text)

    def mention(match: re.Match[str]) -> str:
        url = link_mention(match.group(1).lower().rstrip("."))
        if url is None:
            return match.group(0)
        return f'<a class="mention" href="{escape(url)}">@{match.group(1)}</a>'

    text = MENTION.sub(mention, text)
    text = re.sub("\x01(\\d+)\x01", lambda m: links[int(m.group(1))], text)
    return re.sub("\x00(\\d+)\x00", lambda m: codes[int(m.group(1))], text)


def render(text: str, mentions: Mapping[str, str] | None = None) -> str:
    """Render `text` to HTML. `mentions` maps a known @handle to the person's page."""
    known = mentions or {}

    def link_mention(handle: str) -> str | None:
        return known.get(handle)

    blocks: list[str] = []
    for chunk in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip()):
        lines = [line for line in chunk.split("\n")]
        if not chunk.strip():
            continue
        if all(_LIST_ITEM.match(line) for line in lines if line.strip()):
            items = "".join(
                f"<li>{_inline(escape(m.group(1)), link_mention)}</li>"
                for line in lines
                if (m := _LIST_ITEM.match(line))
            )
            blocks.append(f"<ul>{items}</ul>")
        else:
            body = "<br>".join(_inline(escape(line), link_mention) for line in lines)
            blocks.append(f"<p>{body}</p>")
    return "".join(blocks)


def plain_excerpt(text: str, length: int = 160) -> str:
    """A one-line text excerpt without the Markdown marks (for notifications and lists)."""
    flat = re.sub(r"[*_`#>\[\]]", "", re.sub(r"\]\([^)]*\)", "]", text or ""))
    flat = " ".join(flat.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"

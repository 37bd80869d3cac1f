"""A Reply as a person reads it in a terminal: the passage, then who said it and where."""

from __future__ import annotations

import textwrap

from bot.commands.results import HELP, Hit, Reply

WIDTH = 78


def render(reply: Reply) -> str:
    if reply.command == HELP:
        return "\n".join([*reply.notes, reply.help_text or ""]).strip()
    lines = list(reply.notes)
    if reply.command == "who-said" and reply.results:
        lines.insert(0, _verdict(reply))
    for side in reply.sides:
        lines.append(f"== {side.title or side.label} ({side.label}) ==")
        lines.extend(_hit(h, n) for n, h in enumerate(side.results, 1))
        if not side.results:
            lines.append("   (nothing in the library)")
    lines.extend(_hit(h, n) for n, h in enumerate(reply.results, reply.offset + 1))
    if reply.has_more:
        lines.append(f"… {reply.total - reply.offset - len(reply.results)} more (use --limit)")
    if not reply.found and reply.help_text and not reply.results:
        lines.append("")
        lines.append(reply.help_text)
    return "\n".join(lines).strip()


def _verdict(reply: Reply) -> str:
    top = reply.results[0]
    confidence = f"{(reply.confidence or 0):.0%}"
    if reply.found:
        return f"{top.speaker} said it (confidence {confidence}):"
    return f"Not found with confidence (best {confidence}); nearest candidates:"


def _hit(hit: Hit, number: int) -> str:
    text = hit.quotation_text if hit.quotation_text else hit.display_text
    body = textwrap.fill(f"“{text}”", WIDTH, initial_indent=f"{number}. ", subsequent_indent="   ")
    return f"{body}\n   — {attribution_line(hit)}"


def attribution_line(hit: Hit) -> str:
    who = hit.speaker or "unknown speaker"
    if hit.speaker_role:
        who += f" ({hit.speaker_role})"
    source = hit.source
    where = [part for part in (source.title, source.outlet, source.author and f"by {source.author}", source.date) if part]
    if not where:
        where = [hit.passage.doc_id]
    line = f"{who} · {' · '.join(where)} [{hit.passage.id}]"
    return f"{line} {source.url}" if source.url else line

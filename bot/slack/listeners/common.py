"""Small helpers the listener modules share: sending a Message, and never failing while apologising."""

from __future__ import annotations

import logging

from bot.slack.blocks import Message, notice

LOG = logging.getLogger("bot.slack")


def send(respond, message: Message, **options) -> None:
    """Send a Message through a response_url; raise if Slack refuses it."""
    result = respond(text=message.text, blocks=[b.to_dict() for b in message.blocks], **options)
    status = getattr(result, "status_code", 200)
    if status and status >= 400:
        raise RuntimeError(f"response_url answered {status}: {getattr(result, 'body', '')!r}")


def apologise(respond, text: str, logger=None) -> None:
    """Tell the user something went wrong, ephemerally; if even that fails, only log."""
    try:
        send(respond, notice(text), response_type="ephemeral", replace_original=False)
    except Exception:  # the original error is already logged; this one adds nothing for the user
        (logger or LOG).warning("could not tell the user about an error", exc_info=True)

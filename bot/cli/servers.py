"""`bot serve` and `bot socket`: the Slack servers, imported only when asked for."""

from __future__ import annotations

import argparse
import os

from bot.config import Settings


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.slack.server import serve

    return serve(settings, os.environ)


def cmd_socket(args: argparse.Namespace, settings: Settings) -> int:
    from bot.slack.server import socket

    return socket(settings, os.environ)

"""The web worker's garbage collector (bot/slack/worker.py `settle_heap`): what start-up built is
frozen once the app is loaded, so the collector's passes during a burst of acks walk only what
was made since. Run in a fresh interpreter: freezing is for the whole process."""

from __future__ import annotations

import json
import subprocess
import sys

from bot.slack.worker import GC_THRESHOLDS
from tests.conftest import REPO

BOUND = 60.0  # seconds for a fresh interpreter importing the worker (a bound, not a goal)

LOAD_A_WORKER = """
import gc, json
from uvicorn_worker import UvicornWorker
from bot.slack.worker import QuoteBotWorker

def build_the_app(worker):  # what gunicorn's load_wsgi does: the app and everything it holds
    worker.wsgi = {"listeners": [{"name": f"listener {n}", "routes": [n]} for n in range(20_000)]}

UvicornWorker.load_wsgi = build_the_app
worker = QuoteBotWorker.__new__(QuoteBotWorker)  # gunicorn's arbiter, config and sockets are not needed here
gc.set_threshold(700, 10, 10)
worker.load_wsgi()
tracked = gc.get_objects()  # what the collector's next full pass would walk
print(json.dumps({"app_walked": any(o is worker.wsgi for o in tracked), "walked": len(tracked),
                  "frozen": gc.get_freeze_count(), "thresholds": gc.get_threshold()}))
"""


def test_what_the_worker_built_at_start_is_out_of_the_collectors_reach():
    done = subprocess.run([sys.executable, "-c", LOAD_A_WORKER], cwd=REPO, capture_output=True, text=True, timeout=BOUND)
    assert done.returncode == 0, done.stderr
    heap = json.loads(done.stdout)
    assert heap["app_walked"] is False
    assert heap["frozen"] > 40_000  # the app's 40,000 containers and the imports'
    assert heap["walked"] < heap["frozen"] / 10  # a full pass now walks only what is made from here on
    assert tuple(heap["thresholds"]) == GC_THRESHOLDS

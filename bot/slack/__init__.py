"""The Slack front end: Bolt listeners over the plain functions of bot.commands.

app.py builds the Bolt App; listeners/ registers commands, buttons, events and the error handler,
all answering through one skeleton (replying.py); blocks.py and home.py render replies as
Block Kit, through escape.py (untrusted text), excerpt.py (cutting passages) and limits.py
(Slack's limits, `validate`); state.py is what a button remembers; searching.py runs searches in
processes of their own (search_process.py), which answer requests handed over whole (handover.py,
courier.py, over the pipes of frames.py); shared_state.py (over dedupe.py and ratelimit.py) keeps the guards, in
Redis when REDIS_URL is set; delivery.py gets replies to Slack; identity.py and readiness.py are
small stateful helpers. screening.py decides which requests reach Bolt, http.py is the ASGI app,
worker.py the gunicorn worker, startup.py the checks before start, and server.py runs it all
(`serve`: gunicorn + uvicorn, `socket`: Socket Mode).
"""

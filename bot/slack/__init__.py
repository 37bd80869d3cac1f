"""The Slack front end: Bolt listeners over the plain functions of bot.commands.

app.py builds the Bolt App; listeners/ registers commands, buttons, events and the error handler;
blocks.py and home.py render replies as Block Kit, through escape.py (untrusted text),
excerpt.py (cutting passages) and limits.py (Slack's limits, `validate`); state.py is what a
button remembers; dedupe.py, ratelimit.py, identity.py and readiness.py are the small stateful
helpers; server.py runs it all (`serve`: gunicorn + Flask, `socket`: Socket Mode).
"""

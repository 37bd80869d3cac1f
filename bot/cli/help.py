"""The words of `bot --help` and each subcommand's help: what to type, and what the environment changes."""

DESCRIPTION = """\
Find exact, attributed quotations in a library of Chinese and English articles on open versus
closed AI: offline in a terminal (bot ask), or as a Slack app (bot serve, bot socket).

The three commands, in Slack or after `bot ask`:
  /quote QUERY            the passages that best match, with who said them and where
                          /quote 护城河 · /quote open source moat · /quote kaiyuan moxing
  /who-said QUOTATION     who said it (even half-remembered, either script), the passage as proof
                          /who-said 开源其实是一种智商税
  /compare A B            the strongest passages on each side; `A vs B` works too
                          /compare open closed · /compare 开源 闭源 · /compare Meta vs OpenAI
  help                    the same usage, with more examples
`bot ask` also takes the text of an @-mention: 'who said 智商税', 'quote 护城河', 'compare open closed'.

Run `bot COMMAND --help` for a command's own options."""

LIBRARY_VARIABLES = """\
  BOT_SEEDS=FOLDER     read the articles (.txt, .md, .html) in FOLDER instead of the bundled seeds/
  BOT_CONFIG=FOLDER    read the configuration (corpus.yaml, speakers.yaml, …) from FOLDER instead of config/
  BOT_CACHE_DIR=DIR    keep the saved library (cleaned corpus and index) in DIR; `off` never saves
                       one; the default is the user's cache folder (`bot index info` prints the path)
  NO_COLOR=1           plain text on a terminal too (piped output is always plain)"""

SLACK_VARIABLES = """\
  SLACK_BOT_TOKEN      the bot's xoxb- token (serve and socket)
  SLACK_SIGNING_SECRET the app's signing secret, to check that requests come from Slack (serve)
  SLACK_APP_TOKEN      the app-level xapp- token (socket)
  SLACK_API_URL        the Web API's base URL (default https://slack.com/api/)
  PORT                 the port `bot serve` listens on (default 3000)
  REDIS_URL            redis://host:port/db: processes sharing it share de-duplication, replay
                       guard, click guard and rate limits, so each event is answered once
  WEB_CONCURRENCY      worker processes of `bot serve` (default: one per core)
  SEARCH_PROCESSES     search processes per worker (default: the cores left per worker, at least 1)
  GUNICORN_CMD_ARGS    gunicorn options, applied over all of the above
  HOST, LOG_LEVEL      the address `bot serve` binds (default 0.0.0.0) and the log level (INFO)"""

ENVIRONMENT = f"""\
environment variables:
{LIBRARY_VARIABLES}
{SLACK_VARIABLES}

examples:
  bot ask "/quote 护城河"
  bot ask "who said 智商税" --json
  printf '/quote 护城河\\ncompare open closed\\n' | bot ask --json -
  BOT_SEEDS=~/articles bot corpus --check
  bot index build"""

LIBRARY_ENV = f"environment variables:\n{LIBRARY_VARIABLES}"

ASK_HELP = """\
Answer one line as Slack would, and print it as a person reads it (bold matches and dim sources
on a terminal, wrapped to its width; plain text when piped), or with --json as the JSON of
shared/CONTRACT.md. TEXT is a slash-command line or the text of an @-mention:
  bot ask "/quote 护城河"          bot ask "/who-said 开源其实是一种智商税"
  bot ask "compare open closed"   bot ask "who said 智商税" --json --limit 1
With TEXT '-', one line per input line, the library loaded once (JSON Lines with --json).
A malformed line exits 2 with one line on stderr; with --json the error is also a JSON object
{"error": "…"} on stdout."""

CORPUS_HELP = """\
Every passage of the cleaned corpus, in document order, with its speaker; with --check, one line
per document saying what was loaded and repaired, and the problems (exit 1 if any)."""

EVAL_HELP = """\
Run an evaluation file (the format of shared/eval/dev.yaml) and print recall@1, recall@3 and MRR
for quote, top-1 accuracy for who_said and accuracy for stance, overall and per kind."""

INDEX_HELP = """\
  bot index build    clean the corpus, build the index and save both (a deploy's build step)
  bot index info     say whether the saved library matches the seeds, config and code (exit 1 if not)"""

SERVE_HELP = """\
The production Slack HTTP server (gunicorn): POST /slack/events for commands, events and
buttons; GET /healthz answers 200 once the library is loaded. The Procfile's web process."""

SOCKET_HELP = "Slack Socket Mode, for development without a public URL."

SERVE_ENV = f"environment variables:\n{SLACK_VARIABLES}\n{LIBRARY_VARIABLES}"

SOCKET_ENV = f"""\
environment variables:
  SLACK_APP_TOKEN      the app-level xapp- token (connections:write)
  SLACK_BOT_TOKEN      the bot's xoxb- token
  SLACK_API_URL        the Web API's base URL (default https://slack.com/api/)
{LIBRARY_VARIABLES}"""

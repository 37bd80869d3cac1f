"""/compare A B: two columns. Open versus closed ranks the stances read at build time; any other
pair is searched as topics."""

from __future__ import annotations

from operator import attrgetter

from bot.commands.display import display_script, make_hit
from bot.commands.help import HELP_TEXT
from bot.commands.parse import USAGE_BY_COMMAND, read_topics
from bot.commands.query import prepare
from bot.commands.results import COMPARE, Hit, Reply, Side, UsageError
from bot.commands.stance import SIDES, StanceModel, load_stance_model
from bot.config import Settings
from bot.corpus.models import Passage
from bot.search.library import Library

STANCE_TITLES = {
    "open": "For open-source AI",
    "closed": "For closed-source AI",
    "both": "Complementary: open and closed together",
}
STANCE_ORDER = ("open", "closed", "both")
MAX_PER_SIDE = 1000
MAX_TOPIC_CHARS = 60  # a longer "topic" is a sentence: read the sides it names, or ask for fewer words
SCORE_SCALE = 5.0  # stance scores run to about this; Hit.score is 0..1
STRENGTH = attrgetter("stance_score")


def compare(query: str, library: Library, settings: Settings, *, limit: int | None = None, offset: int = 0) -> Reply:
    prepared = prepare(query, settings.max_query_chars)
    model = load_stance_model(settings.config_dir)
    try:
        asked, note = read_sides(prepared.text, model)
    except UsageError as error:
        # An answer that says what to type, never an exception from the core.
        return Reply(COMPARE, prepared.text, notes=prepared.notes + (str(error),), found=False, help_text=HELP_TEXT)
    per_side = limit if limit is not None else settings.compare_per_side
    script = display_script(settings, prepared.text)
    if asked[0] in STANCE_ORDER and asked[1] in STANCE_ORDER:
        sides = stance_sides(library, asked, script, per_side)
    else:
        sides = topic_sides(library, asked, script, per_side)
    found = any(side.results for side in sides)
    notes = prepared.notes + ((note,) if note else ()) + (() if found else ("Neither topic appears in the library.",))
    return Reply(COMPARE, prepared.text, sides=sides, notes=notes, found=found, help_text=None if found else HELP_TEXT)


def read_sides(text: str, model: StanceModel) -> tuple[tuple[str, str], str | None]:
    """(the two columns, a note on how the line was read). Stance names ('open', 'closed',
    'both') where the topics name sides of the debate, else the topics as typed."""
    first, second = read_topics(text)
    one, two = model.topic_stance(first), (model.topic_stance(second) if second else None)
    if second is None:
        raise UsageError(f"compare needs two topics: {USAGE_BY_COMMAND[COMPARE]}")
    if one and two and one != two:
        return (one, two), None
    if one and one == two:
        raise UsageError(f"“{first}” and “{second}” both name the {one} side: {USAGE_BY_COMMAND[COMPARE]}")
    if max(len(first), len(second)) > MAX_TOPIC_CHARS:
        named = [s for s in SIDES if s in model.sides_named(text)]
        if len(named) == 2:
            return ("open", "closed"), "Read as open vs closed (the long topics name both sides)."
        raise UsageError(f"topics are too long; a few words each: {USAGE_BY_COMMAND[COMPARE]}")
    return (first, second), None


def stance_sides(library: Library, asked: tuple[str, str], script: str, per_side: int) -> tuple[Side, ...]:
    """The asked columns first, then any other stance that has passages (usually "both").
    One pass over the passages' saved verdicts; only what is shown is sorted and made a Hit."""
    by_stance: dict[str, list[Passage]] = {stance: [] for stance in STANCE_ORDER}
    for passage in library.corpus.passages:
        if passage.stance is not None and passage.stance in by_stance:
            by_stance[passage.stance].append(passage)
    order = list(dict.fromkeys(asked + STANCE_ORDER))
    sides = []
    for stance in order:
        ranked = grouped_by_speaker(by_stance[stance], per_side)
        hits = tuple(_stance_hit(library, p, stance, script) for p in ranked)
        if stance in asked or hits:
            sides.append(Side(stance, hits, STANCE_TITLES[stance]))
    return tuple(sides)


def _stance_hit(library: Library, passage: Passage, stance: str, script: str) -> Hit:
    return make_hit(library.corpus, passage, score=passage.stance_score / SCORE_SCALE, script=script, stance=stance)


def grouped_by_speaker(passages: list[Passage], limit: int | None = None) -> list[Passage]:
    """Speakers in order of their strongest passage; each speaker's passages strongest first
    (ties in library order). One C-level sort and one pass, so a 100x library stays fast."""
    groups: dict[str | None, list[Passage]] = {}
    for passage in sorted(passages, key=STRENGTH, reverse=True):
        groups.setdefault(passage.speaker, []).append(passage)
    out = [p for group in groups.values() for p in group]
    return out if limit is None else out[:limit]


def topic_sides(library: Library, topics: tuple[str, str], script: str, per_side: int) -> tuple[Side, ...]:
    """Passages about each topic; a passage about both goes to the topic it matches better."""
    matches = [library.index.search(topic, limit=MAX_PER_SIDE) for topic in topics]
    scores = [{m.passage.id: m.score for m in ms} for ms in matches]
    sides = []
    for index, (topic, found) in enumerate(zip(topics, matches)):
        other = scores[1 - index]
        kept = [m for m in found if m.score >= other.get(m.passage.id, 0.0)]
        hits = [
            make_hit(library.corpus, m.passage, score=m.score, script=script, highlights=m.highlights)
            for m in kept[:per_side]
        ]
        sides.append(Side(topic, tuple(hits), topic))
    return tuple(sides)

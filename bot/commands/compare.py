"""/compare A B: two columns. Open versus closed is judged by stance; any other pair by topic."""

from __future__ import annotations

from collections import defaultdict

from bot.commands.display import display_script, make_hit
from bot.commands.help import HELP_TEXT
from bot.commands.parse import split_topics
from bot.commands.query import prepare
from bot.commands.results import COMPARE, Hit, Reply, Side, UsageError
from bot.commands.stance import StanceModel, load_stance_model
from bot.config import Settings
from bot.search.library import Library

STANCE_TITLES = {
    "open": "For open-source AI",
    "closed": "For closed-source AI",
    "both": "Complementary: open and closed together",
}
MAX_PER_SIDE = 1000


def compare(query: str, library: Library, settings: Settings, *, limit: int | None = None, offset: int = 0) -> Reply:
    prepared = prepare(query, settings.max_query_chars)
    try:
        first, second = split_topics(prepared.text)
    except UsageError as error:
        # The line passed parse, but cutting it to max_query_chars (or dropping invisible
        # characters) left one topic: an answer that says so, never an exception from the core.
        return Reply(COMPARE, prepared.text, notes=prepared.notes + (str(error),), found=False, help_text=HELP_TEXT)
    model = load_stance_model(settings.config_dir)
    per_side = limit if limit is not None else settings.compare_per_side
    script = display_script(settings, prepared.text)
    stances = (model.topic_stance(first), model.topic_stance(second))
    if None not in stances and stances[0] != stances[1]:
        sides = stance_sides(library, model, stances, script, per_side)
    else:
        sides = topic_sides(library, (first, second), script, per_side)
    found = any(side.results for side in sides)
    notes = prepared.notes + (() if found else ("Neither topic appears in the library.",))
    return Reply(COMPARE, prepared.text, sides=sides, notes=notes, found=found, help_text=None if found else HELP_TEXT)


def stance_sides(library: Library, model: StanceModel, asked: tuple[str, str], script: str, per_side: int) -> tuple[Side, ...]:
    """Every passage that argues a side, strongest first, the same speaker's passages together."""
    by_side: dict[str, list[tuple[float, object]]] = defaultdict(list)
    for passage in library.corpus.passages:
        verdict = model.judge(passage)
        if verdict.stance:
            by_side[verdict.stance].append((verdict.strength, passage))
    order = list(asked) + [s for s in ("open", "closed", "both") if s not in asked]
    sides = []
    for stance in order:
        hits = [
            make_hit(library.corpus, p, score=min(1.0, strength / 5), script=script, stance=stance)
            for strength, p in sorted(by_side[stance], key=lambda sp: -sp[0])
        ]
        if stance in asked or hits:
            sides.append(Side(stance, tuple(grouped_by_speaker(hits)[:per_side]), STANCE_TITLES[stance]))
    return tuple(sides)


def grouped_by_speaker(hits: list[Hit]) -> list[Hit]:
    """Speakers in order of their strongest passage; each speaker's passages strongest first."""
    groups: dict[str | None, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(hit.speaker, []).append(hit)
    return [hit for group in groups.values() for hit in group]


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

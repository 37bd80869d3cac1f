"""/compare A B: two columns. Open versus closed ranks the stances read at build time; any other
pair is searched as topics."""

from __future__ import annotations

from operator import attrgetter

import numpy as np

from bot.commands.display import display_script, make_hit
from bot.commands.help import HELP_TEXT
from bot.commands.parse import USAGE_BY_COMMAND, read_topics
from bot.commands.query import prepare
from bot.commands.results import COMPARE, Hit, Reply, Side, UsageError
from bot.commands.stance import SIDES, StanceModel, stance_model_of
from bot.commands.words import CommandWords, load_command_words
from bot.config import Settings
from bot.corpus.models import Corpus, Passage
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
    model = stance_model_of(library, settings)
    try:
        asked, note = read_sides(prepared.text, model, load_command_words(settings.config_dir))
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


def read_sides(text: str, model: StanceModel, command_words: CommandWords | None = None) -> tuple[tuple[str, str], str | None]:
    """(the two columns, a note on how the line was read). Stance names ('open', 'closed',
    'both') where the topics name sides of the debate, else the topics as typed."""
    first, second = read_topics(text, command_words)
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

    The verdicts were read at build time and sit in the passage table's columns (stance code,
    score, speaker): each column is ranked over those arrays, and only the passages shown are
    made into ``Passage`` objects. At 100x the seeds that is 15 objects instead of 40,000."""
    order = list(dict.fromkeys(asked + STANCE_ORDER))
    ranked = stance_columns(library.corpus, per_side)
    sides = []
    for stance in order:
        hits = tuple(_stance_hit(library, p, stance, script) for p in ranked[stance])
        if stance in asked or hits:
            sides.append(Side(stance, hits, STANCE_TITLES[stance]))
    return tuple(sides)


def stance_columns(corpus: Corpus, limit: int | None = None) -> dict[str, list[Passage]]:
    """Each stance's passages as ``grouped_by_speaker`` orders them, the first ``limit`` of each."""
    table = getattr(corpus, "table", None)
    stances = table.codes("stance") if table is not None else None
    strength = table.numbers("stance_score") if table is not None else None
    if stances is None or strength is None:  # a corpus held as objects (tests, a library being built)
        by_stance: dict[str, list[Passage]] = {stance: [] for stance in STANCE_ORDER}
        for passage in corpus.passages:
            if passage.stance in by_stance:
                by_stance[passage.stance].append(passage)
        return {stance: grouped_by_speaker(found, limit) for stance, found in by_stance.items()}
    codes, labels = stances
    speakers = table.codes("speaker")
    out = {}
    for stance in STANCE_ORDER:
        numbers = np.flatnonzero(codes == labels.index(stance)) if stance in labels else np.empty(0, dtype=np.int64)
        numbers = numbers[np.argsort(-strength[numbers], kind="stable")]  # strongest first, ties in library order
        if speakers is not None:
            who = speakers[0][numbers]
        else:  # speakers too many to be dictionary-encoded: read only this column's
            who = np.unique([str(table.value("speaker", int(n))) for n in numbers], return_inverse=True)[1]
        numbers = numbers[_speaker_order(who)]
        out[stance] = [table.get(int(n)) for n in numbers[:limit]]
    return out


def _speaker_order(who: np.ndarray) -> np.ndarray:
    """Positions of ``who`` (speaker codes in strength order) regrouped: speakers in order of
    their first (strongest) passage, each speaker's passages keeping their order."""
    if not len(who):
        return np.empty(0, dtype=np.int64)
    _labels, first, inverse = np.unique(who, return_index=True, return_inverse=True)
    return np.argsort(first[inverse], kind="stable")


def _stance_hit(library: Library, passage: Passage, stance: str, script: str) -> Hit:
    return make_hit(library.corpus, passage, score=passage.stance_score / SCORE_SCALE, script=script, stance=stance)


def grouped_by_speaker(passages: list[Passage], limit: int | None = None) -> list[Passage]:
    """Speakers in order of their strongest passage; each speaker's passages strongest first
    (ties in library order). One C-level sort and one pass."""
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

"""bench/query_stages.py: the stage timers add up to the query, count what they say, and leave no trace."""

import bot.search.index as index_module
import bot.search.pool as pool_module
from bench.query_stages import NAMES, StageClock, report
from bot.commands.dispatch import answer
from bot.commands.parse import Request
from bot.commands.results import QUOTE


def test_stages_add_up_to_the_query_and_the_timers_are_removed_after(bundled_library, bundled_settings):
    before = (index_module.plan, index_module.rank, pool_module.lexical_scores, pool_module._scored,
              index_module.Index.__dict__["_rank"], index_module.Match.__dict__["highlights"])
    ask = lambda query: answer(Request(QUOTE, query), bundled_library, bundled_settings, limit=10)  # noqa: E731
    with StageClock() as clock:
        timed = clock.best_of(2, [("words", "开源 模型"), ("nothing", "🙂")], ask)
    after = (index_module.plan, index_module.rank, pool_module.lexical_scores, pool_module._scored,
             index_module.Index.__dict__["_rank"], index_module.Match.__dict__["highlights"])
    assert after == before
    words, nothing = timed
    assert abs(sum(words.stages.values()) - words.total) < 1e-6
    assert set(words.stages) == set(NAMES)
    assert words.pooled > 0 and 0 < words.scored <= words.pooled
    assert all(words.stages[n] >= 0 for n in NAMES if n != "other")
    assert nothing.scored == nothing.pooled == 0 and nothing.stages["plan"] == 0  # nothing to search: no stage ran
    text = report(timed)
    assert "slowest 5 %" in text and "words" in text

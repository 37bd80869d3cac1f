"""jieba's part-of-speech tags, the same tags in a fraction of the time: its HMM with a faster Viterbi.

Why: tagging the names in a library's narration is most of a build's attribution time, and
nearly all of that is jieba.posseg's Viterbi over runs of characters its dictionary does not
know (names, mostly). jieba's Viterbi scores, for every state y of a character, every state y0
of the previous character, although only the few y0 with a transition to y can score above
minus infinity. ``viterbi`` below scores only those (a reverse transition table built once),
with the same floating-point sums in the same order, so every finite score and every argmax is
jieba's; where no such y0 exists for a state it falls back to jieba's own expression over all
of them (they all tie at minus infinity and jieba keeps the greatest state). The tie-breaking
is jieba's too: ``max`` over distinct ``(score, state)`` pairs has one answer in any order.

``tagger()`` is jieba's own ``POSTokenizer`` (dictionary, DAG, word tags: all jieba's) with only
its Viterbi step replaced; ``tests/corpus/test_postag.py`` checks it against ``jieba.posseg``.
"""

from __future__ import annotations

from functools import lru_cache

import jieba.posseg as pseg
from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P
from jieba.posseg.viterbi import MIN_FLOAT, MIN_INF


@lru_cache(maxsize=1)
def _predecessors() -> dict:
    """For each state y, the states y0 with a transition y0 -> y, and its log probability."""
    before: dict = {}
    for y0, nexts in trans_P.items():
        for y, probability in nexts.items():
            before.setdefault(y, []).append((y0, probability))
    return before


def viterbi(obs: str, states=char_state_tab_P, start_p=start_P, trans_p=trans_P, emit_p=emit_P):
    """``jieba.posseg.viterbi.viterbi``, scoring only the predecessors that can score."""
    predecessors = _predecessors()
    V = [{}]
    mem_path = [{}]
    all_states = trans_p.keys()
    for y in states.get(obs[0], all_states):
        V[0][y] = start_p[y] + emit_p[y].get(obs[0], MIN_FLOAT)
        mem_path[0][y] = ""
    for t in range(1, len(obs)):
        V.append({})
        mem_path.append({})
        previous = V[t - 1]
        prev_states = [x for x in mem_path[t - 1].keys() if len(trans_p[x]) > 0]
        prev_states_expect_next = set().union(*(trans_p[x].keys() for x in prev_states))  # at C speed
        obs_states = set(states.get(obs[t], all_states)) & prev_states_expect_next
        if not obs_states:
            obs_states = prev_states_expect_next if prev_states_expect_next else all_states
        live = set(prev_states)
        char = obs[t]
        for y in obs_states:
            emit = emit_p[y].get(char, MIN_FLOAT)
            best = None
            for y0, transition in predecessors.get(y, ()):
                if y0 in live:
                    candidate = (previous[y0] + transition + emit, y0)
                    if best is None or candidate > best:
                        best = candidate
            if best is None or best[0] == MIN_INF:  # every predecessor scores minus infinity: jieba's pick
                best = max((previous[y0] + trans_p[y0].get(y, MIN_INF) + emit, y0) for y0 in prev_states)
            V[t][y], mem_path[t][y] = best
    prob, state = max((V[-1][y], y) for y in mem_path[-1].keys())
    route = [None] * len(obs)
    i = len(obs) - 1
    while i >= 0:
        route[i] = state
        state = mem_path[i][state]
        i -= 1
    return prob, route


class _Tagger(pseg.POSTokenizer):
    """jieba's POSTokenizer whose HMM step (its private ``__cut``) uses the Viterbi above."""

    def _POSTokenizer__cut(self, sentence):  # jieba's __cut, line for line, with our viterbi
        _prob, pos_list = viterbi(sentence)
        begin, nexti = 0, 0
        for i, char in enumerate(sentence):
            pos = pos_list[i][0]
            if pos == "B":
                begin = i
            elif pos == "E":
                yield pseg.pair(sentence[begin:i + 1], pos_list[i][1])
                nexti = i + 1
            elif pos == "S":
                yield pseg.pair(char, pos_list[i][1])
                nexti = i + 1
        if nexti < len(sentence):
            yield pseg.pair(sentence[nexti:], pos_list[nexti][1])


@lru_cache(maxsize=1)
def tagger() -> pseg.POSTokenizer:
    """jieba's default tagger (its dictionary and word tags, shared, not loaded again) with the fast Viterbi."""
    fast = _Tagger.__new__(_Tagger)
    fast.__dict__.update(pseg.dt.__dict__)
    return fast

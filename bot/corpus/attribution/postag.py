"""jieba's part-of-speech tags, the same tags in a fraction of the time: its HMM with a faster Viterbi.

Why: tagging the names in a library's narration is most of a build's attribution time, and
nearly all of that is jieba.posseg's Viterbi over runs of characters its dictionary does not
know (names, mostly). jieba's Viterbi is a Python loop over every (previous state, state) pair
of every character: a character can be in up to 60 of the 256 (position, tag) states, so a
character costs thousands of Python steps. ``viterbi`` below does the same sums as one numpy
table per character (previous states x states), with exactly jieba's arithmetic and choices:

- each cell is ``(score + transition) + emission`` in float64, the order jieba adds them in, and
  a missing transition is minus infinity (jieba's ``trans_p[y0].get(y, MIN_INF)``), a missing
  emission ``MIN_FLOAT``;
- the states a character may take are jieba's: its listed states (all of them for a character
  the table does not list) among those some previous state leads to, else every state led to,
  else all; previous states are those with any transition out;
- jieba keeps ``max((score, state))``: on equal scores the greatest state tuple. The states are
  numbered in sorted tuple order, so that is the greatest index among the maxima, which is what
  ``argmax`` over the reversed rows gives (it returns the first maximum). Minus infinity ties
  the same way, so jieba's fallback when nothing can reach a state needs no special case.

Runs repeat across a library; the states and emissions of each character are computed once
per process. ``tagger()`` is jieba's own ``POSTokenizer`` (dictionary, DAG, word tags: all
jieba's) with only its Viterbi step replaced; ``tests/corpus/test_postag.py`` checks it, and
``viterbi`` itself, against ``jieba.posseg``.
"""

from __future__ import annotations

from functools import lru_cache

import jieba.posseg as pseg
import numpy as np
from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P
from jieba.posseg.viterbi import MIN_FLOAT, MIN_INF


class HmmTables:
    """jieba.posseg's HMM as arrays: states numbered in sorted order, transitions as a dense
    matrix (minus infinity where jieba has none), and per character its allowed states and
    emissions (made on first sight of the character)."""

    def __init__(self) -> None:
        self.states = sorted(trans_P)
        number = {state: i for i, state in enumerate(self.states)}
        self.number = number
        size = len(self.states)
        self.transition = np.full((size, size), MIN_INF)
        self.follows = np.zeros((size, size), dtype=bool)  # jieba's "trans_p[y0].keys()", as rows
        for before, nexts in trans_P.items():
            for after, probability in nexts.items():
                self.transition[number[before], number[after]] = probability
                self.follows[number[before], number[after]] = True
        self.leads_on = self.follows.any(axis=1)
        self.flat_transition = self.transition.reshape(-1)
        self.start = np.array([start_P[state] for state in self.states])
        self.every_state = np.ones(size, dtype=bool)
        self._characters: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def character(self, char: str) -> tuple[np.ndarray, np.ndarray]:
        """(states ``char`` may take, as a mask; its emission score in every state)."""
        found = self._characters.get(char)
        if found is None:
            listed = char_state_tab_P.get(char)
            if listed is None:
                allowed = self.every_state
            else:
                allowed = np.zeros(len(self.states), dtype=bool)
                allowed[[self.number[state] for state in listed]] = True
            emission = np.array([emit_P[state].get(char, MIN_FLOAT) for state in self.states])
            found = self._characters[char] = (allowed, emission)
        return found


@lru_cache(maxsize=1)
def hmm_tables() -> HmmTables:
    return HmmTables()


def _last_argmax(values: np.ndarray, axis: int = 0):
    """Index of the maximum along ``axis``, the last one on ties (jieba's greatest state)."""
    return values.shape[axis] - 1 - np.flip(values, axis).argmax(axis=axis)


def viterbi(obs: str) -> tuple[float, list[tuple[str, str]]]:
    """``jieba.posseg.viterbi.viterbi(obs, char_state_tab_P, start_P, trans_P, emit_P)``: the same
    probability and route (a (position, tag) state per character), computed with numpy."""
    tables = hmm_tables()
    size = len(tables.states)
    allowed, emission = tables.character(obs[0])
    live = np.flatnonzero(allowed)
    scores = tables.start[live] + emission[live]
    pointers: list[np.ndarray] = []
    for char in obs[1:]:
        leading = tables.leads_on[live]
        before, before_scores = live[leading], scores[leading]
        expected = tables.follows[before].any(axis=0)
        allowed, emission = tables.character(char)
        reachable = allowed & expected
        if not reachable.any():
            reachable = expected if expected.any() else tables.every_state
        live = np.flatnonzero(reachable)
        # transition[before][:, live] in one gather from the flat table
        table = (before_scores[:, None] + tables.flat_transition[before[:, None] * size + live]) + emission[live]
        best = len(before) - 1 - table[::-1].argmax(axis=0)  # the last maximum: see _last_argmax
        scores = table[best, np.arange(len(live))]
        pointer = np.full(size, -1)
        pointer[live] = before[best]
        pointers.append(pointer)
    best = int(_last_argmax(scores))
    state = int(live[best])
    route = [state]
    for pointer in reversed(pointers):
        state = int(pointer[state])
        route.append(state)
    route.reverse()
    return float(scores[best]), [tables.states[i] for i in route]


@lru_cache(maxsize=1 << 16)
def route(obs: str) -> tuple[tuple[str, str], ...]:
    """``viterbi``'s route for ``obs``, remembered per process: the HMM reads the stretches
    jieba's dictionary does not cut, mostly names, and those recur across a library (a fifth of
    them at 10x the seeds are met again, in runs that differ elsewhere)."""
    return tuple(viterbi(obs)[1])


class _Tagger(pseg.POSTokenizer):
    """jieba's POSTokenizer whose HMM step (its private ``__cut``) uses the Viterbi above."""

    def _POSTokenizer__cut(self, sentence):  # jieba's __cut, line for line, with our viterbi
        pos_list = route(sentence)
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
    hmm_tables()  # built here, so that worker processes forked after a warm-up share it
    return fast

"""/compare: open versus closed ranks the verdicts read at build time; headings and speakers
inform weak passages; every placed passage says why; any other pair is a topic search."""

import json

import pytest

from bot.commands.dispatch import ask
from bot.config import Settings
from bot.search.library import Library

SECTIONED = """开源与闭源之争

## 开源与闭源：并非对立而是共存

在很多企业里，开源模型承担内部工具的工作，对外的服务则交给闭源模型。

这家公司上个月刚刚开源了一个小模型。

## 闭源的优势

闭源模型在客服场景里表现更稳定。

## 访谈

张三：从长远看，开源终将赢到最后，闭源的护城河并不存在。

张三：开源社区的人越来越多，很多项目都挺有价值。

李四：开源大模型其实是一种智商税，企业还是应该选择闭源。

李四：开源模型追不上闭源模型，差距反而在拉大。

张三：开源让每个公司都用得起最好的技术，成本更低。
"""

SPEAKERS = """speakers:
  - {name: 张三, name_en: Zhang San}
  - {name: 李四, name_en: Li Si}
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("compare")
    seeds, config = root / "seeds", root / "config"
    seeds.mkdir()
    config.mkdir()
    (seeds / "debate.md").write_text(SECTIONED, encoding="utf-8")
    (config / "speakers.yaml").write_text(SPEAKERS, encoding="utf-8")
    for name in ("stance.yaml", "glossary.yaml", "settings.yaml"):
        source = Settings().config_dir / name
        if source.exists():
            (config / name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    settings = Settings(config_dir=config, seeds_dir=seeds)
    return Library.load(settings), settings


def passage(library, words):
    return next(p for p in library[0].corpus.passages if words in p.text)


def test_verdicts_are_read_once_at_build_and_live_on_the_passages(library):
    assert passage(library, "终将赢到最后").stance == "open"
    assert passage(library, "智商税").stance == "closed"
    assert passage(library, "上个月刚刚开源了").stance is None  # news that only names the subject


def test_a_heading_speaks_for_a_weak_paragraph_under_it(library):
    placed = passage(library, "承担内部工具")
    assert placed.stance == "both"
    assert "heading" in placed.stance_reason


def test_a_speakers_clear_stance_informs_their_weaker_passage(library):
    weak = passage(library, "很多项目都挺有价值")
    assert weak.speaker == "张三" and weak.stance == "open"
    assert "张三" in weak.stance_reason


def test_compare_open_closed_columns_grouped_by_speaker_strongest_first(library):
    reply = ask("/compare open closed", *library, limit=20)
    sides = {s.label: s for s in reply.sides}
    assert [s.label for s in reply.sides][:2] == ["open", "closed"] and "both" in sides
    for side in reply.sides:
        speakers = [h.speaker for h in side.results]
        assert speakers == sorted(speakers, key=speakers.index)  # each speaker's passages together
        firsts = [next(h for h in side.results if h.speaker == s) for s in dict.fromkeys(speakers)]
        assert [h.score for h in firsts] == sorted((h.score for h in firsts), reverse=True)
        for speaker in dict.fromkeys(speakers):
            own = [h.score for h in side.results if h.speaker == speaker]
            assert own == sorted(own, reverse=True)
    assert {h.speaker for h in sides["closed"].results} >= {"李四"}
    assert all(h.stance == side.label for side in reply.sides for h in side.results)


def test_columns_ranked_over_the_table_equal_the_order_over_passage_objects(library):
    """/compare ranks the saved verdict columns with numpy; the order is the one a sort of the
    Passage objects gives (speakers grouped, strongest first, ties in library order)."""
    from bot.commands.compare import STANCE_ORDER, grouped_by_speaker, stance_columns
    from bot.corpus.models import Corpus

    corpus = library[0].corpus
    objects = Corpus(tuple(corpus.documents), corpus.speakers)
    assert corpus.table is not None
    for limit in (None, 2):
        over_table = stance_columns(corpus, limit)
        expected = {s: grouped_by_speaker([p for p in corpus.passages if p.stance == s], limit) for s in STANCE_ORDER}
        assert over_table == expected == stance_columns(objects, limit)
    assert sum(map(len, stance_columns(corpus).values())) >= 5


def test_each_placed_result_carries_its_reason_in_json(library):
    data = ask("/compare 開源 閉源", *library, limit=5).as_json()
    results = [r for side in data["sides"] for r in side["results"]]
    assert results and all(r["stance_reason"] for r in results)
    closed = next(s for s in data["sides"] if s["label"] == "closed")
    assert any("智商税" in r["stance_reason"] for r in closed["results"])
    json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize(
    "line",
    ["/compare open closed", "/compare 开源 vs 闭源", "/compare 开源和闭源", "/compare 开源与闭源", "/compare 对比 开源 闭源",
     "/compare open, closed", "/compare open-source versus proprietary", "compare 開源 閉源"],
)
def test_every_way_of_asking_reads_open_against_closed(library, line):
    reply = ask(line, *library)
    assert [s.label for s in reply.sides][:2] == ["open", "closed"] and reply.found


def test_the_closed_side_first_when_asked_first(library):
    reply = ask("/compare 闭源 vs 开源", *library)
    assert [s.label for s in reply.sides][:2] == ["closed", "open"]


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ("/compare open open", "two different topics"),
        ("/compare 开源 vs open source", "both name the open side"),
        ("/compare Meta", "two topics"),
        ("/compare open", "/compare open closed"),
        ("/compare a, b, c", "not 3"),
        ("/compare " + "很长的话题" * 30 + " vs " + "另一个很长的话题" * 30, "too long"),
    ],
)
def test_bad_lines_get_a_one_line_hint_never_an_exception(library, line, hint):
    from bot.commands.results import UsageError

    try:
        reply = ask(line, *library)
    except UsageError as error:
        message = str(error)
    else:
        assert not reply.found and reply.help_text
        message = " ".join(reply.notes)
    assert hint in message and "\n" not in message


def test_long_topics_that_name_both_sides_are_read_as_open_closed(library):
    line = "/compare what people argue for open source models vs what they argue for closed source models"
    reply = ask(line, *library)
    assert [s.label for s in reply.sides][:2] == ["open", "closed"]


def test_any_other_two_topics_are_searched(library):
    reply = ask("/compare 客服 技术", *library)
    first, second = reply.sides
    assert first.label == "客服" and "客服" in first.results[0].passage.text
    assert second.label == "技术" and "技术" in second.results[0].passage.text

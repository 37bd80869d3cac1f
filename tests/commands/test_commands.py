"""quote, who-said and compare as plain functions, on a small library built for each test module."""

import pytest

from bot.commands.dispatch import answer, ask
from bot.commands.parse import Request
from bot.commands.results import UsageError
from bot.config import Settings
from bot.search.library import Library

INTERVIEW = """访谈：开源的未来

记者：你怎么看开源？

张三：开源降低了成本，也加速了创新。

我们还要继续投入社区，因为社区就是护城河。

李四表示，“闭源模型更强大，推理成本更低，企业还是应该选择闭源。”
"""

ESSAY = """王五說，“開放原始碼讓每個人都能受益，這是我們堅信的。”

這是作者的敘述，講的是一家公司如何把兩者結合起來，開源做基礎，閉源做服務，相互補充。
"""

SPEAKERS = """speakers:
  - {name: 张三, aliases: [張三], name_en: Zhang San, role: 开源基金会主席}
  - {name: 李四, aliases: [李四], name_en: Li Si, role: 创业公司CEO}
  - {name: 王五, aliases: [王五], name_en: Wang Wu}
  - {name: 记者, aliases: [記者], name_en: Reporter}
"""

CORPUS = """documents:
  interview: {title: 开源访谈, outlet: 测试周刊, author: 赵六, date: "2024-01-02", url: "https://example.com/a", script: Simplified}
  essay: {title: 開源隨筆, author: null, script: Traditional}
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = tmp_path_factory.mktemp("lib")
    seeds, config = root / "seeds", root / "config"
    seeds.mkdir()
    config.mkdir()
    (seeds / "interview.txt").write_text(INTERVIEW, encoding="utf-8")
    (seeds / "essay.txt").write_text(ESSAY, encoding="utf-8")
    (config / "speakers.yaml").write_text(SPEAKERS, encoding="utf-8")
    (config / "corpus.yaml").write_text(CORPUS, encoding="utf-8")
    for name in ("stance.yaml", "glossary.yaml"):
        source = Settings().config_dir / name
        if source.exists():
            (config / name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    settings = Settings(config_dir=config, seeds_dir=seeds)
    return Library.load(settings), settings


def run(small, line, **kwargs):
    library, settings = small
    return ask(line, library, settings, **kwargs)


def test_quote_finds_the_passage_with_speaker_and_source(small):
    reply = run(small, "/quote 降低成本 加速创新")
    top = reply.results[0]
    assert "开源降低了成本" in top.passage.text
    assert top.speaker == "张三" and top.speaker_role == "开源基金会主席"
    assert (top.source.title, top.source.outlet, top.source.url) == ("开源访谈", "测试周刊", "https://example.com/a")
    assert top.highlights and all(0 <= s < e <= len(top.display_text) for s, e in top.highlights)


def test_quote_shows_passages_in_the_script_of_the_query(small):
    simplified = run(small, "/quote 开放原始码 受益").results[0]
    traditional = run(small, "/quote 開放原始碼 受益").results[0]
    assert simplified.passage.id == traditional.passage.id
    assert "开放" in simplified.display_text and "開放" in traditional.display_text


def test_quote_pages_with_an_offset(small):
    library, settings = small
    first = answer(Request("quote", "开源"), library, settings, limit=1)
    second = answer(Request("quote", "开源"), library, settings, limit=1, offset=1)
    assert first.total == second.total >= 2
    assert first.results[0].passage.id != second.results[0].passage.id
    past_the_end = answer(Request("quote", "开源"), library, settings, limit=1, offset=first.total)
    assert past_the_end.results == () and not past_the_end.has_more


def test_who_said_names_the_speaker_of_the_exact_quotation(small):
    reply = run(small, "/who-said 闭源模型更强大 推理成本更低")
    assert reply.found and reply.results[0].speaker == "李四"
    assert "闭源模型更强大" in reply.results[0].quotation_text
    assert reply.confidence >= small[1].who_said_threshold


def test_who_said_follows_an_interview_label_to_the_next_paragraph(small):
    reply = run(small, "/who-said 我们还要继续投入社区")
    assert reply.found and reply.results[0].speaker == "张三"


def test_who_said_across_scripts(small):
    reply = run(small, "/who-said 开放原始码让每个人都能受益")
    assert reply.found and reply.results[0].speaker == "王五"


def test_who_said_never_names_someone_for_words_the_library_lacks(small):
    reply = run(small, "/who-said 明天下午三点在火车站见面吧")
    assert not reply.found
    assert any("does not hold" in note for note in reply.notes)


def test_compare_open_closed_by_stance(small):
    reply = run(small, "/compare 开源 闭源")
    sides = {side.label: side for side in reply.sides}
    assert [s.label for s in reply.sides][:2] == ["open", "closed"]
    assert any(h.speaker == "张三" for h in sides["open"].results)
    assert any(h.speaker == "李四" for h in sides["closed"].results)
    assert "both" in sides and sides["both"].results


def test_compare_two_topics_side_by_side(small):
    reply = run(small, "compare 社区 推理")
    first, second = reply.sides
    assert first.label == "社区" and "社区" in first.results[0].passage.text
    assert second.label == "推理" and "推理" in second.results[0].passage.text


@pytest.mark.parametrize("line", ["/quote ?!。", "/quote 😀🎉", "/who-said \x00\x01", "/quote \u200b"])
def test_queries_with_nothing_to_search_get_no_match_and_help(small, line):
    reply = run(small, line)
    assert not reply.found and reply.results == () and reply.help_text


def test_a_huge_query_is_cut_with_a_note(small):
    reply = run(small, "/quote " + "开源" * 5000)
    assert any("characters" in note for note in reply.notes)
    assert len(reply.query) <= small[1].max_query_chars


def test_unknown_command_is_a_usage_error(small):
    with pytest.raises(UsageError):
        run(small, "/frobnicate 开源")


def test_help_has_examples_in_both_languages(small):
    reply = run(small, "help")
    assert "/quote" in reply.help_text and "对比" in reply.help_text

"""Each cleaning step on small inline strings, then the whole corpus grepped for leftovers."""

import re

import pytest

from bot.corpus import chrome
from bot.corpus.blocks import blocks_of, looks_like_heading, split_lines
from bot.corpus.markup import inline_markup, join_table_row, split_front_matter
from bot.corpus.passages import MAX_PASSAGE_CHARS, split_long
from bot.corpus.pinyin_notes import PINYIN_NOTE, strip_pinyin_notes
from bot.corpus.traced import Traced


def clean(text: str) -> str:
    return strip_pinyin_notes(Traced.of(text)).text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("開(kāi)源", "開源"),
        ("創(chuàng)業(yè)邦", "創業邦"),
        ("以O(shè)penAI和Anthropic為首", "以OpenAI和Anthropic為首"),
        ("“構建模塊” (building blocks)。", "“構建模塊” (building blocks)。"),
        ("騰訊科技(ID:qqtech),作者", "騰訊科技(ID:qqtech),作者"),
        ("產出物(artifact)是軟件", "產出物(artifact)是軟件"),
        ("林納斯·托瓦茲(Linus Torvalds)是", "林納斯·托瓦茲(Linus Torvalds)是"),
        ("人工智能(AI)社區(qū)", "人工智能(AI)社區"),
    ],
)
def test_pinyin_notes_go_and_real_parentheses_stay(raw, expected):
    assert clean(raw) == expected


def test_stripping_notes_keeps_raw_offsets():
    traced = strip_pinyin_notes(Traced.of("xx開(kāi)源yy", start=100))
    assert traced.text == "xx開源yy"
    assert traced.raw_span(2, 4) == (102, 109)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("据[澎湃新闻](https://sspai.com/link?target=x%3A)统计", "据澎湃新闻统计"),
        ("**但 Grok-1 开源之后。**根据", "但 Grok-1 开源之后。根据"),
        ("你就會發現,最好還是去選擇閉源模型。”</p>", "你就會發現,最好還是去選擇閉源模型。”"),
        ("前文![](https://x/y.png)后文", "前文后文"),
        ("见[维基](https://zh.wikipedia.org/wiki/a_(b))的定义", "见维基的定义"),
    ],
)
def test_inline_markup_keeps_the_words(raw, expected):
    assert inline_markup(Traced.of(raw)).text == expected


def test_front_matter_is_metadata_not_text():
    lines = split_lines(Traced.of("---\ntitle: |\n  大模型时代\nauthor: |\n  MarvinCui\n---\n\n正文。"))
    fields, rest = split_front_matter(lines)
    assert fields == {"title": "大模型时代", "author": "MarvinCui"}
    assert [line.text for line in rest if line.text] == ["正文。"]


def test_table_rows_become_readable_passages():
    assert join_table_row(["方面", "开源", "闭源"], ["定义", "公开源代码", "私有"]) == "定义 — 开源：公开源代码；闭源：私有"


@pytest.mark.parametrize(
    "line",
    [
        "打開網易新聞 查看精彩圖片",
        "打开网易新闻 查看精彩图片",
        "首页 AI对话 资讯 我的",
        "来源:微信公众号 产业家 更新时间2024-11-29 08:58:46 点击数:",
        "編者按:本文來自微信公眾號 騰訊科技(ID:qqtech),作者:博陽,編輯:鄭可君,創業邦經授權轉載。",
        "本文為專欄作者授權創業邦發表,版權歸原作者所有。文章系作者個人觀點,轉載請聯系原作者。",
    ],
)
def test_site_chrome_is_recognised(line):
    assert chrome.is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "首先要澄清一个常见的误解。",
        "Jim Zemlin:我認為它更強大了。",
        "开源AI背后的商业密码",
        "作者认为开源更好。",
        "這是本刊轉載的文章作者:張三\\李四譯者:王五(有刪減)",  # a byline is text (and metadata), not chrome
    ],
)
def test_article_text_is_not_chrome(line):
    assert not chrome.is_chrome(line)


def test_author_bio_under_avatar_is_dropped():
    assert chrome.is_bio_line(" 😴 Human-shaped Slacker /  Hardcore Apple Enthusiast / 🧠 Neuroscience&Psychology")
    assert not chrome.is_bio_line("开源/闭源/混合，三种模式各有优劣。")


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("AI時代開源的獨特性和挑戰", True),
        ("一、AI开源软件与闭源软件的虚假对立", True),
        ("騰訊科技:有。", False),
        ("用一张表格我们就可以清晰、明了的知道两者之间的区别：", False),
        ("然而,監管者會以同樣的眼光看待它嗎?", False),
    ],
)
def test_heading_heuristic(line, heading):
    assert looks_like_heading(line) is heading


def test_blocks_of_a_markdown_export():
    text = (
        "# 标题\n#Omnivore\n[Read Original](https://example.com/p)\n---\n## 引言\n"
        "![](https://x/a.png)\n图片说明\n\n"
        "| 方面 | 开源 | 闭源 |\n| --- | --- | --- |\n| 定义 | 公开 | 私有 |\n\n"
        "> Q：怎么看？\n> \n> A：很好。\n\n1. **要点**：内容。\n正文一段。\n"
    )
    blocks = blocks_of(split_lines(Traced.of(text)))
    assert [(b.kind, b.text.text) for b in blocks] == [
        ("heading", "标题"),
        ("heading", "引言"),
        ("caption", "图片说明"),
        ("table-row", "定义 — 开源：公开；闭源：私有"),
        ("quote", "Q：怎么看？"),
        ("quote", "A：很好。"),
        ("list-item", "要点：内容。"),
        ("paragraph", "正文一段。"),
    ]


def test_very_long_paragraphs_split_at_sentence_ends():
    sentence = "开源加速了创新，也降低了成本。"
    traced = Traced.of(sentence * 60)
    pieces = split_long(traced)
    assert len(pieces) > 1
    assert all(len(p) <= MAX_PASSAGE_CHARS for p in pieces)
    assert all(p.text.endswith("。") for p in pieces)
    assert "".join(p.text for p in pieces) == traced.text


# ---- the whole bundled corpus: no artifact of any kind is left

ARTIFACTS = {
    "pinyin note": PINYIN_NOTE,
    "markdown link or image": re.compile(r"\]\(|!\["),
    "bold marker": re.compile(r"\*\*"),
    "html tag": re.compile(r"</?p>"),
    "heading marker": re.compile(r"^#"),
    "blockquote marker": re.compile(r"^>"),
    "table pipe": re.compile(r"^\||\|$"),
    "news app banner": re.compile(r"查看精彩(圖|图)片"),
    "nav bar": re.compile(r"首页 AI对话"),
    "source line": re.compile(r"更新时间|点击数"),
    "editor's note": re.compile(r"編者按|经授权|經授權"),
    "copyright footer": re.compile(r"版權歸原作者|版权归原作者"),
    "front matter": re.compile(r"date_saved|^title:|Read on Omnivore|Read Original"),
    "author bio": re.compile(r"Human-shaped Slacker"),
    "mojibake": re.compile(r"[\ue000-\uf8ff\ufffd]|\?\(|敝袊|谧鲆患"),
}


@pytest.mark.parametrize("artifact", sorted(ARTIFACTS))
def test_no_artifact_left_in_the_cleaned_corpus(bundled_corpus, artifact):
    pattern = ARTIFACTS[artifact]
    leftovers = [p.id for p in bundled_corpus.passages if pattern.search(p.text)]
    assert leftovers == []


def test_headings_are_not_passages(bundled_corpus):
    texts = {p.text for p in bundled_corpus.passages}
    headings = {h for document in bundled_corpus.documents for h in document.headings}
    assert "AI時代開源的獨特性和挑戰" in headings and "结语" in headings
    assert not texts & headings


def test_raw_spans_point_into_the_seed(bundled_corpus):
    for document in bundled_corpus.documents:
        raw = open(document.path, encoding="utf-8").read()
        for passage in document.passages:
            start, end = passage.raw_span
            assert 0 <= start < end <= len(raw)
            # the span begins where the passage's words begin (markup such as ** may precede them)
            assert passage.text[0] in raw[start:start + 3] or passage.kind == "table-row"
            assert end - start >= len(passage.text) * 0.8

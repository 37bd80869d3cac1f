"""The header under an article's title: outlet, author, translator, date and link, in both
scripts and in English, and the lines that are not a header (a body sentence naming 来源 or 记者).
Every header here is invented."""

from __future__ import annotations

import pytest

from bot.corpus.attribution.lexicon import load_lexicon
from bot.corpus.file_metadata import HeaderLine, load_header_labels, read_header
from bot.corpus.file_metadata.dates import find_date

BODY = "新品发布后，公司股价在当天收盘时上涨了百分之三。"


def header(*lines: str):
    return read_header([HeaderLine(line, line) for line in lines], load_header_labels(), load_lexicon())


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # a source line with outlet and date (time of day dropped), then a reporter
        (("星河电池公布新路线图", "来源：东溪商报  2027-03-08 09:15", "记者：柏云舟", BODY),
         {"outlet": "东溪商报", "date": "2027-03-08", "author": "柏云舟"}),
        (("星河電池公布新路線圖", "來源：東溪商報  2027-03-08", "記者 柏雲舟", BODY),
         {"outlet": "東溪商報", "date": "2027-03-08", "author": "柏雲舟"}),
        # other source labels; an issue number is no date; an ideographic space after the label
        (("标题", "出处：《青禾月刊》2027年第4期", "本刊记者　甘露白", BODY), {"outlet": "青禾月刊", "author": "甘露白"}),
        (("标题", "稿源：南汀晚报", "文／岑小舟", BODY), {"outlet": "南汀晚报", "author": "岑小舟"}),
        (("标题", "原载：某协会内刊《芦笛》2027年5月号", BODY), {"outlet": "某协会内刊《芦笛》", "date": "2027-05"}),
        (("標題", "來源：《北澳學生報》第一二三期  2027年3月9日", "學生記者　鍾小禾", BODY),
         {"outlet": "北澳學生報", "date": "2027-03-09", "author": "鍾小禾"}),
        # an outlet and its issue without a label, under the title (never the title itself)
        (("标题", "《青禾月刊》2027年第4期", "文／岑小舟", BODY), {"outlet": "青禾月刊", "author": "岑小舟"}),
        (("标题", "旅人月刊 2027年12月号", BODY), {"outlet": "旅人月刊", "date": "2027-12"}),
        (("AI周报 2027年第4期", BODY), {}),
        # a reporter and the place they report from; two reporters; an intern after them
        (("标题", "本报记者 甄小川 宁波报道", BODY), {"author": "甄小川"}),
        (("標題", "記者 蕭逸安／花蓮報導", BODY), {"author": "蕭逸安"}),
        (("标题", "记者 甘小满 骆一川", BODY), {"author": "甘小满, 骆一川"}),
        (("标题", "本社记者 关小树 实习生 韦一禾", BODY), {"author": "关小树"}),
        # the author and the translator; the author over the reporter
        (("标题", "原文作者：Hannah Whitlow  编译：房一苇", BODY), {"author": "Hannah Whitlow", "translator": "房一苇"}),
        (("標題", "原作者：Tomas Kerrigan　譯者：龔雨澄", BODY), {"author": "Tomas Kerrigan", "translator": "龔雨澄"}),
        (("标题", "特约撰稿 林一舟", BODY), {"author": "林一舟"}),
        # 口述 and 整理: the author is the one whose words and view they are
        (("标题", "口述：欧阳北辰  整理：苗一禾", BODY), {"author": "欧阳北辰"}),
        (("标题", "整理：苗一禾", BODY), {"author": "苗一禾"}),
        # English
        (("Harbour chipmaker opens its model", "By Jane Marlowe and Peter Quill", BODY), {"author": "Jane Marlowe, Peter Quill"}),
        (("Harbour chipmaker opens its model", "By Jane Marlowe, Staff Reporter", BODY), {"author": "Jane Marlowe"}),
        (("Harbour chipmaker opens its model", "Jane Marlowe | Harbour Ledger | March 3, 2027", BODY),
         {"author": "Jane Marlowe", "outlet": "Harbour Ledger", "date": "2027-03-03"}),
        (("Title", "Source: Quayside Tech Wire  14 Nov 2027", BODY), {"outlet": "Quayside Tech Wire", "date": "2027-11-14"}),
        # a link, at the top or at the end
        (("标题", "原文链接：https://example.org/p/123", BODY), {"url": "https://example.org/p/123"}),
        (("标题", BODY, "又一段正文，说的是第二天的情况。", "原文鏈接：https://example.org/p/9"), {"url": "https://example.org/p/9"}),
        # the reporter in the first paragraph's dateline
        (("标题", "本报讯（记者 冼一鸣）3月2日，公司宣布新品上市。"), {"author": "冼一鸣"}),
    ],
)
def test_header_fields(lines, expected):
    assert header(*lines).fields == expected


def test_header_lines_are_known_and_the_body_is_not():
    read = header("星河电池公布新路线图", "来源：东溪商报  2027-03-08", "记者：柏云舟", BODY, "来源：据公司年报")
    assert read.lines == {"来源：东溪商报  2027-03-08", "记者：柏云舟"}


@pytest.mark.parametrize(
    "lines",
    [
        # a body sentence that mentions 来源 or 记者 stays body
        ("标题", "来源：据公司公布的年报，今年营收增长了三成。", BODY),
        ("标题", "记者从会上获悉，新规将于下月施行。", BODY),
        ("標題", "記者：為什麼選在這個時候開放權重？", BODY),
        # an interview turn ending on a colon-free question; a credit line after the body has begun
        ("标题", BODY, "记者 柏云舟", "第三段正文在此，讲的是后来的事。"),
        # a line with a label nobody knows, and nothing known
        ("标题", "心情：不错", BODY),
    ],
)
def test_body_is_never_a_header(lines):
    read = header(*lines)
    assert read.fields == {} and not read.lines & set(lines[1:])


def test_a_credit_line_with_an_unknown_label_beside_a_known_one_is_header():
    read = header("标题", "看板：软件工作 作者：lanternfish42（灯鱼）", BODY)
    assert read.fields == {"author": "lanternfish42"}


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2027-03-08 09:15", "2027-03-08"), ("2027/3/8", "2027-03-08"), ("2027.03.08", "2027-03-08"),
        ("2027年3月8日", "2027-03-08"), ("2027年12月号", "2027-12"), ("March 3, 2027", "2027-03-03"),
        ("3 March 2027", "2027-03-03"), ("Nov. 14, 2027", "2027-11-14"), ("2027年第10期", None), ("第412期", None),
        ("2027-13-40", None),
    ],
)
def test_dates_to_iso(written, iso):
    found = find_date(written)
    assert (found.iso if found else None) == iso

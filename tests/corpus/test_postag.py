"""The fast tagger gives jieba.posseg's tags exactly: same words, same tags, names included."""

import jieba.posseg as pseg

from bot.corpus.attribution.postag import tagger

TEXTS = [  # invented narration: names jieba does not know, roles, mixed scripts, digits and Latin
    "北岭数据创始人韩立舟表示开源模型的权重应当公开",
    "欧阳明哲教授认为闭源团队的优势在于集中算力",
    "施乐恒在会上说我们会开放接口给合作伙伴使用",
    "星河智算首席技术官邵博文直言不讳地指出问题所在",
    "評論者韓驍指出所謂的半開源往往只公開推理代碼",
    "GPT4和Llama3在2024年的对比测试中各有胜负",
    "钱卫东与李岱川共同创办了这家公司",
    "努尔艾哈迈德研究员接受采访时也表示担忧",
    "一二三四五六七八九十",
    "周鸿祎",
]


def test_every_text_is_tagged_as_jieba_tags_it():
    fast = tagger()
    for text in TEXTS:
        assert [tuple(p) for p in fast.cut(text)] == [tuple(p) for p in pseg.cut(text)], text


def test_names_are_still_tagged_as_people():
    tags = dict(tuple(p) for p in tagger().cut("北岭数据创始人韩立舟表示"))
    assert any(flag.startswith("nr") for flag in tags.values())


def test_viterbi_gives_jiebas_probability_and_route():
    from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P
    from jieba.posseg.viterbi import viterbi as jieba_viterbi

    from bot.corpus.attribution.postag import viterbi

    rare = next(c for c in map(chr, range(0x4E00, 0x9FA6)) if c not in char_state_tab_P)  # no listed states
    for text in [*TEXTS, "韩", "立舟", rare, rare * 3 + "说", "说" + rare + "了"]:
        assert viterbi(text) == jieba_viterbi(text, char_state_tab_P, start_P, trans_P, emit_P), text

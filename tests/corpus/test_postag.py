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

"""A small hand-made library (both scripts, English, speakers) so matching paths can be tested exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus.models import Corpus, Document, Passage, Source, Speaker
from bot.search.index import Index
from bot.search.vocabulary import Vocabulary

TEXTS = {
    "trad": [
        "開源軟體讓每個人都能看到程式碼，網路上的資訊也因此更加透明。",
        "李彥宏認為閉源模型更有商業價值，開源模型是一種智商稅。",
        "這是一個關於晶片出口管制的段落，與開源無關。",
    ],
    "simp": [
        "闭源模型的护城河正在消失，开源社区追赶得很快。",
        "扎克伯格表示，Meta会继续开源Llama模型，让开发者免费使用。",
        "Kubernetes 和 Linux 都是云计算时代的基础设施。",
        "这家公司去年花了三千万美元购买显卡，用来训练新模型。",
        "这家初创公司一鸣惊人，发布了新的开源模型。",
        "微软曾经把Linux视为癌症，如今却成了开源世界最大的贡献者之一。",
        "监管机构担心大模型会被滥用，于是要求公司提交安全报告。",
        "数据中心的电力消耗越来越大，很多公司开始自建发电厂。",
        "Databricks 围绕 Apache Spark 建立了托管平台和增值服务。",
        "许多研究人员离开大公司，去创办自己的初创企业。",
    ],
}

GLOSSARY = """\
# test glossary
terms:
  open source: [开源]
  closed source: [闭源]
  moat: 护城河
  IQ tax: 智商税
  graphics card: [显卡, GPU]
  regulator: [监管机构]
words:
  - 大模型
"""

SPEAKERS = (
    Speaker(name="李彥宏", aliases=("李彦宏", "Robin Li"), name_en="Robin Li"),
    Speaker(name="扎克伯格", aliases=("朱克伯格", "小扎"), name_en="Mark Zuckerberg"),
)


def make_corpus(texts: dict[str, list[str]] = TEXTS, speakers=SPEAKERS) -> Corpus:
    documents = []
    for doc_id, paragraphs in texts.items():
        passages = tuple(
            Passage(id=f"{doc_id}:{n}", doc_id=doc_id, number=n, text=t, raw_span=(0, len(t)))
            for n, t in enumerate(paragraphs)
        )
        documents.append(Document(doc_id, f"{doc_id}.txt", Source(), passages))
    return Corpus(tuple(documents), speakers)


@pytest.fixture(scope="session")
def config_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("config")
    (folder / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return make_corpus()


@pytest.fixture(scope="session")
def vocabulary(config_dir, corpus) -> Vocabulary:
    return Vocabulary.load(config_dir, corpus)


@pytest.fixture(scope="session")
def index(corpus, vocabulary) -> Index:
    return Index.build(corpus, vocabulary)


def top_text(index: Index, query: str) -> str:
    matches = index.search(query, limit=3)
    assert matches, f"no match for {query!r}"
    return matches[0].passage.text

"""Libraries of awkward shapes: one passage, ten thousand identical ones, a 1 MB paragraph.

Each is built, saved as a folder, reopened from the mapped files, and searched: the answers
must be the right passages (one per near-duplicate group), never a crash.
"""

from __future__ import annotations

import random

import pytest

from bot.corpus.models import Corpus, Document, Passage, Source
from bot.search.index import Index
from bot.search.library import Library
from bot.search.saved import open_library, save
from bot.search.stored import StoredCorpus
from bot.search.vocabulary import Vocabulary

PARAGRAPH = "开源模型的护城河正在消失，社区追赶的速度比任何一家公司预想的都快。"


def corpus_of(documents: dict[str, list[str]], attributed: set[str] = frozenset()) -> Corpus:
    """Documents of bare passages; those in ``attributed`` carry a speaker, as a credited article does."""
    docs = []
    for doc_id, texts in documents.items():
        passages = tuple(
            Passage(id=f"{doc_id}:{n}", doc_id=doc_id, number=n, text=t, raw_span=(0, len(t)),
                    speaker="韩立舟" if doc_id in attributed else None)
            for n, t in enumerate(texts)
        )
        docs.append(Document(doc_id, f"{doc_id}.txt", Source(), passages))
    return Corpus(tuple(docs))


def reopened(corpus: Corpus, config_dir, tmp_path) -> Library:
    vocabulary = Vocabulary.load(config_dir, corpus)
    index = Index.build(corpus, vocabulary)
    save(Library(StoredCorpus.of(corpus, index.passages), vocabulary, index), tmp_path / "saved", "k")
    return open_library(tmp_path / "saved", "k")


def test_a_library_of_one_passage(config_dir, tmp_path):
    library = reopened(corpus_of({"only": [PARAGRAPH]}), config_dir, tmp_path)
    [match] = library.index.search("护城河正在消失")
    assert match.passage.id == "only:0" and match.score == 1.0 and match.also_in == ()
    assert library.index.search("量子计算机") == []
    assert [p.id for p in library.corpus.passages] == ["only:0"]


def test_ten_thousand_identical_passages_answer_once(config_dir, tmp_path):
    documents = {f"copy{n:03d}": [PARAGRAPH] * 100 for n in range(100)}
    library = reopened(corpus_of(documents, attributed={"copy042"}), config_dir, tmp_path)
    assert len(library.corpus.passages) == 10_000
    matches = library.index.search("护城河正在消失", limit=10)
    assert len(matches) == 1  # one group, shown once
    [match] = matches
    assert match.passage.id == "copy042:0"  # the attributed copy leads the group
    assert len(match.also_in) == 99 and "copy042" not in match.also_in


def test_near_copies_are_grouped_under_the_attributed_original(config_dir, tmp_path):
    rng = random.Random(3)
    original = PARAGRAPH * 2
    copies = {}
    for n in range(30):
        chars = list(original)
        chars[rng.randrange(len(chars))] = "啊"  # one character changed per copy
        copies[f"repost{n:02d}"] = ["".join(chars)]
    corpus = corpus_of({"zz_original": [original], **copies}, attributed={"zz_original"})
    library = reopened(corpus, config_dir, tmp_path)
    [first, *_] = library.index.search("社区追赶的速度比任何一家公司预想的都快")
    assert first.passage.doc_id == "zz_original"  # attributed, although it sorts last
    assert len(first.also_in) == 30


def test_different_passages_are_not_grouped(config_dir, tmp_path):
    texts = ["今天我们讨论开源模型和闭源模型各自的商业前景与风险。", "明天的议题是数据中心的电力消耗与冷却系统的改进方案。"]
    library = reopened(corpus_of({"a": texts[:1], "b": texts[1:]}), config_dir, tmp_path)
    groups = library.index.groups
    assert list(groups.leader) == [0, 1]


def test_a_one_megabyte_paragraph(config_dir, tmp_path):
    rng = random.Random(5)
    filler = "".join(rng.choice("数据模型开源社区公司市场技术发展研究") for _ in range(1_000_000))
    needle = "一段独一无二的引语藏在中间"
    text = filler[:500_000] + needle + filler[500_000:]
    library = reopened(corpus_of({"long": [text], "short": [PARAGRAPH]}), config_dir, tmp_path)
    [match, *_] = library.index.search(needle)
    assert match.passage.doc_id == "long" and match.score == 1.0
    start, end = match.highlights[0]
    assert match.passage.text[start:end] == needle
    assert library.index.search("护城河正在消失")[0].passage.doc_id == "short"


def test_the_passage_table_round_trips_every_field(config_dir, tmp_path, corpus):
    library = reopened(corpus, config_dir, tmp_path)
    assert list(library.corpus.passages) == list(corpus.passages)
    assert not library.index.postings.docs.flags.writeable  # mapped from the saved file, read-only


@pytest.mark.parametrize("count", [0, 1])
def test_empty_and_single_document_corpora_search_safely(config_dir, count):
    corpus = corpus_of({"d": [PARAGRAPH]} if count else {})
    index = Index.build(corpus, Vocabulary.load(config_dir, corpus))
    assert isinstance(index.search("开源"), list)
    assert index.search("") == []


def test_quote_shows_a_group_once_with_the_other_articles(config_dir, tmp_path):
    from bot.commands.quote import quote
    from bot.config import Settings

    documents = {f"copy{n}": [PARAGRAPH] for n in range(5)}
    library = reopened(corpus_of(documents, attributed={"copy3"}), config_dir, tmp_path)
    reply = quote("护城河正在消失", library, Settings(config_dir=config_dir))
    [hit] = reply.results
    assert hit.passage.doc_id == "copy3" and reply.total == 1
    assert hit.as_json()["also_in"] == ["copy0", "copy1", "copy2", "copy4"]


def test_a_reprinted_half_does_not_push_the_first_copy_down(config_dir, tmp_path):
    """Later files that reprint half of a passage beside other words (not near-copies, so not
    grouped) hold the query as fully as the original; among such equals the earlier passage leads."""
    half = "社区追赶的速度比任何一家公司预想的都快"
    original = "开源模型的护城河正在消失，各家公司都在重新计算投入与回报，" + half + "，这一点在过去一年里尤其明显。"
    others = ["电费上涨，", "监管趋严，"]
    documents = {"a_first": [original]} | {f"z_reprint{n}": [others[n % 2] + half + "。"] for n in range(6)}
    library = reopened(corpus_of(documents), config_dir, tmp_path)
    [first, *_] = library.index.search(half)
    assert first.passage.doc_id == "a_first"

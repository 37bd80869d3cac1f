"""Peer 1: tantivy (Rust BM25), set up as a competent engineer would for Chinese without our work.

Two fields per passage, both pre-analysed here and indexed with tantivy's whitespace tokenizer:

- ``words``: jieba words of the OpenCC-normalised text (NFKC, casefold, ``tw2sp``), punctuation
  dropped, so either script and full-width letters meet;
- ``grams``: character 1- and 2-grams of our folded text, so typos and segmentation
  mismatches still share most terms with the passage.

A query is analysed the same way and becomes one OR of term queries over both fields, scored
by tantivy's BM25. Term queries (not the query parser) keep punctuation in a query from
becoming syntax.

Built with a ``path``, the index is a directory on disk that ``TantivyPeer.open`` maps in a
fresh process (its restart), and each passage's doc id and text are stored in it, so an
opened index answers with ``StoredPassage`` values without the library.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import tantivy

from bot.corpus.models import Passage
from bot.chars import converter
from bot.search.normalise import fold

from bench.cases import StoredPassage
from bench.segment import segmenter

WRITER_HEAP = 256_000_000
WRITER_THREADS = 1  # the machine has 2 cores; the other is left to the OS and to us


def normalise(text: str) -> str:
    return converter("tw2sp").convert(unicodedata.normalize("NFKC", text).casefold())


def word_terms(text: str, cut) -> list[str]:
    return [w for w in cut(normalise(text)) if any(ch.isalnum() for ch in w)]


def gram_terms(text: str) -> list[str]:
    folded = fold(text)
    return list(folded) + [folded[i:i + 2] for i in range(len(folded) - 1)]


class TantivyPeer:
    name = "tantivy (BM25, jieba words + char 1-2-grams)"

    def __init__(self, passages: list[Passage], segmenter_name: str = "auto", path: Path | None = None):
        self.segmenter_name, self.cut = segmenter(segmenter_name)
        self.passages = passages
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("words", tokenizer_name="whitespace", index_option="freq")
        builder.add_text_field("grams", tokenizer_name="whitespace", index_option="freq")
        builder.add_integer_field("n", stored=True)
        builder.add_bytes_field("doc_id", stored=True)
        builder.add_bytes_field("text", stored=True)
        self.schema = builder.build()
        if path is not None:
            Path(path).mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(path)) if path is not None else tantivy.Index(self.schema)
        writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=WRITER_THREADS)
        for number, passage in enumerate(passages):
            writer.add_document(tantivy.Document(
                words=" ".join(word_terms(passage.text, self.cut)),
                grams=" ".join(gram_terms(passage.text)),
                n=number,
                doc_id=passage.doc_id.encode(),
                text=passage.text.encode(),
            ))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    @classmethod
    def open(cls, path: Path, segmenter_name: str = "auto") -> "TantivyPeer":
        """The index saved at ``path`` (memory-mapped by tantivy); hits come back as ``StoredPassage``."""
        peer = cls.__new__(cls)
        peer.segmenter_name, peer.cut = segmenter(segmenter_name)
        peer.passages = None
        peer.index = tantivy.Index.open(str(path))
        peer.schema = peer.index.schema
        peer.searcher = peer.index.searcher()
        return peer

    def query(self, text: str) -> tantivy.Query:
        clauses = []
        for field, terms in (("words", word_terms(text, self.cut)), ("grams", gram_terms(text))):
            for term in dict.fromkeys(terms):
                clauses.append((tantivy.Occur.Should, tantivy.Query.term_query(self.schema, field, term)))
        return tantivy.Query.boolean_query(clauses)

    def search(self, text: str, limit: int = 10) -> list:
        result = self.searcher.search(self.query(text), limit, count=False)
        docs = [self.searcher.doc(address) for _score, address in result.hits]
        if self.passages is not None:
            return [self.passages[doc["n"][0]] for doc in docs]
        return [StoredPassage(bytes(doc["doc_id"][0]).decode(), bytes(doc["text"][0]).decode()) for doc in docs]

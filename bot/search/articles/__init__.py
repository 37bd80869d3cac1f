"""The per-article half of a build, cached: each article's cleaning, attribution and passage
analysis depend only on its own bytes, its entry in ``config/corpus.yaml``, the code and the
config those stages read, so they are saved per article under a key hashing exactly those.

A rebuild after adding or changing one article re-does that article, then the stages that read
across documents (stance, postings, English dictionary, near-duplicates, saving) over the whole
library. Stages, each depending only on those above it: ``keys`` (what an entry depends on),
``store`` (entries on disk, written atomically), ``work`` (one article's document and analysis),
``load`` (the library's articles: cached ones read, the others computed on every core).

Nothing is imported here: ``bot.search.cache`` reads ``keys`` in processes that only open a saved
library and must not import the cleaning and attribution code (nor jieba).
"""

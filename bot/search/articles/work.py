"""One article's per-article work: its document (read, cleaned, split, attributed), the analysis
of its passages, and what the stance rules read in it on its own: the unit a worker process
computes and the store saves (the stance reading under a key of its own, see ``keys``)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Union

import jieba

from bot.config import ConfigError
from bot.corpus.attribution.postag import tagger
from bot.corpus.loader import ArticleConfig, read_document
from bot.corpus.mojibake import load_char_model
from bot.corpus.models import Document, LoadProblem
from bot.corpus.stance import Lexicon as StanceLexicon
from bot.corpus.stance import OwnReadings, read_alone
from bot.corpus.stance.lexicon import LEXICON_FILE, load_lexicon as load_stance_lexicon
from bot.search.analysis import Batch, analyse_batch
from bot.search.articles.keys import stance_key
from bot.search.articles.store import ArticleStore
from bot.search.build import document_script

Entry = tuple[Document, Batch]  # what the store holds for an article
Outcome = Union[Entry, LoadProblem]  # an article is either usable or has a reason it is not


@dataclass(frozen=True)
class StanceWords:
    """Where the stance lexicon is read from, and the digest of what its reading depends on (which
    also keys the lexicon loaded once per process: an edited word list is read again)."""

    config_dir: str
    digest: str

    def lexicon(self) -> StanceLexicon | None:
        return stance_lexicon(self.config_dir, self.digest)


@functools.lru_cache(maxsize=2)
def stance_lexicon(config_dir: str, digest: str) -> StanceLexicon | None:
    """The stance lexicon, once per process and digest; None when it is missing or broken: then
    no article is read here, and the stance stage reads them all and reports the problem."""
    if not (Path(config_dir) / LEXICON_FILE).exists():
        return None
    try:
        return load_stance_lexicon(Path(config_dir))
    except ConfigError:
        return None


def article_entry(path: Path, config: ArticleConfig, words: tuple[str, ...]) -> Outcome:
    """The document of ``path`` and its passages analysed with a segmenter carrying ``words``."""
    document = read_document(path, config)
    if isinstance(document, LoadProblem):
        return document
    script = document_script(document)
    return document, analyse_batch([(p.text, script) for p in document.passages], words)


def stance_alone(document: Document, stance: StanceWords | None) -> OwnReadings | None:
    """What the stance rules read in ``document`` on its own, or None without a usable lexicon."""
    lexicon = stance.lexicon() if stance is not None else None
    return read_alone((document,), lexicon) if lexicon is not None else None


def warm_up(words: tuple[str, ...], stance: StanceWords | None = None) -> None:
    """Build in this process what every article's work loads once per process (the mojibake
    character model, jieba's dictionary and tagger, the segmenter, the stance lexicon), so worker
    processes forked afterwards share them instead of each building its own (~3 CPU s each)."""
    model = load_char_model()
    model.followers, model.word_ends  # the indexes the slot decoder reads (lazy parts of the model)
    tagger()
    jieba.dt.check_initialized()
    analyse_batch([], words)  # builds and keeps the segmenter for ``words``
    if stance is not None:
        stance.lexicon()


def compute_share(share: list[tuple[int, Path, str | None]], config: ArticleConfig, words: tuple[str, ...],
                  store: ArticleStore | None, stance: StanceWords | None = None
                  ) -> list[tuple[int, Outcome, OwnReadings | None]]:
    """Articles (position, path, key) on one core, each with its stance reading; each usable one
    saved under its key as soon as it is done, so a build stopped half way keeps what it finished."""
    done = []
    for position, path, key in share:
        outcome = article_entry(path, config, words)
        alone = None
        if not isinstance(outcome, LoadProblem):
            alone = stance_alone(outcome[0], stance)
            if store is not None and key is not None:
                store.put(key, outcome)
                if alone is not None:
                    store.put(stance_key(key, stance.digest), alone)
        done.append((position, outcome, alone))
    return done

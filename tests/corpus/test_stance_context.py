"""Context at build: a heading names the side of the paragraphs under it; the saved library
carries the verdicts."""

from bot.config import DEFAULT_CONFIG_DIR
from bot.corpus.loader import load_corpus

ARTICLE = """# 社区观察

## 开源模型的优势

它让小团队也用得起最先进的技术，成本更低。

这家公司周二在杭州召开了发布会。

## 会场花絮

它让小团队也用得起最先进的技术，成本更低。
"""


def test_a_paragraph_that_names_no_side_speaks_of_its_headings_side(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.md").write_text(ARTICLE, encoding="utf-8")
    passages = load_corpus(seeds, DEFAULT_CONFIG_DIR).passages
    under_side, news, under_other = passages
    assert under_side.stance == "open" and "成本更低" in under_side.stance_reason
    assert news.stance is None  # says nothing of anything
    assert under_other.stance is None  # the same words under a heading that names no side


def test_verdicts_survive_the_saved_library(tmp_path):
    from bot.config import Settings
    from bot.search.cache import load_library, saved_path

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.md").write_text(ARTICLE, encoding="utf-8")
    settings = Settings(config_dir=DEFAULT_CONFIG_DIR, seeds_dir=seeds, cache_dir=tmp_path / "cache")
    built = load_library(settings)
    assert saved_path(settings).exists()
    saved = load_library(settings)  # read back from disk
    assert [(p.stance, p.stance_score, p.stance_reason) for p in saved.corpus.passages] == [
        (p.stance, p.stance_score, p.stance_reason) for p in built.corpus.passages
    ]
    assert saved.corpus.passages[0].stance == "open"


SPEAKER_ELSEWHERE = """林思远：开源模型的成本低得多，开源终将赢到最后，开源的优势太明显了。

林思远：我们的客户上个月全都搬到了自己的机房，账单少了一大半。

记者：您怎么看这件事？

这家公司周二在杭州召开了发布会。
"""


def test_the_model_may_place_a_passage_naming_no_side_when_its_speaker_argues_one_elsewhere(tmp_path):
    from bot.corpus.loader import load_documents
    from bot.corpus.stance import load_lexicon
    from bot.corpus.stance.context import read_in_context

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "905_talk.txt").write_text(SPEAKER_ELSEWHERE, encoding="utf-8")
    documents = load_documents(seeds, DEFAULT_CONFIG_DIR).documents
    view = read_in_context(documents, load_lexicon(DEFAULT_CONFIG_DIR))
    clear, story, question, news = [p for d in documents for p in d.passages]
    assert view.final[clear.id].stance == "open" and not view.readings[story.id].names_subject
    assert view.may_place(story)  # names no side, but its speaker argues open plainly
    assert not view.may_place(question) and not view.may_place(news)  # an aside; narration with no speaker
    assert view.final[story.id].stance is None  # the rules still place only what names the subject

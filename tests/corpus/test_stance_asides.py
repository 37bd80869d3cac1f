"""Questions and small talk are never placed: an interviewer's turns (labelled 记者：/Q：/主持人：,
or a voice whose turns are mostly questions) and greetings or thanks are asides, out of every
column, in the rules and the learned stage alike. Articles written here, invented people."""

from bot.config import DEFAULT_CONFIG_DIR
from bot.corpus.loader import load_corpus, load_documents
from bot.corpus.stance import load_lexicon
from bot.corpus.stance.context import read_in_context
from bot.corpus.stance.train import examples_from

LABELLED_INTERVIEW = """专访｜青岩智能创始人谈开放权重

记者：很多人说，开源模型迟早会被闭源模型甩开，您怎么看？

林思远：我不同意。开源模型的成本低得多，社区每周都在改进，开源终将赢到最后。

记者：有观点认为，开源之后大厂直接拿去用，你们什么也得不到。

林思远：大厂拿去用，说明我们的模型成了标准，这对开源生态是好事。

记者：最后，请您预测一下三年后的格局。

林思远：开放权重的模型会成为大多数企业的默认选择。

记者：谢谢您接受采访。

林思远：谢谢。
"""

# The host is named, not labelled as a host: her turns are mostly questions, so she asks; one
# of them is a remark that praises a side, and is hers, not the article's argument.
NAMED_HOST = """圆桌实录：中小企业怎么选模型

周岚：先请两位说说，贵公司现在用的是开源模型还是闭源接口？

唐一鸣：我们全用开源模型，自己部署，成本只有原来的五分之一，开源的优势太明显了。

周岚：闭源模型的稳定性确实更好，这一点大家都承认。

何静：对，闭源接口出了故障有人负责，这对银行来说最要紧，闭源更可靠。

周岚：那价格呢？越来越贵的调用费大家能接受吗？

唐一鸣：接受不了，所以我们才换成开源。
"""

# A podcast whose question and answer share a paragraph: the answer speaks, it is no aside.
QUESTION_WITH_ANSWER = """播客：开源框架的下一步

提问：你自己怎么看这两条路？韩晓：开源模型已经够好了，成本更低，而且会一直够好，开源终将赢到最后。

提问：那企业版呢？韩晓：企业版收费，核心框架继续开源。
"""

# Small talk under a heading that names a side: no column, however the heading reads.
SMALL_TALK = """# 开源模型的优势

大家好，欢迎各位来到现场。

谢谢。
"""


def _asides(tmp_path, name, text):
    seeds = tmp_path / "seeds"
    seeds.mkdir(exist_ok=True)
    (seeds / name).write_text(text, encoding="utf-8")
    documents = load_documents(seeds, DEFAULT_CONFIG_DIR).documents
    view = read_in_context(documents, load_lexicon(DEFAULT_CONFIG_DIR))
    return [p for d in documents for p in d.passages], view


def test_a_labelled_interviewers_questions_and_thanks_are_asides_and_the_answers_are_not(tmp_path):
    passages, view = _asides(tmp_path, "901_interview.txt", LABELLED_INTERVIEW)
    assert len(passages) == 8
    assert [p.id in view.asides for p in passages] == [p.text.startswith("记者") or p.text.endswith("谢谢。") for p in passages]
    assert all(view.final[p.id].stance is None for p in passages if p.id in view.asides)
    assert view.final[passages[1].id].stance == "open"  # the answer still argues


def test_a_named_host_who_mostly_asks_is_an_asker_even_when_she_remarks(tmp_path):
    passages, view = _asides(tmp_path, "902_roundtable.txt", NAMED_HOST)
    host = [p for p in passages if p.text.startswith("周岚")]
    guests = [p for p in passages if p.text.startswith(("唐一鸣", "何静"))]
    assert len(host) == 3 and all(p.id in view.asides for p in host)
    assert not any(p.id in view.asides for p in guests)
    assert view.final[host[1].id].stance is None  # 闭源模型的稳定性确实更好: her remark, not placed


def test_a_question_that_carries_its_answer_is_the_answers(tmp_path):
    passages, view = _asides(tmp_path, "903_podcast.txt", QUESTION_WITH_ANSWER)
    answered = [p for p in passages if "提问" in p.text]
    assert len(answered) == 2 and not any(p.id in view.asides for p in answered)
    assert view.final[answered[0].id].stance == "open"


def test_small_talk_is_placed_nowhere_even_under_a_heading_that_names_a_side(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "904_talk.md").write_text(SMALL_TALK, encoding="utf-8")
    passages = load_corpus(seeds, DEFAULT_CONFIG_DIR).passages
    assert passages and all(p.stance is None for p in passages)
    documents = load_documents(seeds, DEFAULT_CONFIG_DIR).documents
    assert read_in_context(documents, load_lexicon(DEFAULT_CONFIG_DIR)).asides == {p.id for p in passages}


def test_the_model_learns_nothing_from_an_aside(tmp_path):
    passages, _view = _asides(tmp_path, "901_interview.txt", LABELLED_INTERVIEW)
    documents = load_documents(tmp_path / "seeds", DEFAULT_CONFIG_DIR).documents
    labelled = [(p, "neutral" if p.text.startswith("记者") else "open", p.id) for p in passages]
    examples = examples_from(documents, labelled, load_lexicon(DEFAULT_CONFIG_DIR))
    assert [bool(x) for x in examples.learns] == [not p.text.startswith("记者") and not p.text.endswith("谢谢。") for p, _, _ in labelled]
    assert not examples.may_place[[i for i, (p, _, _) in enumerate(labelled) if p.text.startswith("记者")]].any()


# 观众 is a turn label of attribution's list (config/attribution.yaml question_labels) that
# stance's own list never held: one list now, so an audience member's question is an aside too.
AUDIENCE_QUESTION = """论坛实录：开源模型还能走多远

观众：开源模型是不是迟早会被闭源模型甩开？

严立：不会。开源模型的成本低得多，社区每周都在改进，开源终将赢到最后。
"""


def test_the_asker_turn_labels_are_attributions_one_list(tmp_path):
    passages, view = _asides(tmp_path, "902_forum.txt", AUDIENCE_QUESTION)
    assert [p.id in view.asides for p in passages] == [p.text.startswith("观众") for p in passages]
    assert view.final[passages[-1].id].stance == "open"


def test_a_stance_file_still_listing_question_labels_says_where_they_moved(tmp_path):
    import pytest

    from bot.config import ConfigError

    text = (DEFAULT_CONFIG_DIR / "stance.yaml").read_text(encoding="utf-8")
    (tmp_path / "stance.yaml").write_text(text.replace("asides:\n", "asides:\n  question_labels: [记者]\n", 1), encoding="utf-8")
    with pytest.raises(ConfigError, match="attribution.yaml"):
        load_lexicon(tmp_path)

"""The construction reader: "both" from each side given its own job (division of labour), limits
read for the model only, every piece of evidence naming the construction that carried it, and
the one Traditional -> Simplified fold (``bot.chars.TO_SIMPLIFIED``). Invented sentences, both scripts."""

from types import SimpleNamespace

import pytest
from opencc import OpenCC

from bot.chars import TO_SIMPLIFIED
from bot.commands.stance import stance_model_of
from bot.config import DEFAULT_CONFIG_DIR, ConfigError
from bot.corpus.stance import judge_text, load_lexicon
from bot.corpus.stance.polarity import CONSTRUCTIONS
from bot.corpus.stance.verdict import read_text
from bot.search.normalise import fold

TO_TRADITIONAL = OpenCC("s2t")


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(DEFAULT_CONFIG_DIR)


LABOUR = [
    "我们的做法是分工：写方案用闭源，跑批量用开源。",
    "客服问答交给本地的开源模型，对外的合同审阅调用闭源接口。",
    "开源模型负责内部检索，闭源服务负责面向客户的对话。",
]


@pytest.mark.parametrize("text", LABOUR + [TO_TRADITIONAL.convert(t) for t in LABOUR])
def test_each_side_given_its_own_job_is_both(lexicon, text):
    verdict = judge_text(text, lexicon)
    assert verdict.stance == "both"
    assert any(e.construction == "labour" for e in read_text(text, lexicon).evidence)
    assert verdict.reason  # the words that divided the work, quoted from the passage


@pytest.mark.parametrize("text", [
    "你们写方案用闭源，还是用开源？",  # a question asks, it does not divide
    "写方案用闭源比用开源贵三倍。",  # a comparison, read by polarity
    "用闭源接口，学生只能看到输入和输出；用开源模型，他们可以看每一层。",  # a contrast with a limit
    "写方案用闭源的团队有12家，用开源的有30家。",  # a tally counts who uses what
    "写方案不用闭源，用开源。",  # a use denied is no job given
])
def test_what_is_not_a_division_of_labour(lexicon, text):
    assert not any(e.construction == "labour" for e in read_text(text, lexicon).evidence)


def test_a_limit_is_read_for_the_model_but_places_nothing_by_rule(lexicon):
    text = "闭源模型出了怪事，你只能提工单，然后等。"
    evidence = read_text(text, lexicon).evidence
    assert [(e.side, e.construction) for e in evidence if e.construction == "limit"] == [("closed", "limit")]
    assert all(e.value < 0 for e in evidence if e.construction == "limit")  # bad for the side it is said of
    assert judge_text(text, lexicon).stance is None


@pytest.mark.parametrize("text, construction", [
    ("开源模型比闭源模型便宜得多。", "comparison"),
    ("企业应该选择开源模型。", "norm"),
    ("虽然闭源模型更稳定，但是开源模型更便宜。", "concession"),
    ("与其把模型锁起来，不如开源。", "rather"),
    ("难道开源模型会一直落后吗？", "rhetorical"),
])
def test_evidence_names_the_construction_that_carried_it(lexicon, text, construction):
    assert construction in CONSTRUCTIONS
    assert construction in {e.construction for e in read_text(text, lexicon).evidence}


def test_stance_folds_traditional_as_search_does(lexicon):
    assert TO_SIMPLIFIED == "tw2sp"
    for taiwanese, mainland in (("軟體", "软件"), ("網路", "网络"), ("伺服器", "服务器")):
        assert lexicon.fold(taiwanese) == mainland == fold(taiwanese)
    text = "程式碼開源了，隨身碟裡的模型也能跑。"  # phrases that change length: the fold keeps it
    assert len(lexicon.fold(text)) == len(text)
    assert lexicon.fold(text).startswith("程式码开源了")


def test_compare_reads_its_topic_words_from_the_library_it_is_given(lexicon, tmp_path):
    """No lexicon cached per config path: the one the library was opened with is used, and a
    library without one reads the config folder then (here empty: the same error as at start)."""
    settings = SimpleNamespace(config_dir=tmp_path)  # nothing there to read
    model = stance_model_of(SimpleNamespace(stance=lexicon), settings)
    assert (model.topic_stance("開源"), model.topic_stance("proprietary")) == ("open", "closed")
    with pytest.raises(ConfigError):
        stance_model_of(SimpleNamespace(stance=None), settings)


def test_a_library_keeps_only_the_topic_words_of_the_lexicon(tmp_path):
    """A serving process holds what /compare reads (the topic words), not the reader's word table
    and trie, which only a build uses."""
    from bot.corpus.stance import Topics, topic_lexicon

    topics = topic_lexicon(DEFAULT_CONFIG_DIR)
    assert type(topics) is Topics and not hasattr(topics, "entries")
    model = stance_model_of(SimpleNamespace(stance=topics), SimpleNamespace(config_dir=tmp_path))
    assert (model.topic_stance("閉源"), model.topic_stance("open source"), model.topic_stance("Meta")) == ("closed", "open", None)

"""The stance reader on arguments made without the classic evaluative words: benefits and costs
stated as facts, control and accountability, predictions, coexistence said plainly, words that
name a side and judge it at once, and what "anyone can" do. Invented sentences, both scripts."""

import pytest
from opencc import OpenCC

from bot.config import DEFAULT_CONFIG_DIR
from bot.corpus.stance import judge_text, load_lexicon
from bot.corpus.stance.verdict import read_text

TO_TRADITIONAL = OpenCC("s2t")


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(DEFAULT_CONFIG_DIR)


CASES = [
    # benefits of openness stated as facts
    ("open", "Anyone can download, audit and fine-tune an open-weight model on their own hardware."),
    ("open", "The community shipped thirty improved versions of the open model within a month."),
    ("open", "有了开源模型，任何人都可以下载、检查，再按自己的需要微调。"),
    ("open", "开源社区在两个月里发布了二十多个改进版本。"),
    # costs and risks of the closed side stated concretely
    ("open", "With a proprietary API you are locked in to one vendor, and the price went up twice last year."),
    ("open", "用闭源接口的客户被锁在一家供应商身上，对方说变就变。"),
    ("open", "闭源服务去年提价两次，还动不动就限流。"),
    # predictions
    ("open", "In two years the open models will catch up."),
    ("open", "再过几年，开源模型会迎头赶上。"),
    # control, safety and accountability praised for the closed side
    ("closed", "Closed models keep the provider accountable: access can be revoked at any time."),
    ("closed", "闭源服务出了事，客户知道该找谁，责任可追责。"),
    ("closed", "对没有技术团队的小店来说，订阅闭源服务是风险最低的做法。"),
    ("closed", "For a small shop without engineers, a closed service is the lowest risk choice."),
    # what anyone can do is good, unless what it enables is bad
    ("closed", "权重一旦公开，任何人都可以绕过它的安全护栏去作恶，闭源至少能随时关停。"),
    # coexistence said plainly
    ("both", "开源模型和闭源模型会长期同时存在，互相促进。"),
    ("both", "我们的客服两边搭着用：开源模型和闭源模型各管一段。"),
    ("both", "Open and closed models will coexist, and most firms will run a mix of both."),
    # each side kept for its own use: neither is given up
    ("both", "对内用开源小模型，对外卖自己的服务，这两件事并不冲突。"),
    ("both", "做安全研究，开源模型和闭源模型缺一个都不行。"),
    ("both", "最稳的团队两条路都留着：开源模型兜底，闭源接口赶进度。"),
    # a tally reports shares; a category in it ("mixed") is counted, not argued for
    (None, "调查显示，58%的企业只用闭源接口，23%只用开源模型，其余为混合方案。"),
    (None, "去年的融资中，主打闭源的公司占六成，主打开源的占三成，剩下的两者兼顾。"),
    # lacking something good is bad
    ("closed", "开源模型缺乏安全评估，也缺少透明度。"),
    ("open", "Closed models lack transparency, and their customers are locked in."),
    # "I am not saying X is better" denies X
    (None, "我并不是说开源模型在所有方面都比较好。"),
    # at first … in the end: the end decides
    ("open", "每一次，起初领先的都是闭源产品；最后成为行业标准的，都是开源的那一个。"),
    # mentions only: facts with no judgement stay out
    (None, "这家公司上个月把一个开源模型移植到了新的芯片上。"),
    (None, "The open model was released on Tuesday under a permissive licence."),
]


@pytest.mark.parametrize(("stance", "text"), CASES)
def test_simplified_and_english(lexicon, stance, text):
    assert judge_text(text, lexicon).stance == stance


@pytest.mark.parametrize(("stance", "text"), [c for c in CASES if any("\u4e00" <= ch <= "\u9fff" for ch in c[1])])
def test_traditional_reads_the_same(lexicon, stance, text):
    assert judge_text(TO_TRADITIONAL.convert(text), lexicon).stance == stance


def test_a_word_that_names_its_side_is_quoted_as_the_reason(lexicon):
    verdict = judge_text("Customers of the proprietary service are locked in, and the price went up twice.", lexicon)
    assert verdict.stance == "open" and "locked in" in verdict.reason


@pytest.mark.parametrize("text", ["我不希望这样的能力出现在任何人都能下载的开源模型里。", "I don't want that power in a model anyone can download."])
def test_i_do_not_want_denies_what_follows(lexicon, text):
    scores = judge_text(text, lexicon).scores
    assert scores["closed"] > 0 and scores["open"] == 0


def test_a_pronoun_stands_for_the_side_named_just_before_it_in_its_sentence(lexicon):
    text = "有人说开源危险。可是如果只有三五家公司握有闭源模型，社会都得向它们租用，这难道比较安全吗？"
    reading = read_text(text, lexicon)
    said_of_them = [e for e in reading.evidence if text[e.subject[0] : e.subject[1]] == "它们"]
    assert said_of_them and all(e.side == "closed" and e.value < 0 for e in said_of_them)


def test_traditional_zhe_folds_like_simplified(lexicon):
    assert lexicon.fold("搭著用") == "搭着用"

"""The stance reader on invented sentences: one construction per case, in both scripts."""

import pytest
from opencc import OpenCC

from bot.config import DEFAULT_CONFIG_DIR
from bot.corpus.stance import judge_text, load_lexicon

TO_TRADITIONAL = OpenCC("s2t")


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(DEFAULT_CONFIG_DIR)


CASES = [
    # evaluative words said of a side
    ("open", "在我看来，开源模型的最大优势就是便宜，而且迭代极快。"),
    ("open", "开源社区让小团队也用得起最先进的技术，这是一场双赢。"),
    ("closed", "封闭系统在安全审计上更可控，也更可靠。"),
    ("closed", "对企业来说，开源大模型其实是一种智商税，部署和维护都要花大钱。"),
    ("open", "闭源路线只会带来垄断和锁定，用户被牢牢绑在一家供应商身上。"),
    # comparisons
    ("closed", "开源模型在推理能力上仍然追不上头部的闭源模型。"),
    ("open", "如今开源模型已经超越了不少闭源模型。"),
    ("open", "开源方案比闭源方案便宜得多。"),
    ("closed", "开源方案在稳定性上不如闭源方案。"),
    ("closed", "Open-source models still lag behind the best closed models."),
    ("open", "Open models are now cheaper than closed models and nearly as strong."),
    # norms
    ("open", "政府资助的研究成果应该开源，让所有人受益。"),
    ("closed", "最前沿的模型不应该开源，风险太大了。"),
    ("open", "We should embrace open source before the market locks us in."),
    # predictions
    ("open", "从长远看，开源终将赢到最后。"),
    ("closed", "闭源模型会越来越领先，差距只会拉大。"),
    # concession and contrast: the main clause decides
    ("open", "虽然闭源模型目前性能更强，但开源的生态优势会越来越明显。"),
    ("closed", "尽管开源很热闹，可是真正能赚钱的还是闭源公司，闭源的商业模式更清晰。"),
    ("open", "问题不是开源会不会落后，而是开源能多快加速整个行业。"),
    ("open", "与其把数据交给闭源平台，不如拥抱开源。"),
    ("closed", "与其冒着开源被滥用的风险，不如坚持闭源。"),
    # negation and double negation
    ("open", "开源并不落后，这一点大家都看到了。"),
    ("closed", "开源没有任何优势可言，闭源才是正道上的强者。"),
    ("open", "开源模型并非不安全，反而更透明。"),
    ("open", "我不认为开源模型会落后于闭源模型。"),
    ("open", "I don't think open models are dangerous."),
    ("closed", "Open-weight models can’t be recalled: once the weights are out, bad actors keep them."),
    ("both", "Open models and closed models serve different needs, and most teams we met use both."),
    ("closed", "从商业角度看，闭源路线有其不可替代的优势。"),  # a negator inside an idiom of praise
    ("closed", "我并不看好开源路线。"),
    # rhetorical questions
    ("open", "难道开源不是推动创新最快的方式吗？"),
    ("closed", "开源模型怎么可能追得上闭源模型？"),
    # both
    ("both", "开源和闭源并非对立，而是长期共存。"),
    ("both", "两种路线各有所长，企业可以采取混合策略。"),
    ("both", "Open and closed models are complementary; each has its place."),
    ("both", "开源与闭源各有各的优势，不存在谁取代谁。"),
    ("both", "对于大多数中小模型，我支持开源；对于最前沿的模型，闭源更稳妥。"),
    ("both", "如果没有开源，闭源厂商只能从零做起；如果没有闭源，开源项目很难走进普通人的生活。"),
    ("open", "有些人担心开源会让对手赶超自己，这其实是杞人忧天。"),
    ("closed", "有人说开源模型更透明。但是，开源模型的安全隐患收不回来，闭源才更稳妥。"),
    (None, "《开源模型的下一个十年》是他这次演讲的题目。"),
    (None, "调查显示，开源模型的用户已经超过六成。"),
    # abstain: the subject only mentioned, or a plain question, or nothing about the debate
    (None, "这家公司上周宣布开源了一个新的语音模型。"),
    (None, "开源和闭源的讨论在会上持续了两个小时。"),
    (None, "开源模型会赢吗？"),
    (None, "今天下午我们在会议室讨论了新的办公桌椅采购计划。"),
    (None, "Llama 3 was released in April with an open license."),
    (None, "开源节流是每个创业公司都要学会的功课。"),
]


@pytest.mark.parametrize(("stance", "text"), CASES)
def test_simplified(lexicon, stance, text):
    assert judge_text(text, lexicon).stance == stance


@pytest.mark.parametrize(("stance", "text"), [c for c in CASES if any("\u4e00" <= ch <= "\u9fff" for ch in c[1])])
def test_traditional_reads_the_same(lexicon, stance, text):
    assert judge_text(TO_TRADITIONAL.convert(text), lexicon).stance == stance


def test_full_width_and_case_do_not_matter(lexicon):
    assert judge_text("ＯＰＥＮ ＳＯＵＲＣＥ will eventually WIN in the long run.", lexicon).stance == "open"


def test_the_reason_quotes_the_deciding_words_of_the_passage(lexicon):
    text = "虽然閉源模型更强，但開源终将赢到最后。"
    verdict = judge_text(text, lexicon)
    assert verdict.stance == "open"
    assert "赢到最后" in verdict.reason and "開源" in verdict.reason
    assert all(part.replace("…", "") in text or "…" in part for part in verdict.reason.split("; "))


def test_a_negated_norm_is_quoted_with_its_negator(lexicon):
    verdict = judge_text("最强的模型不应该开源。", lexicon)
    assert verdict.stance == "closed" and "不应该开源" in verdict.reason


def test_a_stronger_argument_scores_higher(lexicon):
    weak = judge_text("开源模型很便宜。", lexicon)
    strong = judge_text("开源模型很便宜，迭代更快，最终一定会赢到最后。", lexicon)
    assert weak.stance == strong.stance == "open"
    assert strong.score > weak.score


def test_a_pronoun_carries_the_side_of_the_previous_sentence(lexicon):
    assert judge_text("我们谈谈开源模型。它们更便宜，也更透明。", lexicon).stance == "open"


def test_praise_of_both_sides_in_balance_is_both(lexicon):
    assert judge_text("开源的优势是透明和便宜，闭源的优势是稳定和可靠。", lexicon).stance == "both"

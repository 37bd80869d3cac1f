"""The display rules every renderer shares: one pair of quotation marks, turn labels outside the
words, names in the passage's script, spans that still point at the matched words."""

from bot.commands.display import make_hit, quote_marks, shown, turn_label_end
from bot.corpus.models import Corpus, Document, Passage, Quotation, Source, Speaker


def corpus_of(passage, source=Source(), speakers=()):
    return Corpus(documents=(Document(passage.doc_id, f"{passage.doc_id}.txt", source, (passage,)),), speakers=speakers)


def test_a_speakers_label_is_cut_and_every_span_moves_with_the_words():
    text = "Mira Castellanos：開放權重讓小團隊也能用上好模型。"
    start = text.index("開")
    passage = Passage(id="d:1", doc_id="d", number=1, text=text, raw_span=(0, len(text)), speaker="Mira Castellanos",
                      quotations=(Quotation(start, len(text), "Mira Castellanos"),))
    corpus = corpus_of(passage, speakers=(Speaker("Mira Castellanos", aliases=("卡斯特利亞諾斯",)),))
    hit = make_hit(corpus, passage, score=1.0, script="simplified", highlights=((start, start + 4),), quotation=(start, len(text)))
    assert hit.display_text == "开放权重让小团队也能用上好模型。"
    assert hit.display_text[slice(*hit.highlights[0])] == "开放权重"
    assert hit.quotation_text == hit.display_text
    assert hit.as_json()["display_text"] == hit.display_text and hit.as_json()["text"] == text


def test_a_label_attribution_left_out_of_the_quotation_is_cut_too():
    text = "答：我们会继续开放权重。"
    passage = Passage(id="d:2", doc_id="d", number=2, text=text, raw_span=(0, 1), speaker="某人",
                      quotations=(Quotation(2, len(text), "某人"),))
    hit = make_hit(corpus_of(passage), passage, score=1.0, script="original", highlights=((7, 11),))
    assert hit.display_text == "我们会继续开放权重。" and hit.display_text[slice(*hit.highlights[0])] == "开放权重"


def test_a_colon_in_running_text_is_not_a_label():
    assert turn_label_end("他说了一句很长的话：开源会赢。", names=("林志远",)) == 0
    assert turn_label_end("Note: open weights matter.", names=("Mira",)) == 0
    assert turn_label_end("林志远：", names=("林志远",)) == 0  # nothing after it: keep the text


def test_names_role_title_and_outlet_follow_the_passages_script():
    text = "开放权重让小团队也能用上好模型，这一点毫无疑问。"
    passage = Passage(id="d:3", doc_id="d", number=3, text=text, raw_span=(0, 1), speaker="林志遠")
    source = Source(title="開放權重之爭", outlet="科技週報", author="陳記者", script="Traditional")
    hit = make_hit(corpus_of(passage, source, (Speaker("林志遠", role="某公司創始人"),)), passage, score=1.0, script="original")
    view = shown(hit)
    assert (view.speaker, view.role, view.title, view.outlet, view.author) == ("林志远", "某公司创始人", "开放权重之争", "科技周报", "陈记者")
    assert hit.speaker == "林志遠"  # the JSON keeps the person's own name


def test_quotation_marks_are_added_only_where_the_text_has_none():
    assert quote_marks("开放权重让小团队受益。") == ("“", "”")
    assert quote_marks("“开放权重让小团队受益。”") == ("", "")
    assert quote_marks("林志远说：“开放权重让小团队受益。”") == ("", "")
    assert quote_marks("「開放權重」是關鍵") == ("", "")

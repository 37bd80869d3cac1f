"""A new article's Source from its header, through the loader: what replies show, what stays a
passage, what config/corpus.yaml still decides, and what `bot corpus --check` says of each field.
The articles are invented."""

from __future__ import annotations

from pathlib import Path

from bot.corpus.loader import load_article_config, read_document

LONG_SOURCE = "来源：临溪县纺织机械制造有限公司职工内刊《织梭》2027年第3期"  # long: it would be a paragraph
ARTICLE = "\n".join([
    "专访总工程师司马青禾：我们为什么自己训练模型",
    "",
    LONG_SOURCE,
    "本刊记者　伍一苇",
    "",
    "走进司马青禾的办公室，桌上摊着三台拆开的控制器。",
    "",
    "“模型放在自己机房里，出了问题我们自己就能查。”司马青禾说。",
    "",
    "来源：据公司内部统计，去年有七成的故障是由现场工程师先发现的。",
    "",
    "记者在车间看到，工人们已经习惯了用手机向模型提问。",
])


def _config(tmp_path: Path, corpus_yaml: str = "documents: {}\n", headers_yaml: str | None = None) -> Path:
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "corpus.yaml").write_text(corpus_yaml, encoding="utf-8")
    if headers_yaml is not None:
        (config / "headers.yaml").write_text(headers_yaml, encoding="utf-8")
    return config


def _document(tmp_path: Path, text: str = ARTICLE, name: str = "new_article.txt", **config):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path, load_article_config(_config(tmp_path, **config)))


def test_a_new_article_names_its_outlet_and_author(tmp_path):
    document = _document(tmp_path)
    source = document.source
    assert (source.title, source.outlet, source.author, source.date) == (
        "专访总工程师司马青禾：我们为什么自己训练模型", "临溪县纺织机械制造有限公司职工内刊《织梭》", "伍一苇", None,
    )
    assert source.url is None and source.translator is None


def test_header_lines_are_no_passages_and_body_lines_stay(tmp_path):
    texts = [p.text for p in _document(tmp_path).passages]
    assert not any("织梭" in t or "伍一苇" in t for t in texts)  # the 来源 line was long enough to be a paragraph
    assert any(t.startswith("来源：据公司内部统计") for t in texts)  # a body sentence naming 来源 stays
    assert any(t.startswith("记者在车间看到") for t in texts)


def test_the_header_author_is_shown_but_narrates_nothing(tmp_path):
    document = _document(tmp_path)
    assert document.source.author == "伍一苇" and document.source.narrator is None
    narration = next(p for p in document.passages if p.text.startswith("走进"))
    assert narration.speaker is None  # attribution reads the byline as a reporter, as before


def test_config_entry_wins_and_the_header_fills_the_rest(tmp_path):
    entry = "documents:\n  new_article:\n    outlet: 织梭月刊\n    author: 伍一苇\n    date: null\n"
    document = _document(tmp_path, ARTICLE.replace("本刊记者　伍一苇", "本刊记者　伍一苇  2027-03-05"), corpus_yaml=entry)
    source = document.source
    assert (source.outlet, source.author, source.date) == ("织梭月刊", "伍一苇", "2027-03-05")
    assert source.narrator == "伍一苇"  # config's author narrates, as it always did
    summary = document.reading.summary()
    assert "date from the header" in summary and "outlet, author from config/corpus.yaml" in summary
    assert source.title is None and "title from" not in summary  # an entry's empty title is not guessed from the first line


def test_traditional_and_english_headers(tmp_path):
    traditional = "\n".join(["竹塘新創開放語音模型", "來源：竹塘日報  2027年4月2日", "記者 葛雨晴／新竹報導", "", "公司昨日宣布開放模型權重。"])
    source = _document(tmp_path, traditional, name="tw.txt").source
    assert (source.outlet, source.author, source.date) == ("竹塘日報", "葛雨晴", "2027-04-02")
    english = "\n".join(["# Harbour lab opens its weights", "", "By Nora Penhallow", "", "Source: Tidewater Ledger, March 9, 2027",
                         "", "The lab said on Monday that anyone may download the model.", "",
                         "Original link: https://example.org/harbour"])
    source = _document(tmp_path, english, name="en.md").source
    assert (source.title, source.author, source.outlet, source.date, source.url) == (
        "Harbour lab opens its weights", "Nora Penhallow", "Tidewater Ledger", "2027-03-09", "https://example.org/harbour",
    )


def test_a_user_extends_the_labels_in_config(tmp_path):
    text = "\n".join(["新规发布", "刊載於：北汀週報  2027-06-01", "", "新规于今日起施行，涉及三类企业。"])
    assert _document(tmp_path, text, name="a.txt").source.outlet is None
    other = tmp_path / "other"
    other.mkdir()
    source = _document(other, text, name="a.txt", headers_yaml="source_labels: [来源, 刊载于]\n").source
    assert (source.outlet, source.date) == ("北汀週報", "2027-06-01")  # listed in Simplified, read in Traditional


def test_a_bad_headers_file_is_a_problem_and_the_bundled_labels_read(tmp_path):
    config = load_article_config(_config(tmp_path, headers_yaml="source_labels: 来源\n"))
    assert any("source_labels" in p.message for p in config.problems)
    path = tmp_path / "b.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert read_document(path, config).source.author == "伍一苇"


def _attribution_lines(source):
    """The source line a reply shows, in the terminal and in Slack (its parts' text joined)."""
    from bot.commands.display import make_hit, shown
    from bot.corpus.models import Corpus, Document, Passage
    from bot.cli.render_text import attribution as terminal_line
    from bot.slack.hits import attribution as slack_line

    text = "“模型放在自己机房里，出了问题我们自己就能查。”司马青禾说。"
    passage = Passage(id="d:0", doc_id="d", number=0, text=text, raw_span=(0, len(text)), speaker="司马青禾")
    hit = make_hit(Corpus((Document("d", "d.txt", source, (passage,)),)), passage, score=1.0, script="original")
    view = shown(hit)
    slack = "".join(part.get("text", "") for part in slack_line(view).parts)
    return terminal_line(view, hit)[0], slack


def test_a_reply_shows_the_fields_the_header_gave_and_nothing_for_the_rest(tmp_path):
    full = _document(tmp_path, ARTICLE.replace("本刊记者　伍一苇", "本刊记者　伍一苇  2027-03-05\n编译：龚一帆")).source
    for line in _attribution_lines(full):
        assert "临溪县纺织机械制造有限公司职工内刊《织梭》 · by 伍一苇 · translated by 龚一帆 · 2027-03-05" in line
    bare = _document(tmp_path, "\n".join(["标题一行", "", "正文第一段，讲的是一件事。", "", "正文第二段，讲的是另一件事。"]), name="bare.txt").source
    assert (bare.outlet, bare.author, bare.date, bare.url) == (None, None, None, None)
    for line in _attribution_lines(bare):
        assert "标题一行" in line and "None" not in line and " ·  · " not in line and not line.rstrip().endswith("·")

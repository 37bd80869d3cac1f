"""Article files as people have them: GBK, Big5, UTF-16 and saved web pages, through the real CLI.

Every article here is invented for the test (people, firms and words alike).
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys

import pytest

from bot.corpus.files import UnreadableFile, decode, read_article
from tests.conftest import REPO

GBK_ARTICLE = """# 星河智能：小团队的机会

星河智能创始人周明远在发布会上表示：“开放权重的模型让小团队也能参与竞争，这是过去十年没有的机会。”

他说，公司今年会把三个推理工具交给社区维护。
"""

BIG5_ARTICLE = """雲帆科技談社群

雲帆科技研究主管林若溪說：「開源社群帶來的回饋，比我們自己測試得到的多出好幾倍。」

她補充，商業模式仍需要時間驗證，但團隊不打算回頭。
"""

UTF16_ARTICLE = """青松数据的一年

青松数据的首席执行官陈思远认为：“数据标注是这个行业最被低估的环节，没有人愿意为它付出耐心。”

他承认，标注员的流失率一直居高不下。
"""

HTML_ARTICLE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>开放还是封闭：一家芯片初创公司的选择 - 远山科技评论</title>
<meta name="author" content="韩思远">
<meta property="og:site_name" content="远山科技评论">
<meta property="article:published_time" content="2025-03-14">
</head><body>
<nav><a href="/">首页</a> <a href="/ai">人工智能</a> <a href="/biz">商业</a> <a href="/about">关于我们</a></nav>
<header><h1>开放还是封闭：一家芯片初创公司的选择</h1></header>
<article>
<p>青岚半导体的联合创始人许文博在接受采访时说：“我们把推理框架全部开源，是因为客户需要看得见的东西。”</p>
<h2>从闭源到开源</h2>
<p>公司成立头两年一直坚持闭源路线。许文博承认，那段时间的销售周期长得令人沮丧，很多客户要求先审计代码。</p>
<p>“开源之后，社区替我们发现了三十多个缺陷，”他说，“这比雇一个测试团队便宜得多。”</p>
</article>
<aside><h3>热门文章</h3><ul><li><a href="/x">十大最值得关注的公司榜单出炉</a></li><li><a href="/y">点击查看更多精彩内容</a></li></ul></aside>
<footer>版权所有 远山科技评论 未经授权禁止转载 联系我们</footer>
</body></html>
"""

FILES = {
    "gbk_article.txt": GBK_ARTICLE.encode("gbk"),
    "big5_article.txt": BIG5_ARTICLE.encode("big5"),
    "utf16_article.md": codecs.BOM_UTF16_LE + UTF16_ARTICLE.encode("utf-16-le"),
    "page_article.html": HTML_ARTICLE.encode("utf-8"),
}
# One query per article, each in words only that article holds.
QUERIES = {
    "gbk_article": "/quote 小团队参与竞争",
    "big5_article": "/quote 社群帶來的回饋",
    "utf16_article": "/quote 数据标注 被低估",
    "page_article": "/quote 推理框架全部开源",
}


def bot(*args: str, seeds, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = os.environ | {"BOT_SEEDS": str(seeds), "BOT_CACHE_DIR": "off"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, cwd=REPO, env=env, timeout=180
    )


@pytest.fixture(scope="module")
def article_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("articles")
    for name, data in FILES.items():
        (folder / name).write_bytes(data)
    return folder


def test_each_encoding_and_the_page_are_searchable_through_bot_ask(article_folder):
    lines = "".join(query + "\n" for query in QUERIES.values())
    result = bot("ask", "--json", "-", seeds=article_folder, stdin=lines)
    assert result.returncode == 0, result.stderr
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    for doc_id, reply in zip(QUERIES, replies):
        assert reply["results"], (doc_id, reply)
        assert reply["results"][0]["doc_id"] == doc_id
    by_doc = {reply["results"][0]["doc_id"]: reply["results"][0] for reply in replies}
    assert "周明远" in by_doc["gbk_article"]["text"]
    assert "林若溪" in by_doc["big5_article"]["text"]
    assert "陈思远" in by_doc["utf16_article"]["text"]
    page = by_doc["page_article"]["source"]
    assert page["title"] == "开放还是封闭：一家芯片初创公司的选择"
    assert (page["author"], page["outlet"], page["date"]) == ("韩思远", "远山科技评论", "2025-03-14")
    assert by_doc["gbk_article"]["source"]["title"] == "星河智能：小团队的机会"  # its first heading
    assert by_doc["big5_article"]["source"]["title"] == "雲帆科技談社群"  # its first line, a heading by its form


def test_only_the_pages_article_is_kept(article_folder):
    result = bot("corpus", "--json", seeds=article_folder)
    texts = [json.loads(line)["text"] for line in result.stdout.splitlines() if '"page_article"' in line]
    assert any("三十多个缺陷" in text for text in texts)
    joined = "".join(texts)
    for furniture in ("首页", "热门文章", "点击查看更多", "版权所有", "<p>"):
        assert furniture not in joined


def test_corpus_check_reports_what_was_detected_for_each_file(article_folder):
    result = bot("corpus", "--check", seeds=article_folder)
    assert result.returncode == 0, result.stdout + result.stderr
    blocks = result.stdout.split("ok ")[1:]
    report = {block.split(":", 1)[0]: block for block in blocks}
    assert set(report) == set(QUERIES)
    assert "text, GB18030/GBK" in report["gbk_article"]
    assert "text, Big5" in report["big5_article"]
    assert "Markdown, UTF-16" in report["utf16_article"]
    assert "HTML, UTF-8" in report["page_article"]
    assert "article text" in report["page_article"] and "title, author, date, outlet from the file" in report["page_article"]
    assert "title from the first heading" in report["gbk_article"]


def test_junk_and_undecodable_files_are_one_line_problems(tmp_path):
    (tmp_path / "good.txt").write_text(GBK_ARTICLE, encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "latin1.txt").write_bytes("Le résumé de l'équipe était très détaillé.".encode("latin-1"))
    (tmp_path / "broken16.txt").write_bytes(codecs.BOM_UTF16_LE + b"a\x00\x00\xdc")  # a lone low surrogate
    (tmp_path / "empty.html").write_bytes(b"<html><body></body></html>")
    result = bot("corpus", "--check", seeds=tmp_path)
    assert result.returncode == 1
    problems = [line for line in result.stdout.splitlines() if line.startswith("problem:")]
    assert len(problems) == 4
    said = "\n".join(problems)
    assert "image.txt: binary file" in said
    assert "latin1.txt: not text in a supported encoding" in said and "save it as UTF-8" in said
    assert "broken16.txt: starts with a UTF-16 byte-order mark" in said
    assert "empty.html: no article text" in said
    assert "ok good:" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        ("开源".encode("utf-8"), "开源", "UTF-8"),
        (codecs.BOM_UTF8 + "开源".encode("utf-8"), "开源", "UTF-8 with BOM"),
        ("開源社群".encode("utf-16"), "開源社群", "UTF-16"),
        (codecs.BOM_UTF16_BE + "开源".encode("utf-16-be"), "开源", "UTF-16"),
        ("开源模型的护城河".encode("gbk"), "开源模型的护城河", "GB18030/GBK"),
        ("開源模型的護城河".encode("big5"), "開源模型的護城河", "Big5"),
    ],
)
def test_decode_detects_each_supported_encoding(data, text, encoding):
    assert decode(data) == (text, encoding)


def test_utf8_is_read_strictly_first_so_mojibake_stays_raw():
    damaged = "因?yàn)?DeepSeek"  # GBK read one byte late: the repair stage needs these exact characters
    assert decode(damaged.encode("utf-8")) == (damaged, "UTF-8")


def test_a_page_is_read_in_the_charset_it_declares(tmp_path):
    page = HTML_ARTICLE.replace('charset="utf-8"', 'charset="gb2312"')
    path = tmp_path / "declared.htm"
    path.write_bytes(page.encode("gb18030"))
    article = read_article(path)
    assert article.reading.encoding == "GB18030/GBK"
    assert "许文博" in article.text and article.metadata["author"] == "韩思远"


@pytest.mark.parametrize("data", [b"", b"  \n\t", b"\x00\x01\x02\x03", bytes(range(1, 32)) * 20])
def test_no_text_is_a_clear_error_not_a_crash(data):
    with pytest.raises(UnreadableFile):
        decode(data)

"""Lines a web page wrapped around the article: banners, nav bars, source lines, footers, bios."""

from __future__ import annotations

import re

# Each pattern describes a kind of page furniture, not one document's line.
APP_BANNER = re.compile(r"^\s*(打開|打开)\S{0,6}(新聞|新闻)\s*(查看|點擊|点击)\S*\s*$")
NAV_BAR = re.compile(r"^\s*(首[页頁])(\s+\S{1,6}){2,8}\s*$")
SOURCE_LINE = re.compile(r"^\s*(来源|來源)\s*[:：].*(更新时间|更新時間|点击数|點擊數)")
EDITOR_NOTE = re.compile(r"^\s*(编者按|編者按)\s*[:：].*(授权|授權)\S*(转载|轉載)")
COPYRIGHT_FOOTER = re.compile(r"(版权归|版權歸|版权所有|版權所有).*(转载|轉載|联系|聯系|聯繫)")
EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF]")


def is_chrome(line: str) -> bool:
    return any(p.search(line) for p in (APP_BANNER, NAV_BAR, SOURCE_LINE, EDITOR_NOTE, COPYRIGHT_FOOTER))


def is_bio_line(line: str) -> bool:
    """An author's self-description under an avatar: emoji and slashes, no sentence."""
    return bool(EMOJI.search(line)) and line.count("/") >= 2 and not re.search(r"[。！？]", line)

"""A saved web page in, the article out: its text as Markdown, its title and its byline.

Pages people save hold far more than the article (menus, "most read" lists, comments,
footers). trafilatura, a maintained extractor built for exactly this, finds the article's
body and the page's metadata; its Markdown output (headings, lists, tables, bold) is what the
rest of the corpus pipeline already reads for ``.md`` files, so HTML needs no second cleaner.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

# "作者：韩思远", "文／韩思远", "By Jane Doe": the byline's label is not part of the name.
BYLINE_LABEL = re.compile(r"^\s*(?:(?:作者|撰文|文|記者|记者|編輯|编辑)\s*[:：/／|｜]|by\s)\s*", re.IGNORECASE)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
CHARSET_SNIFF_BYTES = 4096
# trafilatura drops a meta author without a space in it (a Western-name heuristic), which is
# every Chinese name, so the page's own author tags are read here too.
META_AUTHOR = '//head/meta[@name="author" or @property="article:author" or @name="byl"]/@content'


@dataclass(frozen=True)
class Article:
    """What extraction kept: the body as Markdown and the fields of the byline the page gives."""

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    outlet: str | None = None
    url: str | None = None

    def metadata(self) -> dict[str, str]:
        """The byline fields the page gave, by the names `Source` uses."""
        fields = {"title": self.title, "author": self.author, "date": self.date, "outlet": self.outlet, "url": self.url}
        return {name: value for name, value in fields.items() if value}


class NoArticle(ValueError):
    """The page holds no text an extractor recognises as an article."""


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its ``<meta>`` tag (lower case), if any, near the top."""
    match = META_CHARSET.search(data[:CHARSET_SNIFF_BYTES])
    return match.group(1).decode("ascii").lower() if match else None


def extract_article(page: str) -> Article:
    """The article of a decoded HTML page; raises `NoArticle` when nothing is left."""
    import trafilatura
    from trafilatura.utils import load_html
    from trafilatura.xml import xmltotxt

    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # it narrates every discarded node
    tree = load_html(page)
    if tree is None:
        raise NoArticle("not an HTML page")
    meta_authors = [a.strip() for a in tree.xpath(META_AUTHOR) if a.strip() and not a.strip().startswith("http")]
    document = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_formatting=True,
    )
    body = getattr(document, "body", None)
    text = xmltotxt(body, include_formatting=True) if body is not None else ""
    if not text or not text.strip():
        raise NoArticle("no article text found in the page")
    return Article(
        text=text,
        title=_clean(document.title),
        author=_clean(BYLINE_LABEL.sub("", document.author or (meta_authors[0] if meta_authors else ""))),
        date=_clean(document.date),
        outlet=_clean(document.sitename),
        url=_clean(document.url),
    )


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None

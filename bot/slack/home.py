"""The App Home tab: what the bot does, how to ask it (in Chinese and English), what it has read.

The view depends only on the library, which never changes while the process runs, so one build
serves every user; it is still cheap enough to rebuild on each `app_home_opened`.
"""

from __future__ import annotations

from slack_sdk.models.blocks import Block, ContextBlock, DividerBlock, HeaderBlock, MarkdownTextObject, PlainTextObject, SectionBlock
from slack_sdk.models.views import View

from bot.slack import rich
from bot.slack.escape import Mrkdwn, plain
from bot.slack.rich import BOLD, RichText
from bot.slack.excerpt import shorten
from bot.slack.limits import MAX_VIEW_BLOCKS, SECTION_TEXT_MAX

# Rich text (`bot.slack.rich`), so the bold holds beside Chinese: (text, bold) runs.
INTRO = (
    ("I find ", False), ("exact, attributed quotations", True),
    (" in a curated library of Chinese and English articles about open versus closed AI: the words, who said "
     "them, and where.\n我在一个关于开源与闭源 AI 的中英文文章库里查找", False), ("原话", True),
    ("：说了什么、谁说的、出自哪里。", False),
)
COMMANDS = (
    ("/quote", "the passages that best match · 查找最相关的原文段落",
     ("/quote 护城河", "/quote open source moat", "/quote 開源 模型 免費", "/quote kaiyuan moxing")),
    ("/who-said", "who said a quotation, with the passage as proof · 查一句话是谁说的，附原文为证",
     ("/who-said 开源其实是一种智商税", "/who-said 開源模型打不過閉源模型")),
    ("/compare", "the strongest passages on each side, in two columns · 双方观点并排对比",
     ("/compare open closed", "/compare 开源 闭源", "/compare Meta vs OpenAI")),
)
MENTIONS = (
    "In a thread · 在讨论串中",
    "slash commands do not work in threads, so mention me instead: ",
    ("@bot who said 智商税", "@bot 谁说的 护城河", "@bot quote 护城河", "@bot 引用 护城河", "@bot compare 开源 闭源",
     "@bot 对比 开源 闭源", "@bot help"),
)
PREVIEW = (
    "Answers to a command are private previews, like /giphy: *Post to channel* shares one, *Next* shows "
    "the next match, *More results* pages further, *Cancel* throws it away. "
    "命令的结果先只给你看：可发到频道、看下一条、更多结果或取消。"
)
MAX_DOCUMENT_LINES = 60
UNTITLED = "untitled · 无标题"


def home_view(library) -> View:
    """The Home tab for `library` (anything with `.corpus`; `.vocabulary.glossary_size` if present)."""
    intro = RichText()
    for text, bold in INTRO:
        intro.text(text, BOLD if bold else None)
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text="Quote bot · 引文机器人")),
        rich.block(rich.section(intro)),
        DividerBlock(),
        HeaderBlock(text=PlainTextObject(text="Commands · 命令")),
    ]
    for command, what, examples in COMMANDS:
        blocks.append(rich.block(rich.section(_examples(RichText().bold(command).text("  " + what + "\n"), examples))))
    title, lead, examples = MENTIONS
    blocks.append(rich.block(rich.section(_examples(RichText().bold(title).text(": " + lead), examples))))
    blocks.append(ContextBlock(elements=[_md(PREVIEW)]))
    blocks.append(DividerBlock())
    blocks.append(HeaderBlock(text=PlainTextObject(text="The library · 文库")))
    blocks.append(SectionBlock(text=_md(library_summary(library))))
    blocks.extend(_document_sections(library.corpus.documents, MAX_VIEW_BLOCKS - len(blocks) - 1))
    return View(type="home", blocks=blocks[:MAX_VIEW_BLOCKS])


def glossary_size(library) -> int | None:
    vocabulary = getattr(library, "vocabulary", None)
    size = getattr(vocabulary, "glossary_size", None)
    if callable(size):
        size = size()
    return size if isinstance(size, int) else None


def library_summary(library) -> str:
    corpus = library.corpus
    counts = (
        f"*{len(corpus.documents)}* documents · 篇文章   "
        f"*{len(corpus.passages)}* passages · 段   "
        f"*{len(corpus.speakers)}* speakers · 位说话人"
    )
    size = glossary_size(library)
    if size is not None:
        counts += f"\n*{size}* glossary entries link English and Chinese terms · 条中英术语对照"
    return counts


def document_line(document) -> str:
    """• Title (linked when the URL is known) — outlet · date; untitled documents say so."""
    source = document.source
    m = Mrkdwn().markup("• ")
    if source.title:
        m.link(source.url, shorten(source.title, 150))
    else:
        m.link(source.url, UNTITLED)
    if source.outlet:
        m.markup(" — ").text(shorten(source.outlet, 150))
    elif source.author:
        m.markup(" — ").text(shorten(source.author, 150))
    if source.date:
        m.markup(" · ").text(shorten(source.date, 40))
    return m.render()


def _document_sections(documents, room: int) -> list[Block]:
    """Document lines packed into as few sections as the 3,000-character limit allows."""
    lines = [document_line(d) for d in documents[:MAX_DOCUMENT_LINES]]
    if len(documents) > MAX_DOCUMENT_LINES:
        lines.append(plain(f"… and {len(documents) - MAX_DOCUMENT_LINES} more"))
    sections: list[Block] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > SECTION_TEXT_MAX and current:
            sections.append(SectionBlock(text=_md(current)))
            current = line
        else:
            current = candidate
    if current:
        sections.append(SectionBlock(text=_md(current)))
    return sections[: max(0, room)]


def _examples(run: RichText, examples: tuple[str, ...]) -> RichText:
    for n, example in enumerate(examples):
        run.text(" · " if n else "").code(example)
    return run


def _md(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=text, verbatim=True)

"""Usage with examples in both languages: the answer to /help, an empty query, or a no-match."""

from __future__ import annotations

from bot.commands.results import HELP, Reply

HELP_TEXT = """\
Find exact, attributed quotations: Chinese (either script) and English.

/quote QUERY      the passages that best match, with who said them and where
    /quote 护城河            /quote 開源 模型 免費
    /quote open source moat  /quote Kubernets   (typos are fine)
    /quote kaiyuan moxing    (toneless pinyin works too)
/who-said QUOTATION   who said it, with the passage as proof
    /who-said 开源其实是一种智商税     /who-said 開源模型打不過閉源模型
/compare A B      the strongest passages on each side (A vs B works too)
    /compare open closed     /compare 开源 闭源     /compare Meta vs OpenAI
@bot help         this message (also /quote, /who-said or /compare alone)

In a thread, mention the bot:
    @bot who said 智商税 · @bot 谁说的 护城河 · @bot 引用 护城河
    @bot 对比 开源 闭源 · @bot help
用法：/quote 关键词 查找原话；/who-said 引文 查是谁说的；
      /compare 甲 乙 对比两方观点。"""


def help_reply(note: str | None = None) -> Reply:
    return Reply(command=HELP, query="", notes=(note,) if note else (), help_text=HELP_TEXT)

"""Text a company's Slack pastes at a bot: every kind of hostile input, as hypothesis strategies.

The pieces are the ones that break chat bots in practice: Slack's own markup (broadcasts,
mentions, disguised links, its `&lt;` escaping), invisible and direction-changing characters,
control characters and NUL, lone surrogates (they arrive JSON-escaped, `"\\ud83d"`, and
`json.loads` hands them over as they are), emoji sequences, mixed scripts, regex and format
metacharacters, HTML, YAML and JSON fragments, and sheer size (100 KB). Strategies draw from
fixed fragments joined with free text, so a 10,000-example run covers the space quickly without
hypothesis having to build 100 KB strings character by character.
"""

from __future__ import annotations

import json

from hypothesis import strategies as st

SLACK_MARKUP = (
    "<!channel>", "<!here>", "<!here|here>", "<!everyone>", "<!subteam^S0123ABC|@engineers>",
    "<!date^1392734382^{date_short}|Feb 18, 2014>", "<@U123>", "<@U0123ABCD|bob>", "<@W0123ABCD>",
    "<#C123>", "<#C0123ABCD|general>", "<https://evil.example|click>", "<https://evil.example>",
    "<http://127.0.0.1:9/x|bank>", "<mailto:a@evil.example|mail>", "<tel:+15555550123|call>",
    "<javascript:alert(1)|x>", "<!channel", "<@", "<#", "<http", "<<!here>>", "<|>", "<>", ">", "<",
    "&lt;", "&gt;", "&amp;", "&lt;!channel&gt;", "&amp;lt;", "&", "&#60;", "&#x3C;!here&#x3E;",
    "@channel", "@here", "@everyone", "#general",
)
MRKDWN = ("*", "_", "~", "`", "```", "*bold*", "_it_", "~strike~", "`code`", "```block```", ">", "> quoted",
          ">>>", "\n>", "[x](https://evil.example)", "**", "__", ":smile:", ":", "|", "||")
INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u034f")
BIDI = ("\u200e", "\u200f", "\u061c", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
        "\u2066", "\u2067", "\u2068", "\u2069")
CONTROL = tuple(chr(c) for c in (*range(0x00, 0x20), 0x7F, 0x80, 0x85, 0x9F)) + ("\u2028", "\u2029")
WHITESPACE = (" ", "\t", "\n", "\r\n", "\u3000", "\u00a0", "\u2003", "\u205f", "\x0b", "\x0c", "  \n\t ")
LONE_SURROGATES = tuple(json.loads(f'"\\u{c:04x}"') for c in (0xD800, 0xD83D, 0xDBFF, 0xDC00, 0xDE00, 0xDFFF))
EMOJI = ("🦄", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇨🇳", "🇹🇼", "1️⃣", "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
         "❤️", "🧑🏿‍💻", "\U0001f9d1\u200d", "\u200d\U0001f469", "\ufe0f", "\U0001f3fb")
SCRIPTS = ("开源", "閉源", "護城河", "模型", "开源模型", "開源 閉源", "Kubernetes", "open source", "moat",
           "kaiyuan moxing", "Ωμέγα", "Привет", "مرحبا", "שלום", "नमस्ते", "สวัสดี", "こんにちは", "カタカナ",
           "안녕하세요", "ｆｕｌｌｗｉｄｔｈ", "é", "e\u0301\u0301\u0301\u0301", "Z̴̧̛a̷l̸g̵o̶", "ß", "İ", "ǅ", "ﬁ",
           "𠀀𪚥", "\ue000", "\U000f0000", "½", "٣", "①", "Ⅻ")
REGEX = (".*", ".+?", "^$", "(", ")", "[", "]", "[^]", "{", "}", "{2,}", "\\", "\\d", "\\1", "|", "?", "+",
         "(?i)", "(?P<x>", "(a+)+$", "$1", "\\u0000", "\\n", "%s", "%n", "{0}", "{}", "${jndi:ldap://x}", "%(x)s")
HTML = ("<script>alert(1)</script>", "<b>bold</b>", "<a href=\"javascript:alert(1)\">x</a>", "&nbsp;",
        "<!-- c -->", "<img src=x onerror=alert(1)>", "</div>", "<br/>", "&quot;", "<![CDATA[x]]>")
YAML = ("key: value", "- item", "!!python/object/apply:os.system ['id']", "&anchor", "*alias", "---", "...",
        "? complex", "| block", "> folded", "{a: 1}", "[1, 2]", "'quoted'", '"dq"', "#comment", "null", "~")
JSON = ('{"a": [1, 2]}', '{"c":"quote","q":"x","o":-1,"n":9999}', "[]", '"', "\\\"", '{"', "null", "true",
        "1e309", "-0", '{"text": "<!channel>"}', '{"blocks": []}')
COMMAND_WORDS = ("/quote", "/who-said", "/compare", "/help", "/", "//", "who said", "who-said", "whose words",
                 "谁说的", "是谁说的", "誰說的", "quote", "find", "引用", "搜索", "compare", "versus", "对比",
                 "比較", "help", "?", "？", "帮助", "vs", "vs.", "and", "对", "和", ",", "，", "、", "/", "|")
MENTION_PREFIXES = ("", "<@UBOT00001> ", "<@UBOT00001>", "<@UBOT00001|quotebot> ", "<@U1> <@U2> ",
                    "  <@UBOT00001>  ", "<@ubot> ", "<@UBOT00001>\n")

FRAGMENTS = (SLACK_MARKUP + MRKDWN + INVISIBLE + BIDI + CONTROL + WHITESPACE + LONE_SURROGATES + EMOJI
             + SCRIPTS + REGEX + HTML + YAML + JSON + COMMAND_WORDS)

# Big inputs are built from a piece repeated: 100 KB in microseconds, not in hypothesis's byte budget.
BIG_PIECES = ("开源", "a", " ", "<!channel>", "\u200b", "🦄", "&lt;", "*", "\x00", "开源 open ", "\u202e",
              "who said ", "e\u0301")
BIG_CHARS = 100 * 1024


def free_text(max_size: int = 30) -> st.SearchStrategy[str]:
    """Any code points, surrogates included (hypothesis excludes them by default)."""
    return st.text(st.characters(codec=None, exclude_categories=()), max_size=max_size)


def big_text() -> st.SearchStrategy[str]:
    """A piece repeated up to about 100 KB."""
    return st.builds(
        lambda piece, share: piece * max(1, int(BIG_CHARS * share) // len(piece)),
        st.sampled_from(BIG_PIECES),
        st.sampled_from((0.01, 0.05, 0.3, 1.0)),
    )


BIG_SHARE_PERCENT = 8  # of examples carry a huge input; the rest are lines of pasted fragments


def hostile_text() -> st.SearchStrategy[str]:
    """One line as a user might paste it: fragments and free text, and now and then something huge.

    The mix is drawn explicitly (an integer picks the branch) because `one_of` over branches of very
    different sizes lets hypothesis's search for new inputs drift towards the biggest one.
    """
    piece = st.one_of(
        st.sampled_from(FRAGMENTS),
        free_text(),
        st.text(st.sampled_from("<>&!@#|*_~`\\ \n开源闭源aZ0:：，,"), max_size=12),
    )
    small = st.lists(piece, max_size=8).map("".join)
    single = st.sampled_from(("",) + WHITESPACE + INVISIBLE + BIDI + CONTROL + LONE_SURROGATES)
    huge = st.tuples(small, big_text(), small).map("".join)

    def branch(n: int) -> st.SearchStrategy[str]:
        if n < BIG_SHARE_PERCENT:
            return huge
        return single if n < BIG_SHARE_PERCENT + 4 else small

    return st.integers(0, 99).flatmap(branch)


def mention_prefixes() -> st.SearchStrategy[str]:
    """What comes before the question in an @-mention's text: the bot's own mention, maybe a command word."""
    return st.tuples(
        st.sampled_from(MENTION_PREFIXES),
        st.one_of(st.just(""), st.sampled_from(COMMAND_WORDS).map(lambda w: w + " "), st.sampled_from(COMMAND_WORDS)),
    ).map("".join)


def mention_text() -> st.SearchStrategy[str]:
    """A whole @-mention's text: prefix, then anything."""
    return st.tuples(mention_prefixes(), hostile_text()).map("".join)


def user_ids() -> st.SearchStrategy[str | None]:
    """Who clicked "Post to channel": a real Slack id, or something that only looks like one."""
    return st.one_of(
        st.sampled_from(("U0USER001", "W0123ABCD", None, "", "U1> <!here", "!channel", "<@U1>", "u0lower")),
        st.from_regex(r"[UW][A-Z0-9]{2,11}", fullmatch=True),
    )

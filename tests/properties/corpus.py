"""A small library whose articles and metadata are as hostile as the users: built once, searched 10,000 times.

Every passage, title, outlet, speaker and role here tries something: Slack broadcasts and mentions,
disguised links, HTML, bidi overrides, zero-width characters, emoji sequences, stray formatting
characters, regex metacharacters, and a document long enough to be split into several passages.
A reply built from it must still be valid, quiet and link-free. (A passage longer than a Slack
text field is tested with hand-built hits in tests/slack/test_slack_blocks.py.) Small on purpose:
each search takes about a millisecond, which is what makes 10,000 examples per command affordable
in CI.
"""

from __future__ import annotations

from pathlib import Path

from bot.config import DEFAULT_CONFIG_DIR, Settings

SEEDS = {
    "hostile_debate.txt": """开源与闭源的辩论 <!channel>

张三说：“开源才是未来 <!channel> 请大家注意，R&D 的投入 <@U0EVIL> 不能少，开源降低了成本。”

李四认为，*闭源*模型更安全 <https://evil.example|点这里>，这是 _他的_ 观点，闭源的护城河来自数据。

王五表示：“Open source wins. Closed models lose. <!here> everyone must see this. <#C0GENERAL|general>”

赵六说：“开源模型 \u202e这句话被反转了\u202c 但开源加速了创新。”

钱七说：“零宽\u200b字符\u200d和 👨\u200d👩\u200d👧\u200d👦 表情 🇨🇳 也要能找到开源模型。”
""",
    "hostile_markup.md": """# Markup <script>alert(1)</script>

Jane Doe: The moat is data, not weights. See <https://evil.example/steal|the docs> and &lt;!channel&gt; and <!subteam^S0123|@team>.

Open source is a *moat* for _some_ and a ~trap~ for `others`; regex .*+?^$()[]{}| and %s {0} ${jndi:ldap://x}.

Q: Who said closed models are safer?
A: The proprietary camp said closed source is safer, &amp; cheaper <b>for now</b>.

Жан сказал: «Открытый код побеждает». مرحبا بالعالم المفتوح. こんにちは、オープンソース。
""",
    "hostile_long.txt": "长文 <!everyone>\n\n" + "".join(
        f"这是第{n}句关于开源模型和护城河的长句子 <@U0LONG> ，它不断重复以便超过 Slack 的长度限制 *强调* 。"
        for n in range(24)
    ) + "\n",
}

CORPUS_YAML = """documents:
  hostile_debate:
    title: "开源 <!everyone> 辩论 & 记录 *重要*"
    outlet: "<@U0EVIL> 日报 <#C0NEWS>"
    author: "<!here> 记者"
    date: "2024-01-01 <!date^1392734382^{date}|Feb>"
    url: "https://example.com/a?x=1&y=2"
    script: Simplified
  hostile_markup:
    title: "<https://evil.example|Totally Safe Title>"
    outlet: "Evil & Co <b>"
    author: Jane Doe
    date: null
    url: "https://evil.example/a|<!channel>"
    script: null
  hostile_long:
    title: "\u202eLong\u202c title ` _ ~"
    outlet: null
    author: null
    date: null
    url: "javascript:alert(1)"
    script: Simplified
"""

SPEAKERS_YAML = """speakers:
  - name: 张三
    aliases: ["<!channel>", "Zhang San"]
    name_en: Zhang San
    role: "<@U0ROLE> 首席 *开源* 官"
  - name: Jane Doe
    aliases: [Doe]
    name_en: Jane Doe
    role: "<https://evil.example|CEO>"
  - name: 王五
    aliases: [Wang Wu]
    name_en: Wang Wu
    role: null
"""

# The only links a reply may carry: the articles' own URLs that pass escape.SAFE_URL.
SAFE_SOURCE_URLS = ("https://example.com/a?x=1&y=2",)


def build(root: Path) -> Settings:
    """Write the hostile seeds and config under `root` and return Settings pointing at them."""
    seeds, config = root / "seeds", root / "config"
    seeds.mkdir(parents=True, exist_ok=True)
    config.mkdir(parents=True, exist_ok=True)
    for name, text in SEEDS.items():
        (seeds / name).write_text(text, encoding="utf-8")
    (config / "corpus.yaml").write_text(CORPUS_YAML, encoding="utf-8")
    (config / "speakers.yaml").write_text(SPEAKERS_YAML, encoding="utf-8")
    for name in ("stance.yaml", "glossary.yaml", "settings.yaml"):
        (config / name).write_text((DEFAULT_CONFIG_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    return Settings.load(config, seeds)

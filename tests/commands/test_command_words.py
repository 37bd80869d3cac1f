"""config/commands.yaml: the words a mention's command and /compare's two topics are read by are
a user's to extend (another language's "vs"), in both scripts, and a broken file is named."""

from pathlib import Path

import pytest
import yaml

from bot.commands.dispatch import ask
from bot.commands.parse import parse_line, read_topics, request_for, split_topics
from bot.commands.results import UsageError
from bot.commands.words import COMMANDS_FILE, load_command_words
from bot.config import DEFAULT_CONFIG_DIR, ConfigError, Settings


def bundled_lists() -> dict:
    return yaml.safe_load((DEFAULT_CONFIG_DIR / COMMANDS_FILE).read_text(encoding="utf-8"))


def config_with(tmp_path: Path, **more: list[str]) -> Path:
    """The bundled lists, each extended by ``more``'s words, in a config folder of their own."""
    lists = bundled_lists()
    for key, words in more.items():
        lists[key] = lists.get(key, []) + words
    folder = tmp_path / "config"
    folder.mkdir(exist_ok=True)
    (folder / COMMANDS_FILE).write_text(yaml.safe_dump(lists, allow_unicode=True), encoding="utf-8")
    return folder


def test_a_separator_in_another_language_splits_compare_once_added(tmp_path):
    with pytest.raises(UsageError, match="put `vs` between them"):
        split_topics("Meta contre OpenAI")  # three words, no separator the bundled file knows
    words = load_command_words(config_with(tmp_path, compare_separators=["contre"]))
    assert split_topics("Meta contre OpenAI", words) == ("Meta", "OpenAI")
    assert split_topics("Meta CONTRE OpenAI", words) == ("Meta", "OpenAI")  # any case
    assert split_topics("Meta vs OpenAI", words) == ("Meta", "OpenAI")  # the bundled words still work
    assert parse_line("compare Meta contre OpenAI", words).query == "Meta contre OpenAI"


def test_a_command_word_in_another_language_names_the_command_once_added(tmp_path):
    assert parse_line("qui a dit 智商税").command == "quote"  # unknown words: the whole line is a query
    words = load_command_words(config_with(tmp_path, who_said=["qui a dit"], quote=["cherche"], help=["aide"]))
    assert (parse_line("qui a dit 智商税", words).command, parse_line("qui a dit 智商税", words).query) == ("who-said", "智商税")
    assert parse_line("Qui  a dit : 智商税", words).query == "智商税"  # any case, any run of spaces
    assert parse_line("cherche 护城河", words).query == "护城河"
    assert parse_line("chercher 护城河", words).command == "quote"  # a Latin word ends where a word ends...
    assert parse_line("chercher 护城河", words).query == "chercher 护城河"  # ...so this is a plain query
    assert parse_line("aide", words).command == "help"


def test_a_simplified_word_also_matches_its_traditional_spelling(tmp_path):
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / COMMANDS_FILE).write_text(
        "who_said: [谁说的]\nquote: [引用]\ncompare: [对比]\ncompare_separators: [还是]\ncompare_conjunctions: [与]\n",
        encoding="utf-8",
    )
    words = load_command_words(folder)
    assert parse_line("誰說的 智商稅", words).query == "智商稅"
    assert parse_line("對比 開源 還是 閉源", words).query == "開源 還是 閉源"
    assert read_topics("開源 還是 閉源", words) == ("開源", "閉源")
    assert read_topics("開源與閉源", words) == ("開源", "閉源")
    assert read_topics("开源和闭源", words) == ("开源和闭源", None)  # 和 is not in this file


def test_the_bundled_words_read_the_forms_the_help_shows():
    for line, command, query in [
        ("who - said 智商税", "who-said", "智商税"),
        ("whosaid 智商税", "who-said", "智商税"),
        ("Who said? 智商税", "who-said", "智商税"),  # a question mark after the words, in English as in Chinese
        ("谁说的？智商税", "who-said", "智商税"),
        ("开源是智商税，是誰說的？", "who-said", "开源是智商税"),
        ("searching for moats", "quote", "searching for moats"),
        ("比較：開源 閉源", "compare", "開源 閉源"),
        ("？", "help", ""),
    ]:
        request = parse_line(line)
        assert (request.command, request.query) == (command, query), line
    assert split_topics("开源vs闭源") == ("开源", "闭源")
    assert split_topics("開源對閉源") == ("開源", "閉源")
    assert split_topics("Meta v. OpenAI") == ("Meta", "OpenAI")


def test_the_bot_reads_the_words_of_its_own_config_folder(tmp_path, bundled_library):
    """`BOT_CONFIG`'s commands.yaml, not the bundled one, through the entry point every front end uses."""
    settings = Settings(config_dir=config_with(tmp_path, who_said=["qui a dit"], compare_separators=["contre"]))
    assert ask("qui a dit 开源其实是一种智商税", bundled_library, settings).command == "who-said"
    assert request_for("compare", "open contre closed", load_command_words(settings.config_dir)).query == "open contre closed"
    with pytest.raises(UsageError):
        ask("compare Meta contre OpenAI", bundled_library, Settings())  # three words, no separator it knows


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("who_said: [who said\nquote: [quote]\n", "invalid YAML"),
        ("quote: find\n", "'quote' must be a list of words"),
        ("quote: [find, {a: b}]\n", "'quote' must be a list of words"),
        ("separators: [vs]\n", "unknown list(s): separators"),
        ("- quote\n", "expected a mapping"),
    ],
)
def test_a_broken_file_is_a_config_error_naming_it(tmp_path, content, says):
    (tmp_path / COMMANDS_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_command_words(tmp_path)
    assert COMMANDS_FILE in str(error.value) and says in str(error.value)


def test_a_config_folder_without_the_file_reads_the_bundled_words(tmp_path):
    assert load_command_words(tmp_path) == load_command_words(DEFAULT_CONFIG_DIR)
    assert parse_line("对比 开源 闭源", load_command_words(tmp_path)).command == "compare"

"""bot.config's one way of reading a config file: the user's folder first, the bundled file for
what it lacks, parsed once per version of the file."""

import os

import pytest

from bot.config import DEFAULT_CONFIG_DIR, ConfigError, config_file, read_parsed


def test_a_folder_without_the_file_reads_the_bundled_one(tmp_path):
    (tmp_path / "mine.yaml").write_text("a: 1\n", encoding="utf-8")
    assert config_file(tmp_path, "mine.yaml") == tmp_path / "mine.yaml"
    assert config_file(tmp_path, "headers.yaml") == DEFAULT_CONFIG_DIR / "headers.yaml"
    assert config_file(None, "headers.yaml") == DEFAULT_CONFIG_DIR / "headers.yaml"


def test_a_file_is_parsed_once_until_it_changes(tmp_path):
    path = tmp_path / "words.yaml"
    path.write_text("words: [甲]\n", encoding="utf-8")
    calls = []

    def parse(data, where):
        calls.append(where)
        return tuple(data["words"])

    assert read_parsed(path, parse) == ("甲",)
    assert read_parsed(path, parse) == ("甲",)
    assert len(calls) == 1
    path.write_text("words: [甲, 乙]\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a new version even within one clock tick
    assert read_parsed(path, parse) == ("甲", "乙")
    assert len(calls) == 2


def test_bad_yaml_names_the_file_and_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("words: [甲\nnext: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_parsed(path, lambda data, where: data)
    assert str(path) in str(caught.value) and "invalid YAML" in str(caught.value)

"""`bot index build` saves the library for the current seeds; `bot index info` says whether one matches."""

import json

from bot.cli import main


def test_index_info_before_and_after_build(monkeypatch, capsys, make_library_dir, tmp_path):
    seeds, _ = make_library_dir({"a.txt": "张三说，“开源让每个人受益。”\n"})
    monkeypatch.setenv("BOT_SEEDS", str(seeds))
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["index", "info", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["state"] == "missing"
    assert main(["index", "build", "--quiet"]) == 0
    assert "1 documents, 1 passages" in capsys.readouterr().out
    assert main(["index", "info", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["state"] == "fresh"


def test_index_build_needs_the_cache_on(monkeypatch, capsys):
    monkeypatch.setenv("BOT_CACHE_DIR", "off")
    assert main(["index", "build", "--quiet"]) == 2
    assert "off" in capsys.readouterr().err

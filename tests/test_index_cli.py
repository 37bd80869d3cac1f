"""`bot index build` saves the cleaned corpus; `bot index info` says what is saved."""

from bot.cli import main


def test_index_info_before_and_after_build(monkeypatch, capsys, make_library_dir, tmp_path):
    seeds, _ = make_library_dir({"a.txt": "张三说，“开源让每个人受益。”\n"})
    monkeypatch.setenv("BOT_SEEDS", str(seeds))
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["index", "info"]) == 1
    assert "bot index build" in capsys.readouterr().out
    assert main(["index", "build"]) == 0
    built = capsys.readouterr().out
    assert "1 documents, 1 passages" in built and ".pickle" in built
    assert main(["index", "info"]) == 0
    assert "1 documents" in capsys.readouterr().out


def test_index_needs_the_cache_on(monkeypatch, capsys):
    monkeypatch.setenv("BOT_CACHE_DIR", "off")
    assert main(["index", "build"]) == 2
    assert "off" in capsys.readouterr().err

"""Loading: every document that can load does; every one that can't is named in one clear line."""

import json

from bot.cli import main
from bot.corpus.loader import load_corpus

GOOD = "标题在此\n\n张三表示，“开源让每个人受益。”\n\n这是作者的叙述。\n"
META = "documents:\n  good:\n    title: 好文章\n    author: 李四\n    script: Simplified\n"


def test_a_good_document_loads_with_its_metadata(make_library_dir):
    seeds, config = make_library_dir({"good.txt": GOOD}, {"corpus.yaml": META})
    corpus = load_corpus(seeds, config)
    assert corpus.problems == ()
    (document,) = corpus.documents
    assert document.source.title == "好文章"
    assert [p.id for p in document.passages] == ["good:0", "good:1"]
    assert document.headings == ("标题在此",)


def test_a_document_without_metadata_is_named_by_its_first_heading(make_library_dir):
    seeds, config = make_library_dir({"other.md": GOOD})
    (document,) = load_corpus(seeds, config).documents
    assert document.doc_id == "other"
    assert document.source.title == "标题在此" and document.source.author is None
    assert document.reading.title_from == "the first heading"


def test_without_a_heading_the_first_line_is_the_title_cut_to_a_titles_length(make_library_dir):
    first_line = "这是一段很长的开场白，" * 12 + "讲完了。"
    seeds, config = make_library_dir({"plain.txt": first_line + "\n\n第二段在这里，也是完整的一句话。\n"})
    (document,) = load_corpus(seeds, config).documents
    assert document.source.title.endswith("…") and first_line.startswith(document.source.title[:-1])
    assert document.reading.title_from == "the first line"


def test_front_matter_names_a_markdown_export(make_library_dir):
    exported = "---\ntitle: 导出的文章\nauthor: 王五\nurl: https://example.org/a\n---\n" + GOOD
    seeds, config = make_library_dir({"export.md": exported})
    (document,) = load_corpus(seeds, config).documents
    assert (document.source.title, document.source.author, document.source.url) == ("导出的文章", "王五", "https://example.org/a")
    assert document.reading.title_from == "the front matter"


def test_a_config_entry_wins_over_what_the_file_says(make_library_dir):
    seeds, config = make_library_dir({"good.txt": GOOD}, {"corpus.yaml": META})
    (document,) = load_corpus(seeds, config).documents
    assert document.source.title == "好文章" and document.reading.title_from is None


def test_two_files_with_one_id_are_a_problem_not_a_silent_overwrite(make_library_dir):
    seeds, config = make_library_dir({"same.txt": GOOD, "same.md": GOOD})
    corpus = load_corpus(seeds, config)
    assert [d.doc_id for d in corpus.documents] == ["same"]
    (problem,) = corpus.problems
    assert "same.txt" in problem and "rename one" in problem


def test_a_missing_or_empty_folder_is_named(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.pdf").write_bytes(b"%PDF-1.4")
    assert "no article files" in load_corpus(tmp_path / "empty", tmp_path).problems[0]
    assert "seed folder not found" in load_corpus(tmp_path / "missing", tmp_path).problems[0]


def test_bad_files_are_named_and_the_rest_still_load(make_library_dir):
    seeds, config = make_library_dir(
        {
            "good.txt": GOOD,
            "empty.txt": "",
            "latin1.txt": "caf\xe9 ol\xe9".encode("latin-1"),
            "binary.txt": b"\x00\x01\x02PK\x03\x04",
        }
    )
    corpus = load_corpus(seeds, config)
    assert [d.doc_id for d in corpus.documents] == ["good"]
    problems = "\n".join(corpus.problems)
    assert "empty.txt: empty file" in problems
    assert "latin1.txt: not text in a supported encoding" in problems
    assert "binary.txt: binary file" in problems


def test_broken_yaml_is_reported_with_file_and_line(make_library_dir):
    seeds, config = make_library_dir({"good.txt": GOOD}, {"corpus.yaml": "documents:\n  good: [unclosed\n"})
    corpus = load_corpus(seeds, config)
    assert [d.doc_id for d in corpus.documents] == ["good"]
    (problem,) = corpus.problems
    assert "corpus.yaml:" in problem and "invalid YAML" in problem


def test_what_users_see_is_the_articles_own_punctuation(bundled_corpus):
    traditional = bundled_corpus.document("000_de9d05bb3827361c")
    assert any("," in p.text for p in traditional.passages)  # ASCII commas as the article has them


def test_corpus_command_lists_every_passage_as_json_lines(capsys, monkeypatch, make_library_dir):
    seeds, config = make_library_dir({"good.txt": GOOD})
    monkeypatch.setenv("BOT_SEEDS", str(seeds))
    assert main(["corpus", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["passage_id"] for r in rows] == ["good:0", "good:1"]
    assert {"passage_id", "doc_id", "text", "speaker"} <= set(rows[0])


def test_corpus_check_fails_on_a_bad_document(capsys, monkeypatch, make_library_dir):
    seeds, _ = make_library_dir({"good.txt": GOOD, "bad.txt": b"\xff\xfe\x00"})
    monkeypatch.setenv("BOT_SEEDS", str(seeds))
    assert main(["corpus", "--check"]) == 1
    out = capsys.readouterr().out
    assert "ok good" in out and "problem:" in out and "bad.txt" in out


def test_corpus_check_passes_on_the_bundled_seeds(capsys, monkeypatch):
    monkeypatch.delenv("BOT_SEEDS", raising=False)
    assert main(["corpus", "--check"]) == 0
    assert capsys.readouterr().out.count("ok ") == 5

"""The learned stage: n-gram features, the saved model file, the decision rule, and training.

Training runs on small articles written here (invented firms, in both scripts), never on the
seeds; what is asserted is behaviour: offsets that point at the words, a model that survives
its file, a broken file that is reported and leaves the rules to decide, and a model that
learns a word the lexicon does not know.
"""

import json

import numpy as np
import pytest

from bot.config import DEFAULT_CONFIG_DIR, ConfigError, Settings
from bot.corpus.loader import load_corpus, load_documents
from bot.corpus.stance import MODEL_FILE, load_lexicon, load_model
from bot.corpus.stance.features import SIGNALS, ngram_key, ngram_table, ngram_text, present
from bot.corpus.stance.learned import CLASSES, model_from_dict, model_to_dict, place
from bot.corpus.stance.train import Options, cross_validated, examples_from, rates, train
from bot.corpus.stance.words import Segmenter
from bot.search import cache
from bot.evaluation.stance import labelled_passages

pytest.importorskip("sklearn")


def test_ngrams_point_at_their_characters_and_never_cross_texts():
    texts = ["开源好", "ab", "闭源"]
    table = ngram_table(texts)
    for key, row, start, size in zip(table.keys, table.rows, table.starts, table.sizes):
        assert ngram_text(int(key)) == texts[row][start : start + size]
    assert ngram_key("好a") not in set(table.keys.tolist())  # 开源好 | ab: no n-gram spans the two
    assert len(table.keys) == (3 + 2 + 1) + (2 + 1) + (2 + 1)


def test_figures_are_one_ngram():
    table = ngram_table(["2025年", "1999年"])
    assert set(table.keys[table.rows == 0].tolist()) == set(table.keys[table.rows == 1].tolist())


def test_each_text_counts_once_per_ngram_and_has_unit_length():
    table = ngram_table(["开源开源开源", "没有词"])
    vocabulary = np.sort(np.array([ngram_key("开源"), ngram_key("开"), ngram_key("词")], dtype=np.int64))
    rows, columns, values = present(table, vocabulary, 2)
    for row in (0, 1):
        assert np.isclose(np.sum(values[rows == row] ** 2), 1.0)
    assert len(columns[rows == 0]) == 2  # 开 and 开源, once each


def _model(bias_ngram: str, stance: str, **rule):
    """A model that knows one n-gram, pushing toward ``stance``."""
    weights = np.zeros((1, len(CLASSES)))
    weights[0, CLASSES.index(stance)] = 8.0
    data = {
        "format": 1,
        "classes": list(CLASSES),
        "signals": list(SIGNALS),
        "min_probability": rule.get("min_probability", 0.6),
        "veto": rule.get("veto", 0.0),
        "rules_first": rule.get("rules_first", True),
        "intercept": [0, 0, 0, 2.0],
        "signal_mean": [0.0] * len(SIGNALS),
        "signal_scale": [1.0] * len(SIGNALS),
        "signal_weights": [[0.0] * len(CLASSES) for _ in SIGNALS],
        "ngrams": {bias_ngram: weights[0].tolist()},
    }
    return data


def test_a_model_survives_its_file_and_quotes_the_words_that_moved_it():
    model = model_from_dict(_model("门开着", "open"))
    again = model_from_dict(json.loads(json.dumps(model_to_dict(model))))
    texts = ["最后赢的总是门开着的那一家", "今天天气很好"]
    table = ngram_table(texts)
    signals = np.zeros((2, len(SIGNALS)))
    probabilities = again.probabilities(table, signals)
    assert np.allclose(probabilities, model.probabilities(table, signals))
    assert probabilities[0].argmax() == CLASSES.index("open") and probabilities[1].argmax() == CLASSES.index("neutral")
    words = Segmenter(load_lexicon(DEFAULT_CONFIG_DIR)).words(texts[0])
    assert again.reasons(table, 0, "open", texts[0], words) == ["门开着"]


@pytest.mark.parametrize(
    ("ngram", "text", "quoted"),
    [
        ("态系", "開源讓整個生態系統更活躍", ["生態系統"]),  # the piece of a word, widened to the word
        ("们的", "他們的代碼大家都能看", []),  # pronoun and particle: no word a reader can take as a reason
        ("ot", "Moonshot 的代碼大家都能看", ["Moonshot"]),  # an English word, whole
    ],
)
def test_a_learned_reason_quotes_whole_words_of_the_passage(ngram, text, quoted):
    lexicon = load_lexicon(DEFAULT_CONFIG_DIR)
    model = model_from_dict(_model(ngram, "open"))
    folded = lexicon.fold(text)
    table = ngram_table([folded])
    assert model.reasons(table, 0, "open", text, Segmenter(lexicon).words(folded)) == quoted


def test_the_models_reasons_on_real_articles_are_whole_words(dev_articles_documents):
    """The saved model's reasons for every labelled passage of the development articles (their
    best column), in bulk: each begins and ends where the passage's words do."""
    lexicon = load_lexicon(DEFAULT_CONFIG_DIR)
    model = load_model(DEFAULT_CONFIG_DIR)
    segmenter = Segmenter(lexicon)
    # tests/conftest.py: load_documents(tests/dev_articles/articles, DEFAULT_CONFIG_DIR), once per session
    passages = [p for p in dev_articles_documents.passages if len(p.text) > 20]
    folded = [lexicon.fold(p.text) for p in passages]
    table = ngram_table(folded)
    best = model.probabilities(table, np.zeros((len(passages), len(SIGNALS))) + model.signal_mean).argmax(axis=1)
    quoted = 0
    for row, (passage, text) in enumerate(zip(passages, folded)):
        if best[row] == CLASSES.index("neutral"):
            continue
        words = segmenter.words(text)
        bounds = {w.start for w in words} | {w.end for w in words}
        for part in model.reasons(table, row, CLASSES[best[row]], passage.text, words):
            places = [i for i in range(len(passage.text)) if passage.text.startswith(part, i)]
            quoted += 1
            assert any(at in bounds and at + len(part) in bounds for at in places), (passage.id, part)
    assert quoted >= 100


def test_the_decision_rule_keeps_neutral_and_doubtful_passages_out():
    p = np.array([[0.9, 0.05, 0.03, 0.02], [0.5, 0.2, 0.1, 0.2], [0.1, 0.1, 0.1, 0.7], [0.05, 0.9, 0.03, 0.02]])
    may = np.array([True, True, True, False])
    assert place(p, [None, None, None, None], may, 0.6, 0.0, False) == ["open", None, None, None]
    assert place(p, [None, "closed", "both", None], may, 0.6, 0.0, True) == ["open", "closed", "both", None]
    assert place(p, [None, "closed", "both", None], may, 0.6, 0.15, True) == ["open", "closed", None, None]
    assert place(p, ["closed", None, None, None], may, 0.6, 0.0, False) == ["open", None, None, None]


@pytest.mark.parametrize(
    "content, problem",
    [
        ("{not json", "not a readable stance model"),
        (json.dumps({"format": 99}), "retrain it"),
        (json.dumps(dict(_model("x", "open"), signals=["other"])), "signals differ"),
        (json.dumps(dict(_model("x", "open"), min_probability=3)), "between 0 and 1"),
    ],
)
def test_a_broken_model_file_is_a_clear_problem_and_the_rules_still_decide(tmp_path, content, problem):
    config = tmp_path / "config"
    config.mkdir()
    for name in ("stance.yaml", "settings.yaml"):
        (config / name).write_bytes((DEFAULT_CONFIG_DIR / name).read_bytes())
    (config / MODEL_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        load_model(config)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "900_note.txt").write_text("开源模型比闭源模型便宜得多，也更透明。\n", encoding="utf-8")
    corpus = load_corpus(seeds, config)
    assert any(MODEL_FILE in p and problem in p for p in corpus.problems)
    assert corpus.passages[0].stance == "open"  # the rules alone


def test_the_saved_library_is_rebuilt_when_the_model_changes(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "stance.yaml").write_bytes((DEFAULT_CONFIG_DIR / "stance.yaml").read_bytes())
    settings = Settings(config_dir=config, seeds_dir=tmp_path)
    before = cache.library_key(settings)
    (config / MODEL_FILE).write_text(json.dumps(_model("x", "open")), encoding="utf-8")
    assert cache.library_key(settings) != before


# Small articles for training: a word the lexicon has never heard of (栈桥 for the open side,
# 穹顶 for the closed side) carries the argument, as metaphors do in real op-eds.
OPEN_LINES = ["这家公司认为开源模型就是一座栈桥，{}", "開源社區像一座棧橋，{}"]
CLOSED_LINES = ["他说闭源模型是一座穹顶，{}", "閉源路線就像穹頂，{}"]
NEUTRAL_LINES = ["开源与闭源的讨论在会上被提起，{}", "會議提到開源和閉源兩種模型，{}"]
TAILS = ["人人都在谈。", "大家议论纷纷。", "记者在现场。", "下午继续开会。", "周三发布消息。", "会后有采访。"]


def _write_articles(folder):
    folder.mkdir()
    cases = []
    for n in range(6):
        lines = []
        for kind, templates in (("open", OPEN_LINES), ("closed", CLOSED_LINES), ("neutral", NEUTRAL_LINES)):
            text = templates[n % 2].format(TAILS[n])
            lines.append(text)
            cases.append({"id": f"{kind}{n}", "doc": f"80{n}", "expect": text[:8], "stance": kind})
        (folder / f"80{n}_piece.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return cases


def test_training_learns_an_argument_the_lexicon_does_not_know(tmp_path):
    from bot.evaluation import contains

    cases = _write_articles(tmp_path / "articles")
    corpus = load_documents(tmp_path / "articles", DEFAULT_CONFIG_DIR)
    found, unfound = labelled_passages(cases, corpus, contains)
    assert unfound == []
    examples = examples_from(corpus.documents, found, load_lexicon(DEFAULT_CONFIG_DIR))
    assert examples.rules.count(None) == len(examples.rules)  # the rules see no argument in them
    options = Options(c=10.0)
    held_out = cross_validated(examples, options)
    assert (held_out.argmax(axis=1) == examples.labels).mean() >= 0.8  # articles it has not seen
    model, _ = train(examples, options)
    right, wrong, kept = rates(examples.labels, place(held_out, examples.rules, examples.may_place, model.thresholds, model.veto, model.rules_first))
    assert right > 0.5 and wrong <= 0.04 and kept >= 0.92


def test_bot_stance_train_writes_a_model_the_build_uses(tmp_path, capsys):
    import yaml

    from bot.cli import main

    cases = _write_articles(tmp_path / "articles")
    labels = tmp_path / "stance.yaml"
    labels.write_text(yaml.safe_dump({"stance": cases}, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "model.json"
    assert main(["stance", "train", str(labels), "--out", str(out), "--c", "10"]) == 0
    printed = capsys.readouterr().out
    assert "cross validated" in printed and "in sample" in printed
    model = load_model_file(out)
    assert model.about["passages"] == len(cases) and model.about["articles"] == 6


def load_model_file(path):
    return model_from_dict(json.loads(path.read_text(encoding="utf-8")))


def test_bot_stance_train_refuses_labels_it_cannot_learn_from(tmp_path, capsys):
    from bot.cli import main

    (tmp_path / "articles").mkdir()
    labels = tmp_path / "stance.yaml"
    labels.write_text("stance:\n  - {id: a, doc: '1', expect: 无此句, stance: open}\n", encoding="utf-8")
    assert main(["stance", "train", str(labels), "--out", str(tmp_path / "m.json")]) == 2
    assert "training needs at least 3" in capsys.readouterr().err
    assert not (tmp_path / "m.json").exists()
    labels.write_text("stance: 5\n", encoding="utf-8")
    assert main(["stance", "train", str(labels)]) == 2
    assert "must be a list of cases" in capsys.readouterr().err


def test_training_rows_of_one_label_give_a_model_that_says_only_that():
    from bot.corpus.stance.train import Examples, fit

    table = ngram_table(["开源好", "闭源坏"])
    pairs = np.unique(np.stack([table.keys, table.rows.astype(np.int64)], axis=1), axis=0)
    examples = Examples(["开源好", "闭源坏"], table, np.zeros((2, len(SIGNALS))), np.array([0, 0]), np.array(["1", "2"]), [None, None], np.array([True, True]), pairs=pairs)
    model = fit(examples, Options())
    assert (model.probabilities(table, np.zeros((2, len(SIGNALS)))).argmax(axis=1) == 0).all()


def test_each_column_can_need_its_own_probability():
    p = np.array([[0.8, 0.1, 0.05, 0.05], [0.1, 0.8, 0.05, 0.05], [0.05, 0.1, 0.8, 0.05]])
    may = np.ones(3, dtype=bool)
    assert place(p, [None] * 3, may, 0.75, 0.0, True) == ["open", "closed", "both"]
    assert place(p, [None] * 3, may, (0.75, 0.85, 0.8), 0.0, True) == ["open", None, "both"]
    model = model_from_dict(dict(_model("x", "open"), column_probability={"open": 0.7, "closed": 0.9, "both": 0.8}))
    again = model_from_dict(json.loads(json.dumps(model_to_dict(model))))
    assert again.thresholds.tolist() == [0.7, 0.9, 0.8]
    assert model_from_dict(_model("x", "open", min_probability=0.65)).thresholds.tolist() == [0.65] * 3
    with pytest.raises(ValueError, match="column_probability"):
        model_from_dict(dict(_model("x", "open"), column_probability={"open": 0.7}))


def test_the_thresholds_chosen_keep_wrong_columns_under_the_target():
    from bot.corpus.stance.train import NEUTRAL_TARGET, WRONG_TARGET, Examples, choose_rule

    rng = np.random.default_rng(7)
    labels = rng.integers(0, 4, 400)
    noisy = np.eye(4)[labels] * rng.uniform(0.0, 3.0, (400, 1)) + rng.uniform(0, 1.5, (400, 4))
    probabilities = noisy / noisy.sum(axis=1, keepdims=True)
    table = ngram_table([""] * 400)
    examples = Examples([""] * 400, table, np.zeros((400, len(SIGNALS))), labels, np.arange(400) % 10, [None] * 400, np.ones(400, dtype=bool))
    rule = choose_rule(examples, probabilities)
    right, wrong, kept = rates(labels, place(probabilities, examples.rules, examples.may_place, rule["column_probability"], 0.0, True))
    assert wrong <= WRONG_TARGET and kept >= NEUTRAL_TARGET and right > 0.1
    one = choose_rule(examples, probabilities, np.flatnonzero(examples.groups != 0))  # chosen without article 0
    assert len(one["column_probability"]) == 3 and one["min_probability"] == min(one["column_probability"])


def test_one_probability_is_chosen_for_every_column():
    """Three thresholds fitted the noise of a few articles (0.056 wrong chosen without each
    article, against 0.045 where they were chosen); one, shared, does not. Here three thresholds
    would take the open column at 0.7 and the closed one at 0.95; one cannot go below the closed
    column's doubtful passages at 0.72, so it places the closed column's sure passages alone."""
    from bot.corpus.stance.train import WRONG_TARGET, Examples, choose_rule

    # 60 open at 0.7 (58 right), 60 closed at 0.95 (57 right), 30 closed at 0.72 (15 right), 60 neutral
    labels = np.array([0] * 58 + [1] * 2 + [1] * 57 + [0] * 3 + [1] * 15 + [0] * 15 + [3] * 60)
    probabilities = np.tile([0.02, 0.02, 0.02, 0.94], (210, 1))
    probabilities[:60] = [0.7, 0.1, 0.1, 0.1]
    probabilities[60:120] = [0.02, 0.95, 0.02, 0.01]
    probabilities[120:150] = [0.1, 0.72, 0.08, 0.1]
    table = ngram_table([""] * 210)
    examples = Examples([""] * 210, table, np.zeros((210, len(SIGNALS))), labels, np.arange(210) % 7, [None] * 210, np.ones(210, dtype=bool))
    rule = choose_rule(examples, probabilities, vetoes=(0.0,))
    assert len(set(rule["column_probability"])) == 1
    right, wrong, _ = rates(labels, place(probabilities, examples.rules, examples.may_place, rule["column_probability"], 0.0, True))
    assert wrong <= WRONG_TARGET and right == 57 / 150


def test_a_veto_is_chosen_only_when_the_rules_verdicts_the_model_doubts_are_wrong():
    from bot.corpus.stance.train import Examples, choose_rule

    vetoes = (0.0, 0.05, 0.1, 0.15, 0.2)  # the values the trainer may be given (train.VETOES)
    # 40 argued passages the rules place: 36 right, 4 wrong (10%, over the target); the model gives
    # the wrong ones' column 0.05 and the right ones' 0.7; 20 neutral passages the rules leave out
    labels = np.array([0] * 36 + [1] * 4 + [3] * 20)
    rules = ["open"] * 40 + [None] * 20
    probabilities = np.tile([0.1, 0.1, 0.1, 0.7], (60, 1))
    probabilities[:36] = [0.7, 0.1, 0.1, 0.1]
    probabilities[36:40] = [0.05, 0.8, 0.1, 0.05]
    table = ngram_table([""] * 60)
    examples = Examples([""] * 60, table, np.zeros((60, len(SIGNALS))), labels, np.arange(60) % 6, rules, np.ones(60, dtype=bool))
    rule = choose_rule(examples, probabilities, vetoes=vetoes)
    assert rule["veto"] in vetoes and 0.05 < rule["veto"]
    right, wrong, _ = rates(labels, place(probabilities, rules, examples.may_place, rule["column_probability"], rule["veto"], True))
    assert right == 36 / 40 and wrong == 0.0
    trusted = probabilities.copy()
    trusted[36:40] = [0.7, 0.1, 0.1, 0.1]  # the model agrees with the wrong verdicts: vetoing them is no use
    assert choose_rule(examples, trusted, vetoes=vetoes)["veto"] == 0.0
    assert choose_rule(examples, probabilities, vetoes=(0.0,))["veto"] == 0.0  # off when the trainer is given no other value


def test_saving_a_model_over_what_is_no_regular_file_is_refused(tmp_path):
    import os

    from bot.config import ConfigError
    from bot.evaluation.stance import save_model

    model = model_from_dict(_model("x", "open"))
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for path in (pipe, tmp_path):
        with pytest.raises(ConfigError, match="not a regular file"):
            save_model(model, path)
    assert pipe.is_fifo() and not (tmp_path / "pipe.tmp").exists()
    save_model(model, tmp_path / "model.json")
    assert load_model_file(tmp_path / "model.json").vocabulary.tolist() == model.vocabulary.tolist()

"""Stance comes from cue phrases and the passage's own words, in either script."""

import pytest

from bot.commands.stance import load_stance_model
from bot.config import ConfigError, DEFAULT_CONFIG_DIR
from bot.corpus.models import Passage


def passage(text: str) -> Passage:
    return Passage(id="t:0", doc_id="t", number=0, text=text, raw_span=(0, len(text)))


@pytest.fixture(scope="module")
def model():
    return load_stance_model(DEFAULT_CONFIG_DIR)


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("我坚信开源能加速创新，并且大幅降低成本。", "open"),
        ("我堅信開源能加速創新，並且大幅降低成本。", "open"),
        ("在现阶段，开源模型根本追不上闭源模型，企业还是应该选择闭源。", "closed"),
        ("閉源的商業模式更加清晰，前景也更好。", "closed"),
        ("开源和闭源并不是对立的，而是相互补充的。", "both"),
        ("公司把两者结合起来，开源做基础，闭源做服务。", "both"),
        ("今天的天气很好，我们去公园散步。", None),
        ("开源是一个常见的话题。", None),
    ],
)
def test_stance_of_a_passage(model, text, stance):
    assert model.judge(passage(text)).stance == stance


@pytest.mark.parametrize(
    ("topic", "side"),
    [("open", "open"), ("Open Source", "open"), ("開源", "open"), ("閉源", "closed"), ("proprietary", "closed"), ("Meta", None)],
)
def test_topics_that_switch_compare_to_stance_mode(model, topic, side):
    assert model.topic_stance(topic) == side


def test_a_broken_stance_file_names_itself(tmp_path):
    (tmp_path / "stance.yaml").write_text("cues:\n  open:\n    - {pattern: '(unclosed', weight: 1}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_stance_model(tmp_path)
    assert "stance.yaml" in str(error.value)

"""Session 7, held-out families: a turn label that is a bare surname (a crosstalk script's 甄：/
郝：, an interview's 宁：) is the one person of the article with that surname; a forum poster
marked 楼主 in brackets is the handle without the mark. Both scripts, nobody listed; all sentences
invented."""

from __future__ import annotations

import pytest

from tests.corpus.attribution.helpers import SCRIPTS, in_script, read, speaker_at

both_scripts = pytest.mark.parametrize("script", SCRIPTS)


@both_scripts
def test_a_surname_label_is_the_one_person_of_that_surname(script):
    passages = read(
        "群口小品《上云》，演员：甄多福，郝有才",
        "甄：我们厂的机器全换成自己的模型了。",
        "郝：那电费谁出？",
        "甄：电费比租金便宜多了。",
        script=script,
    )
    assert speaker_at(passages[1], "全换成自己的模型了", script) == in_script("甄多福", script)
    assert speaker_at(passages[2], "那电费谁出", script) == in_script("郝有才", script)
    assert speaker_at(passages[3], "电费比租金便宜多了", script) == in_script("甄多福", script)


@both_scripts
def test_a_surname_two_people_share_stays_the_label(script):
    passages = read(
        "对谈嘉宾：宁思远，宁可欣",
        "宁：模型放出来以后，社区修了很多漏洞。",
        "宁：可是维护的人手一直不够。",
        script=script,
    )
    assert speaker_at(passages[1], "社区修了很多漏洞", script) not in {
        in_script("宁思远", script),
        in_script("宁可欣", script),
    }


@both_scripts
def test_a_floor_poster_marked_as_the_thread_starter_is_the_handle(script):
    passages = read(
        "1楼 深夜煮面的人（楼主）：",
        "我们组的模型下个月要开源了，心里有点慌。",
        "4楼 路过的橘子：",
        "别慌，开源以后来找你们的客户只会更多。",
        script=script,
    )
    assert speaker_at(passages[1], "心里有点慌", script) == in_script("深夜煮面的人", script)
    assert speaker_at(passages[3], "客户只会更多", script) == in_script("路过的橘子", script)


def test_a_transcripts_labels_in_capitals_are_its_speakers():
    passages = read(
        "Source: The Lattice Hour podcast, hosted by Rosalind Achebe",
        "ROSALIND ACHEBE: Welcome back. My guest runs a small model lab in Porto.",
        "TOMAS VEIGA: Thanks for having me. We publish every checkpoint we train.",
        "ROSALIND ACHEBE: Does that scare your investors?",
        "TOMAS VEIGA: Only the ones who never read the licence.",
    )
    assert speaker_at(passages[2], "We publish every checkpoint we train") == "Tomas Veiga"
    assert speaker_at(passages[3], "Does that scare your investors") == "Rosalind Achebe"
    assert speaker_at(passages[4], "never read the licence") == "Tomas Veiga"


def test_a_heading_in_capitals_is_no_speaker():
    (_, heading) = read(
        "MIRA SOLBERG: We open the small models first.",
        "BREAKING NEWS: the regulator has changed its guidance on open weights.",
    )
    assert speaker_at(heading, "the regulator has changed its guidance") != "Breaking News"

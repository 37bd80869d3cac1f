"""The dev set is for measuring, never for tuning: none of its queries, expectations or ids in the repo."""

import re

import pytest
import yaml

from tests.conftest import REPO, SHARED

DEV = SHARED / "eval" / "dev.yaml"
SEARCHED = ("bot", "config", "tests", "bench", "docs", ".ci", "README.md", "pyproject.toml", "Procfile")
SUFFIXES = {".py", ".yaml", ".yml", ".md", ".txt", ".toml", ".json"}


def dev_strings() -> set[str]:
    data = yaml.safe_load(DEV.read_text(encoding="utf-8"))
    found = set()
    for section in ("quote", "who_said", "stance"):
        for case in data.get(section) or []:
            for key in ("query", "expect"):
                if case.get(key) and len(str(case[key])) >= 4:
                    found.add(str(case[key]))
    return found


@pytest.mark.skipif(not DEV.exists(), reason="no ../shared/eval/dev.yaml")
def test_no_dev_set_string_or_id_in_code_config_tests_or_docs():
    strings = dev_strings()
    ids = re.compile(r"\bd[qws]\d\d\b")
    offenders = []
    for folder in SEARCHED:
        root = REPO / folder
        for path in [root] if root.is_file() else root.rglob("*"):
            if not path.is_file() or (path.suffix not in SUFFIXES and path.parent.name != ".ci"):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            offenders += [f"{path.relative_to(REPO)}: {s}" for s in strings if s in text]
            if ids.search(text):
                offenders.append(f"{path.relative_to(REPO)}: an eval id")
    assert offenders == []

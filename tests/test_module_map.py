"""docs/FILES.md's "The code, module by module" names every module under bot/, and none that does not exist."""

from __future__ import annotations

import ast
import re

from tests.conftest import REPO

SECTION = "## The code, module by module"
PACKAGE = re.compile(r"^`(bot(?:/[\w]+)*)/`$")
MODULE = re.compile(r"^- `([\w]+\.py)`")


def listed() -> set[str]:
    text = (REPO / "docs" / "FILES.md").read_text(encoding="utf-8")
    assert SECTION in text, f"docs/FILES.md has no section {SECTION!r}"
    found, package = set(), None
    for line in text.split(SECTION, 1)[1].splitlines():
        if line.startswith("## "):
            break
        if PACKAGE.match(line):
            package = PACKAGE.match(line).group(1)
        elif MODULE.match(line) and package:
            found.add(f"{package}/{MODULE.match(line).group(1)}")
    return found


def line_for(path: str) -> str:
    """The line to add for a module: its name and the first sentence of its docstring."""
    doc = ast.get_docstring(ast.parse((REPO / path).read_text(encoding="utf-8"))) or ""
    first = " ".join(doc.split("\n\n")[0].split())
    return f"{path}: - `{path.rsplit('/', 1)[1]}`" + (f": {first}" if first else "")


def test_files_md_names_every_module_and_no_other():
    existing = {p.relative_to(REPO).as_posix() for p in (REPO / "bot").rglob("*.py")}
    names = listed()
    missing, gone = sorted(existing - names), sorted(names - existing)
    assert not missing, "docs/FILES.md does not name these modules; add under their package:\n" + "\n".join(map(line_for, missing))
    assert not gone, f"docs/FILES.md names modules that do not exist: {gone}"

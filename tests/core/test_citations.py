"""The code cites the rules it relies on where a reader can find them: docs/architecture.md, not
documents outside the repository (issue 17 §5)."""

from __future__ import annotations

import re
from pathlib import Path

import kesu

SRC = Path(kesu.__file__).parent
ARCHITECTURE = Path(kesu.__file__).parents[2] / "docs" / "architecture.md"


def test_no_citation_of_documents_outside_the_repository():
    cited = [f"{path.relative_to(SRC)}:{number}" for path in SRC.rglob("*.py")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if re.search(r"DESIGN rule|REQUIREMENTS [§\"]", line)]
    assert cited == []


def test_every_cited_rule_of_the_architecture_exists():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    for path in SRC.rglob("*.py"):
        source = re.sub(r"\s+", " ", path.read_text(encoding="utf-8"))
        for name in re.findall(r'docs/architecture\.md, "([^"]+)"', source):
            assert f"**{name}" in text or f"## {name}" in text, (path.name, name)

"""The repository explains itself: docs/DOMAIN.md names every mart column, and every
reference to the domain contract points at it, at a section it has."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
DOMAIN = REPO / "docs" / "DOMAIN.md"
SKIP = {".venv", ".venv-superset", "data", "target", "logs", ".git", "test-output"}
TEXT = {".py", ".md", ".yml", ".yaml", ".sql", ".j2", ".toml"}


def _text_files() -> list[Path]:
    return [
        path
        for path in REPO.rglob("*")
        if path.suffix in TEXT
        and path.is_file()
        and not SKIP & set(path.relative_to(REPO).parts)
        and "egg-info" not in str(path)
    ]


def test_every_mart_column_is_explained_in_the_domain_contract():
    domain = DOMAIN.read_text(encoding="utf-8")
    missing = []
    for path in (REPO / "dbt_project" / "models" / "marts").glob("_*.yml"):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            if f"`{model['name']}`" not in domain:
                missing.append(model["name"])
            missing += [
                f"{model['name']}.{column['name']}"
                for column in model.get("columns", [])
                if f"`{column['name']}`" not in domain
            ]
    assert missing == []


def test_references_to_the_domain_contract_point_at_docs_domain_md_and_its_sections():
    sections = set(re.findall(r"^#+ (\d+(?:\.\d+)*)\.? ", DOMAIN.read_text(), re.MULTILINE))
    problems = []
    for path in _text_files():
        if path == DOMAIN or path == Path(__file__):
            continue
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in re.finditer(r"([\w./]*)DOMAIN\.md`?\)?\s*(?:\(?§\s*([\d.–-]+))?", line):
                where = f"{path.relative_to(REPO)}:{line_no}"
                target = (path.parent / f"{match.group(1)}DOMAIN.md").resolve()
                if match.group(1) and target != DOMAIN and match.group(1) != "docs/":
                    problems.append(f"{where}: {match.group(0)}")
                elif not match.group(1) and path.parent != DOMAIN.parent:
                    problems.append(f"{where}: {match.group(0)} (say docs/DOMAIN.md)")
                for cited in re.split(r"[–-]", (match.group(2) or "").strip(".")):
                    if cited and cited not in sections:
                        problems.append(f"{where}: §{cited} is not a section of docs/DOMAIN.md")
    assert problems == []

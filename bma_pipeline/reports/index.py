"""The reports folder's front page, `<reports>/index.html`: a link to every report of every
period (executive dashboards, meeting packs and reports to the executives as HTML and PDF), the
feedback files under
`feedback/`, the data docs under `data_docs/` and the run summary, found by walking the folder.

Links are relative, so the folder can be copied or served as it is. What does not belong here:
rendering any of the linked reports.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from bma_pipeline.fiscal import Period
from bma_pipeline.reports.common import period_label_th, render_template, write_text
from bma_pipeline.reports.dashboard import DASHBOARD_FILE
from bma_pipeline.reports.executive_report import EXECUTIVE_DIR
from bma_pipeline.reports.meeting import MEETINGS_DIR
from bma_pipeline.warehouse import Warehouse

INDEX_FILE = "index.html"
_PERIOD_DIR = re.compile(r"^\d{4}-P[1-6]$")


@dataclass
class Link:
    href: str
    label: str


@dataclass
class MeetingLinks:
    unit_code: str
    unit_name: str
    html: Link | None = None
    pdf: Link | None = None


@dataclass
class PeriodLinks:
    period: Period
    label_th: str
    dashboard: Link | None = None
    meetings: list[MeetingLinks] = field(default_factory=list)
    executive: list[MeetingLinks] = field(default_factory=list)  # reports to the executives


def _href(reports_dir: Path, path: Path) -> str:
    return quote(path.relative_to(reports_dir).as_posix())


def _files_under(reports_dir: Path, folder: str) -> list[Link]:
    root = reports_dir / folder
    if not root.is_dir():
        return []
    return [
        Link(_href(reports_dir, p), p.relative_to(root).as_posix())
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    ]


def _unit_links(reports_dir: Path, folder: Path, names: Mapping[str, str]) -> list[MeetingLinks]:
    """One entry per unit with its HTML and PDF in `folder`, by unit code."""
    units: dict[str, MeetingLinks] = {}
    for path in sorted(folder.glob("*")):
        if path.suffix not in (".html", ".pdf") or path.name.startswith("."):
            continue
        code = path.stem
        item = units.setdefault(code, MeetingLinks(code, names.get(code, code)))
        link = Link(_href(reports_dir, path), path.suffix.lstrip(".").upper())
        if path.suffix == ".html":
            item.html = link
        else:
            item.pdf = link
    return list(units.values())


def collect_links(reports_dir: Path, unit_names: Mapping[str, str] | None = None) -> dict:
    reports_dir = Path(reports_dir)
    names = unit_names or {}
    periods: list[PeriodLinks] = []
    folders = [p for p in reports_dir.iterdir() if p.is_dir() and _PERIOD_DIR.match(p.name)]
    for folder in sorted(folders, key=lambda p: Period.from_key(p.name), reverse=True):
        period = Period.from_key(folder.name)
        entry = PeriodLinks(period, period_label_th(period))
        dashboard = folder / DASHBOARD_FILE
        if dashboard.is_file():
            entry.dashboard = Link(_href(reports_dir, dashboard), DASHBOARD_FILE)
        entry.meetings = _unit_links(reports_dir, folder / MEETINGS_DIR, names)
        entry.executive = _unit_links(reports_dir, folder / EXECUTIVE_DIR, names)
        periods.append(entry)

    data_docs_index = reports_dir / "data_docs" / "index.html"
    data_docs = (
        [Link(_href(reports_dir, data_docs_index), "index.html")]
        if data_docs_index.is_file()
        else [link for link in _files_under(reports_dir, "data_docs") if link.href.endswith("html")]
    )
    top = [
        Link(_href(reports_dir, p), p.name)
        for p in sorted(reports_dir.glob("*"))
        if p.is_file() and p.name != INDEX_FILE and not p.name.startswith(".")
    ]
    return {
        "periods": periods,
        "feedback": _files_under(reports_dir, "feedback"),
        "data_docs": data_docs,
        "other": top,
    }


def unit_names(wh: Warehouse) -> dict[str, str]:
    """unit code → Thai name (the code when a unit has none), for the meeting packs' links."""
    units = wh.query("select unit_code, name_th from marts.dim_unit")
    return dict(zip(units["unit_code"], units["name_th"].fillna(units["unit_code"]), strict=True))


def render_index(reports_dir: Path, unit_names: Mapping[str, str] | None = None) -> Path:
    """Write `<reports>/index.html` from what the folder holds now; return its path."""
    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    html = render_template("index.html.j2", **collect_links(reports_dir, unit_names))
    return write_text(reports_dir / INDEX_FILE, html)

"""A small HTML tree for the report tests, on the standard library's parser (fast on the
dashboard's 5 MB of inlined JavaScript, which it skips as raw text).

What belongs here: parsing and finding elements by tag, id, class and attributes. What does
not: what the reports must contain (the test modules).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def text(self) -> str:
        """The text inside, whitespace collapsed (scripts and styles left out)."""
        parts: list[str] = []

        def walk(node: Element) -> None:
            if node.tag in ("script", "style"):
                return
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(
        self, tag: str | None = None, cls: str | None = None, **attrs: str | bool
    ) -> list[Element]:
        """Elements below (and including) this one; `data_unit_code=True` means "has it"."""
        wanted: list[Callable[[Element], bool]] = []
        if tag:
            wanted.append(lambda e: e.tag == tag)
        if cls:
            wanted.append(lambda e: cls in e.classes)
        for name, value in attrs.items():
            key = name.replace("_", "-")
            if value is True:
                wanted.append(lambda e, k=key: k in e.attrs)
            else:
                wanted.append(lambda e, k=key, v=value: e.attrs.get(k) == v)
        return [e for e in self.iter() if all(test(e) for test in wanted)]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str | bool) -> Element:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag or '*'} class={cls} {attrs}> in <{self.tag}>"
        return found[0]

    def by_id(self, element_id: str) -> Element:
        return self.find(id=element_id)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(source: str | Path) -> Element:
    text = Path(source).read_text(encoding="utf-8") if isinstance(source, Path) else source
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root

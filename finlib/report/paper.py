"""The paper: the report model arranged as councils publish committee papers, numbered once.

A paper has a cover block (From, To, Date of meeting, Subject, Classification), a Summary with the
headline figure first, the Recommendation(s), numbered sections of numbered paragraphs (2.1, 2.2 …),
tables and charts numbered and referred to from the text ("Table 1 below …"), each table before its
commentary, then Background documents, Contact details and the appendix.  Every writer reads the same
arrangement; the words that are not figures come from ``papers.yaml`` (:class:`PaperWords`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from finlib.config import slug
from finlib.core.settings import Contact
from finlib.report.model import Figure, Table


@dataclass(frozen=True)
class Paragraph:
    """A numbered paragraph (``2.1``) of a section; ``introduces`` when it leads into the table or chart
    that follows it (printed, the two stay on one page)."""

    number: str
    text: str
    introduces: bool = False


@dataclass(frozen=True)
class Exhibit:
    """A numbered table (``Table 1``) or chart (``Chart 1``) of a section."""

    label: str
    table: Table | None = None
    figure: Figure | None = None

    @property
    def anchor(self) -> str:
        return slug(self.label)


@dataclass(frozen=True)
class Subheading:
    """A heading within a section (``Capital``)."""

    text: str


Block = Paragraph | Exhibit | Subheading


@dataclass(frozen=True)
class PaperSection:
    """A numbered section: its title and its paragraphs, exhibits and subheadings, in reading order."""

    number: int
    title: str
    anchor: str
    blocks: tuple[Block, ...]

    @property
    def exhibits(self) -> list[Exhibit]:
        return [b for b in self.blocks if isinstance(b, Exhibit)]


@dataclass(frozen=True)
class Cover:
    """The cover block of a paper."""

    from_: str
    to: str
    meeting: str  # the date of the meeting as printed, or that it is not yet set
    subject: str
    classification: str


@dataclass(frozen=True)
class Paper:
    cover: Cover
    summary: tuple[str, ...]  # the headline figure first
    recommendations: tuple[str, ...]  # "… is asked to:" items
    asked: str  # "Cabinet is asked to", "The Policy & Resources Cabinet Committee is asked to"
    sections: tuple[PaperSection, ...]
    background: tuple[str, ...]
    contacts: tuple[tuple[str, Contact], ...]  # ("Report Author", contact), ("Relevant Director", …)

    def section(self, anchor: str) -> PaperSection:
        return next(s for s in self.sections if s.anchor == anchor)


@dataclass
class Numbering:
    """Numbers sections, paragraphs, tables and charts in the order they are added."""

    section: int = 0
    tables: int = 0
    charts: int = 0
    built: list[PaperSection] = field(default_factory=list)

    def add(self, title: str, anchor: str, content: Sequence[str | Table | Figure | Subheading]) -> PaperSection:
        """A section of ``content``: texts become numbered paragraphs; ``{table}``/``{chart}`` in a text
        refers to the next table or chart of the section, numbered as it is added."""
        self.section += 1
        paragraph = 0
        blocks: list[Block] = []
        for item in content:
            if isinstance(item, str):
                paragraph += 1
                text = item
                introduces = "{table}" in text or "{chart}" in text
                if "{table}" in text:
                    text = text.replace("{table}", f"Table {self.tables + 1}")
                if "{chart}" in text:
                    text = text.replace("{chart}", f"Chart {self.charts + 1}")
                blocks.append(Paragraph(f"{self.section}.{paragraph}", text, introduces))
            elif isinstance(item, Table):
                self.tables += 1
                blocks.append(Exhibit(f"Table {self.tables}", table=item))
            elif isinstance(item, Figure):
                self.charts += 1
                blocks.append(Exhibit(f"Chart {self.charts}", figure=item))
            else:
                blocks.append(item)
        built = PaperSection(self.section, title, anchor, tuple(blocks))
        self.built.append(built)
        return built


__all__ = ["Block", "Cover", "Exhibit", "Numbering", "Paper", "PaperSection", "Paragraph", "Subheading"]

"""What a parser reads from one statute page: a `Draft`, before it becomes a record."""

from __future__ import annotations

from dataclasses import dataclass, field

# the record fields a page can state (ingest.rules.verification counts them from an official page)
FIELDS = (
    "title",
    "local_titles",
    "instrument_type",
    "number",
    "dates.adopted",
    "dates.promulgated",
    "dates.in_force",
    "dates.repealed",
    "status",
    "agency",
    "links",
)


class Refusal(Exception):
    """The page is not the law asked for, or holds no law text; the message
    says what the page holds and what to do instead."""


@dataclass
class Provision:
    ref: str  # as the law cites it: "s 6", "Art. 32", "Điều 5", "Pasal 26", "Section 4"
    heading: str | None = None  # the provision's heading, plain text
    url: str | None = None  # deep link to the provision, where the page has an anchor for it


@dataclass
class Draft:
    """The facts one page states, as plain text (never markup). Dates are
    YYYY-MM-DD (or YYYY-MM / YYYY when the page gives only that)."""

    source: str  # the parser's NAME
    url: str | None = None  # the page's canonical address, when the page or the caller gives one
    language: str = "en"  # BCP 47 tag of the page's text
    title: str | None = None  # the English title, when the page is in English
    local_title: str | None = None  # the title in the page's own (official) language, when not English
    number: str | None = None  # the official number exactly as the page gives it
    instrument_type: str | None = None  # a code of laws/vocabularies/instrument-types.yml
    dates: dict[str, str] = field(default_factory=dict)  # adopted, promulgated, in_force, repealed
    status: str | None = None  # a code of laws/vocabularies/statuses.yml, only when the page states it
    agency: str | None = None  # the issuing or responsible body, as the page names it
    provisions: list[Provision] = field(default_factory=list)
    current_as_at: str | None = None  # "Current version as at" or the like, YYYY-MM-DD
    amendments: list[str] = field(default_factory=list)  # amendment notes as the page gives them
    notes: list[str] = field(default_factory=list)  # what else the reader should know (in our words)
    sha256: str = ""  # of the page's bytes (set by the registry)
    link_kind: str = "text"  # what the page is, as a link: text, consolidated, gazette or portal (a catalogue entry)

    def supports(self) -> list[str]:
        """The record fields this page states (for provenance.sources[].supports)."""
        out = []
        if self.title or self.local_title:
            out.append("title")
        if self.local_title:
            out.append("local_titles")
        for name in ("instrument_type", "number", "status", "agency"):
            if getattr(self, name):
                out.append(name)
        out += [f"dates.{k}" for k in ("adopted", "promulgated", "in_force", "repealed") if k in self.dates]
        return out

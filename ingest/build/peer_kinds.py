"""The vocabulary of reconciliation with a peer: how UNCTAD's areas map onto
ours, its status words, and every kind of disagreement with its label and
explanation (written to the peer_disagreement_kinds table)."""

from __future__ import annotations

# UNCTAD area -> our areas; the first is the one whose status is compared
AREA_MAP: dict[str, tuple[str, ...]] = {
    "Electronic Transactions": ("e-transactions", "e-signatures"),
    "Consumer Protection": ("consumer-protection",),
    "Privacy and Data Protection": ("data-protection",),
    "Cybercrime": ("cybersecurity",),
}
LEGISLATION, DRAFT, NONE = "Legislation", "Draft Legislation", "No Legislation"
GONE = ("superseded", "repealed")
RELATED = ("amends", "amended-by", "implements", "implemented-by", "replaced-by", "replaces")
NO_ADDRESS = ("", "#")

KINDS: dict[str, tuple[str, str]] = {
    "we-record-law-they-list-missing": (
        "They list no law; we record one",
        "UNCTAD's status is No Legislation; we record an enacted law in the area.",
    ),
    "we-record-partial-they-list-missing": (
        "They list no law; we record partial coverage",
        "UNCTAD's status is No Legislation; we record laws that cover the area in part.",
    ),
    "we-record-law-they-list-draft": (
        "They list a draft; we record an enacted law",
        "UNCTAD's status is Draft Legislation; we record an enacted law in the area.",
    ),
    "they-list-law-we-record-partial": (
        "They list a law; we record partial coverage",
        "UNCTAD's status is Legislation; we record only partial coverage of the area.",
    ),
    "they-list-law-we-record-none": (
        "They list a law; we record none",
        "UNCTAD's status is Legislation; we record no enacted law in the area (none, or a draft only).",
    ),
    "they-list-law-we-record-unknown": (
        "They list a law; our records do not know",
        "UNCTAD's status is Legislation; our records state that whether a law exists is unknown.",
    ),
    "they-list-draft-we-record-none": (
        "They list a draft; we record none",
        "UNCTAD's status is Draft Legislation; we record that there is no law or draft.",
    ),
    "status-contradicts-links": (
        "Their status contradicts their links",
        "UNCTAD's status for the area disagrees with the documents it links for the same area.",
    ),
    "they-omit-current-law": (
        "Their links leave out our current law",
        "UNCTAD's links for the area leave out the law we record as the area's principal law, which is newer "
        "than any law of ours they link.",
    ),
    "they-list-replaced-law": (
        "They link a replaced or repealed law",
        "UNCTAD links a document that we record as superseded or repealed.",
    ),
    "draft-link-for-enacted-law": (
        "They link a draft of an enacted law",
        "UNCTAD links a draft or bill; we record the law as enacted.",
    ),
    "document-in-other-area": (
        "They link a law of another area",
        "UNCTAD links, for this area, a law that we record under other areas only.",
    ),
    "link-title-contradicts-url": (
        "Their link's title and address name different laws",
        "The title UNCTAD gives a link names one of our records; the address it links names another.",
    ),
    "unmatched-document": ("We cannot match their document", "None of our records matches a document UNCTAD links."),
    "ambiguous-document": (
        "Their document fits several of our records",
        "UNCTAD's title gives no number or year that tells apart the records it fits.",
    ),
    "document-without-url": ("Their document has no address", "UNCTAD lists a document without a web address ('#')."),
}

"""Answers with known content, written over the shipped ones for Thailand and
the Philippines in a copy of the laws folder, so that compare pages can be
tested cell by cell whatever the shipped answers say."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from tests.helpers import write

PDPA = "th-personal-data-protection-act-2019"
TH_ETA = "th-electronic-transactions-act-2001"
PH_ECA = "ph-electronic-commerce-act-2000"
PH_DPA = "ph-data-privacy-act-2012"
DISPUTE = "Member state X holds that the 72 hours run from the assessment, not from awareness."

# Partly recalled, so that these answers stay unverified whatever quotes the shipped records carry.
VERIFIED = {
    "status": "unverified",
    "by": "Test editors",
    "on": "2026-11-01",
    "evidence": "partly-recalled",
    "sources": [{"citation": "A test source"}],
}


def answer(indicator: str, value: Any, **more: Any) -> dict[str, Any]:
    return {
        "indicator": indicator,
        "value": value,
        **more,
        "verification": copy.deepcopy(VERIFIED),
        "review": {"status": "draft"},
    }


TH = {
    "country": "TH",
    "answers": [
        answer(
            "et-legal-recognition",
            "yes",
            since="2002-04-03",
            basis=[{"law": TH_ETA}],
            note="The general ETA; the section is not identified in this test.",
        ),
        answer(
            "pdp-comprehensive-law",
            "yes",
            since="2022-06-01",
            basis=[{"law": PDPA, "provision": "s 2"}],
            note="Core chapters applied from 1 June 2022.",
            history=[
                {
                    "value": "partial",
                    "since": "2019-05-28",
                    "until": "2022-06-01",
                    "basis": [{"law": PDPA, "provision": "s 2"}],
                    "note": "Only the first chapters applied.",
                },
                {"value": "no", "until": "2019-05-28", "note": "No general law before the PDPA."},
            ],
        ),
        {
            **answer(
                "pdp-breach-deadline-hours", 72, since="2022-06-01", basis=[{"law": PDPA, "provision": "s 2"}], note="72 hours."
            ),
            "review": {"status": "disputed", "by": "A test panel", "on": "2026-11-02", "dispute": DISPUTE},
        },
        answer(
            "pdp-transfer-regime",
            "conditional",
            since="2022-06-01",
            basis=[{"law": PDPA}],
            note="Provision not identified in this test.",
        ),
        answer(
            "pdp-max-fine",
            5000000,
            currency="THB",
            basis=[{"law": PDPA}],
            note="Provision not identified in this test; since-date not recorded.",
        ),
    ],
}
PH = {
    "country": "PH",
    "answers": [
        answer(
            "et-legal-recognition",
            "yes",
            basis=[{"law": PH_ECA, "provision": "Sec. 6"}],
            note="In-force date of the Act not recorded.",
        ),
        answer("pdp-comprehensive-law", "yes", basis=[{"law": PH_DPA}], note="Provision not identified in this test."),
        answer("pdp-breach-deadline-hours", "unknown", note="The implementing rules were not consulted."),
        answer("pdp-transfer-regime", "conditional", basis=[{"law": PH_DPA}], note="Provision not identified in this test."),
    ],
}


def install(laws: Path) -> None:
    write(laws / "answers" / "th.yml", TH)
    write(laws / "answers" / "ph.yml", PH)

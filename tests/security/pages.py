"""One address of every kind of page the site serves, for the attack suite."""

from __future__ import annotations

# the site's own pages, Datasette's pages, and the downloads
PAGES = [
    "/",
    "/about",
    "/law/sg-electronic-transactions-act-2010",
    "/country/TH",
    "/country/TH.json",
    "/compare",
    "/compare.json",
    "/compare.csv",
    "/compare/e-transactions",
    "/side-by-side?c=TH&c=VN&area=e-transactions",
    "/side-by-side.csv?c=TH&c=VN",
    "/progress",
    "/progress.svg",
    "/codebook",
    "/freshness",
    "/search?q=electronic",
    "/search?q=electronic&_format=json",
    "/reconcile/unctad",
    "/exports",
    "/exports/laws.atom",
    "/exports/atr-legal-documents.csv",
    "/exports/datapackage.json",
    "/exports/laws.csv",
    "/submit",
    "/laws",
    "/laws/laws",
    "/laws/laws.json?_facet=country",
    "/laws/laws.csv?_size=max",
    "/laws/laws/sg-electronic-transactions-act-2010",
    "/laws/laws/sg-electronic-transactions-act-2010.json",
    "/laws/laws_in_force?country=TH",
    "/laws/laws_in_force.json?country=TH",
    "/laws/-/query?sql=select+id+from+laws+limit+3",
    "/laws/-/query.json?sql=select+id+from+laws+limit+3",
    "/laws/laws.json?_extra=request",
    "/.json",
    "/-/versions.json",
    "/nowhere",
]
# routes of the site's own plugins, with a parameter that reaches each (for the bad-parameter walk)
ROUTES = [p.split("?")[0] for p in PAGES if not p.startswith("/nowhere")]

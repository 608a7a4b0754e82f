"""Where the package and the project's folders are."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # ingest/
PROJECT = PACKAGE.parent  # the repository root: laws/, db/, metadata.yml, templates/ ...
DB_DIR = PROJECT / "db"
METADATA = PROJECT / "metadata.yml"

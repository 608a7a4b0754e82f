"""The site's own addresses, from configuration only, never from a request.

Absolute URLs on pages, feeds and CSV files (the print line, canonical
links, feed ids) start with the configured base URL; a request's `Host` or
`X-Forwarded-*` headers never reach them. Set it in `datasette.yaml`
(`plugins: lawrepo: base_url:`) or with the `LAWREPO_BASE_URL` environment
variable, which wins. `repository_url` is the public repository the records
live in (issue tracker and file links); without it those links are left out.
"""

from __future__ import annotations

import os
from typing import Any

PLUGIN = "lawrepo"
LOCAL_URL = "http://127.0.0.1:8001"


def settings(datasette: Any) -> dict[str, Any]:
    """The site's block of plugin configuration (empty when there is none)."""
    return dict(datasette.plugin_config(PLUGIN) or {})


def base_url(datasette: Any) -> str:
    """The configured address of the site, without a trailing slash."""
    value = os.environ.get("LAWREPO_BASE_URL") or settings(datasette).get("base_url") or LOCAL_URL
    return str(value).rstrip("/")


def repository_url(datasette: Any) -> str | None:
    """The configured address of the records' repository, or None."""
    value = os.environ.get("LAWREPO_REPOSITORY_URL") or settings(datasette).get("repository_url")
    return str(value).rstrip("/") if value else None


def database_name(datasette: Any) -> str:
    """The name of the database the site serves: `plugins: lawrepo: database:` when set,
    else the first database Datasette was given (`lawrepo serve --db big.db` serves `big`).
    Every page, plugin and template takes the name from here."""
    configured = settings(datasette).get("database")
    if configured and configured in datasette.databases:
        return str(configured)
    return str(datasette.get_database().name)


def database(datasette: Any) -> Any:
    """The Datasette database the site serves (see database_name)."""
    return datasette.get_database(database_name(datasette))

"""A Docker build context for the site, with its data baked in.

`write_context` puts in one folder everything an image needs to serve the
site read-only: the built database, metadata.yml, datasette.yaml, templates/,
plugins/, static/, the `ingest` package (the plugins import it), a
requirements.txt pinning the exact installed versions of the runtime
dependencies, a Dockerfile and a .dockerignore. The folder is written beside
the target and renamed into place, so it is either complete or absent.

The image runs `datasette inspect` at build time and serves the database
immutable with the same options as `lawrepo serve` (ingest/site.py), on
0.0.0.0 and the port in $PORT (default 8001), as a user without privileges.

Two roles: a `reader` image is all of the above and keeps no state, so any
number of replicas can serve it. A `writer` image is the same site plus what
the contributors' forms and moderation need: the laws/ folder (corrections are
checked against the records), the submissions database on a volume
(LAWREPO_SUBMISSIONS_DB=/data/submissions.db) and, from the environment at run
time only, DATASETTE_SECRET (required: it refuses to start without it) and the
moderators' hashes (LAWREPO_MODERATORS); neither is ever written into the image.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import tomllib
from contextlib import closing
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from ingest import __version__

DB_NAME = "laws.db"
INSPECT_FILE = "inspect-data.json"
PORT = 8001
UID = 10001
BASE_IMAGE = "python:3.11-slim"
FILES = ("metadata.yml", "datasette.yaml")
FOLDERS = ("templates", "plugins", "static", "ingest")
ROLES = ("reader", "writer")
DATA_DIR = "/data"  # the writer's volume
SUBMISSIONS_DB = f"{DATA_DIR}/submissions.db"
NO_SECRET = "set DATASETTE_SECRET: it signs the moderators' sign-in and the forms' tokens"
MARKER = ".lawrepo-package"  # marks a folder this module wrote, so that it may be replaced
ALWAYS_PINNED = ("datasette", "sqlite-utils")
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?")
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "*.tmp*", ".DS_Store")


class PackageError(Exception):
    """Something the package cannot be built from; the message says what and how to fix it."""


PORT_ARG = f'"${{PORT:-{PORT}}}"'  # expanded by the shell: $PORT, else the default


def serve_args(port: str = PORT_ARG) -> list[str]:
    """The `datasette serve` command of the image: the options of `lawrepo serve`, with paths inside the image."""
    return [
        "datasette",
        "serve",
        "-i",
        DB_NAME,
        "--inspect-file",
        INSPECT_FILE,
        "--metadata",
        "metadata.yml",
        "--config",
        "datasette.yaml",
        "--template-dir",
        "templates",
        "--plugins-dir",
        "plugins",
        "--static",
        "assets:static",
        "--host",
        "0.0.0.0",
        "--port",
        port,
    ]


def requirements(pyproject: Path) -> list[str]:
    """`name==version` for datasette, sqlite-utils and every runtime dependency
    in pyproject.toml, at the versions installed here."""
    try:
        deps = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise PackageError(f"{pyproject}: cannot read [project].dependencies ({exc})") from None
    pins: dict[str, str] = {}
    for spec in [*deps, *ALWAYS_PINNED]:
        m = _NAME.match(spec)
        if not m:
            raise PackageError(f"{pyproject}: [project].dependencies: cannot read the package name in {spec!r}")
        name, extras = m.group(1), m.group(2) or ""
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in pins:
            continue
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            raise PackageError(
                f"{name} (a dependency in {pyproject.name}) is not installed here, so its version "
                "cannot be pinned; install the project first: pip install -e ."
            ) from None
        marker = spec.split(";", 1)[1].strip() if ";" in spec else ""
        pins[key] = f"{name}{extras}=={version}" + (f" ; {marker}" if marker else "")
    return list(pins.values())


def cmd_shell(role: str = "reader") -> str:
    """The shell command the image runs; the writer first insists on DATASETTE_SECRET."""
    serve = "exec " + " ".join(serve_args())
    if role == "writer":
        return f': "${{DATASETTE_SECRET:?{NO_SECRET}}}" && {serve}'
    return serve


def check_base_url(base_url: str | None) -> str:
    """The site's public address for the image, checked: http(s), a host, nothing after the path."""
    if not base_url:
        raise PackageError(
            "the site's public address is required: give --base-url https://… (or set LAWREPO_BASE_URL); "
            "feeds, CSV links and printed pages are built from it, never from a request's Host header"
        )
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise PackageError(f"{base_url!r} is not a site address: give one such as https://laws.example.org")
    return base_url.rstrip("/")


def dockerfile(db_digest: str, role: str = "reader", base_url: str = "") -> str:
    if role not in ROLES:
        raise PackageError(f"{role!r} is not a role: choose one of {', '.join(ROLES)}")
    cmd_json = json.dumps(["/bin/sh", "-c", cmd_shell(role)])
    origin_env = f" \\\n    LAWREPO_BASE_URL={base_url}" if base_url else ""
    if role == "writer":
        about = f"""\
# The ASEAN e-commerce law repository's site with the contributors' forms and
# moderation: the database is baked in and served read-only (immutable); the
# proposals go to {SUBMISSIONS_DB} on a volume. Written by `lawrepo package --role writer`;
# run ONE instance with e.g.
#   docker run -p 8001:8001 -v lawrepo-data:{DATA_DIR} \\
#     -e DATASETTE_SECRET=... -e LAWREPO_MODERATORS=name:hash,... asean-ecommerce-law-writer
# The secret and the moderators' hashes come from the environment only."""
        env = f" \\\n    LAWREPO_SUBMISSIONS_DB={SUBMISSIONS_DB}"
        data = f' \\\n && mkdir -p {DATA_DIR} && chown {UID} {DATA_DIR}\nVOLUME ["{DATA_DIR}"]'
    else:
        about = """\
# The ASEAN e-commerce law repository's site, with its database baked in and
# served read-only (immutable). Written by `lawrepo package`; build with
#   docker build -t asean-ecommerce-law .
# and run with e.g. docker run -p 8001:8001 asean-ecommerce-law ($PORT sets the port)."""
        env = " \\\n    LAWREPO_SUBMISSIONS=off"  # the forms run on the one writer
        data = ""
    return f"""\
{about}
FROM {BASE_IMAGE}
LABEL org.opencontainers.image.title="ASEAN e-commerce law repository" \\
      org.opencontainers.image.version="{__version__}" \\
      org.opencontainers.image.licenses="Apache-2.0 AND CC-BY-4.0" \\
      lawrepo.role="{role}" \\
      lawrepo.database.sha256="{db_digest}"
ENV PYTHONDONTWRITEBYTECODE=1 \\
    PYTHONUNBUFFERED=1 \\
    PYTHONPATH=/app \\
    PORT={PORT}{env}{origin_env}
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . ./
RUN datasette inspect {DB_NAME} --inspect-file {INSPECT_FILE} \\
 && useradd --system --uid {UID} --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin site{data}
USER {UID}
EXPOSE {PORT}
CMD {cmd_json}
"""


DOCKERIGNORE = """\
# Only what the image needs is in this folder; keep caches and temporaries out.
**/__pycache__
**/*.pyc
**/*.tmp*
**/.DS_Store
Dockerfile
.dockerignore
.lawrepo-package
"""


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_database(db_path: Path) -> None:
    """A clear PackageError unless `db_path` is a database written by `lawrepo build`."""
    if not db_path.is_file():
        raise PackageError(f"{db_path}: no such database; build it first with `lawrepo build --db {db_path}`")
    try:
        with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
            conn.execute("SELECT count(*) FROM laws").fetchone()
    except sqlite3.Error as exc:
        raise PackageError(
            f"{db_path}: not a database written by `lawrepo build` ({exc}); build it with `lawrepo build --db {db_path}`"
        ) from None


def write_context(project: Path, db_path: Path, out: Path, role: str = "reader", *, base_url: str | None) -> dict[str, str]:
    """Write the build context folder `out` (atomically) for the image of `role`
    serving at `base_url` and return what went in: {"database sha256": …, "requirements": …}."""
    base_url = check_base_url(base_url)
    project, out = project.resolve(), out.absolute()
    if role not in ROLES:
        raise PackageError(f"{role!r} is not a role: choose one of {', '.join(ROLES)}")
    check_database(db_path)
    folders = (*FOLDERS, "laws") if role == "writer" else FOLDERS
    missing = [n for n in (*FILES, *folders, "pyproject.toml") if not (project / n).exists()]
    if missing:
        raise PackageError(f"{project}: not the repository's root folder (missing: {', '.join(missing)})")
    if any(out == project / n or project / n in out.parents for n in folders):
        raise PackageError(f"{out}: choose an output folder outside the folders it copies (e.g. dist/docker)")
    if out.exists() and not (out / MARKER).is_file() and (not out.is_dir() or any(out.iterdir())):
        raise PackageError(f"{out} exists and was not written by `lawrepo package`; remove it or choose another --out")
    pins = requirements(project / "pyproject.toml")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir()
        shutil.copyfile(db_path, tmp / DB_NAME)
        digest = file_digest(tmp / DB_NAME)
        if digest != file_digest(db_path):
            raise PackageError(f"{db_path} changed while it was copied; run `lawrepo package` again")
        for name in FILES:
            shutil.copyfile(project / name, tmp / name)
        for name in folders:
            shutil.copytree(project / name, tmp / name, ignore=_SKIP)
        (tmp / "requirements.txt").write_text("\n".join(pins) + "\n", encoding="utf-8")
        (tmp / "Dockerfile").write_text(dockerfile(digest, role, base_url), encoding="utf-8")
        (tmp / ".dockerignore").write_text(DOCKERIGNORE, encoding="utf-8")
        (tmp / MARKER).write_text(f"lawrepo {__version__}\n", encoding="utf-8")
        _replace_folder(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return {"database sha256": digest, "requirements": ", ".join(pins)}


def _replace_folder(tmp: Path, out: Path) -> None:
    """Move `tmp` to `out`; a previous `out` is moved aside first and removed after."""
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        os.replace(out, old)
    try:
        os.replace(tmp, out)
    except OSError:
        if old.exists():
            os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def docker_command(out: Path, tag: str) -> list[str]:
    return ["docker", "build", "-t", tag, str(out)]

"""Moderators' passwords: only their hashes are configured (the site's
plugin configuration, usually from the environment, or LAWREPO_MODERATORS),
never the passwords and never in git.

A hash is `pbkdf2_sha256$<iterations>$<salt>$<hash>`, as `lawrepo submissions
hash-password` prints it. LAWREPO_MODERATORS holds `name:hash` pairs
separated by commas or new lines."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from typing import Any

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000
ENV = "LAWREPO_MODERATORS"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def hash_password(password: str, iterations: int = ITERATIONS, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("ascii"), iterations)
    return f"{ALGORITHM}${iterations}${salt}${_b64(digest)}"


def verify(password: str, encoded: str) -> bool:
    """True when `password` matches the hash; False for any malformed hash."""
    try:
        algorithm, iterations, salt, _ = encoded.split("$", 3)
        rounds = int(iterations)
    except ValueError:
        return False
    if algorithm != ALGORITHM or not 1 <= rounds <= 10_000_000:
        return False
    return hmac.compare_digest(hash_password(password, rounds, salt), encoded)


def configured(config: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Moderator name -> password hash, from the plugin configuration's
    `moderators` mapping and the LAWREPO_MODERATORS variable."""
    environ = os.environ if environ is None else environ
    found: dict[str, str] = {}
    for pair in environ.get(ENV, "").replace("\n", ",").split(","):
        name, _, encoded = pair.strip().partition(":")
        if name and encoded:
            found[name.strip()] = encoded.strip()
    for name, encoded in (config.get("moderators") or {}).items():
        if isinstance(encoded, str) and encoded:
            found[str(name)] = encoded
    return found

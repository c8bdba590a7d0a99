"""dbt-duckdb plugin: the `cdp_pseudonym(value)` SQL function, HMAC-SHA256 keyed by the
secret in the environment variable `CDP_PSEUDONYM_KEY`.

The key is read here, in the dbt process, when dbt opens its DuckDB connection: it is
never part of the SQL, so it cannot reach compiled SQL, `target/` artifacts, logs or
the warehouse. Without a key the function fails on its first call (a build that does
not pseudonymise anything still runs); `CDP_PSEUDONYM_DEV_KEY=1` allows the public
development key instead, for demos and tests only. Same result as
`orchestration.privacy.pseudonym` and the Spark macro. The key reader repeats
`orchestration.privacy.pseudonym_key` on purpose: dbt loads this file by path in its own
process (profiles.yml `module_paths`), where the project package of another checkout
may be the one installed, so it imports nothing of the project.
"""

from __future__ import annotations

import hashlib
import hmac
import os

import pyarrow as pa
from dbt.adapters.duckdb.plugins import BasePlugin

KEY_ENV = "CDP_PSEUDONYM_KEY"
DEV_FLAG_ENV = "CDP_PSEUDONYM_DEV_KEY"
DEV_KEY = "cdp-development-key-not-a-secret-do-not-use-in-production"
MIN_KEY_LENGTH = 32


def key_from_env() -> bytes | None:
    key = os.environ.get(KEY_ENV)
    if key:
        if len(key.encode()) < MIN_KEY_LENGTH:
            raise ValueError(f"{KEY_ENV} must be at least {MIN_KEY_LENGTH} bytes long")
        return key.encode()
    if os.environ.get(DEV_FLAG_ENV) == "1":
        return DEV_KEY.encode()
    return None


class Plugin(BasePlugin):
    def configure_connection(self, conn) -> None:
        key = key_from_env()

        def cdp_pseudonym(values: pa.Array) -> pa.Array:
            if key is None:
                raise RuntimeError(
                    f"{KEY_ENV} is not set: no pseudonyms without the secret key "
                    f"(development only: {DEV_FLAG_ENV}=1 uses a public key)"
                )
            return pa.array(
                [
                    None
                    if v is None
                    else hmac.new(key, v.encode("utf-8"), hashlib.sha256).hexdigest()
                    for v in values.to_pylist()
                ],
                type=pa.string(),
            )

        conn.create_function(
            "cdp_pseudonym",
            cdp_pseudonym,
            ["VARCHAR"],
            "VARCHAR",
            type="arrow",
            null_handling="special",
            side_effects=False,
        )

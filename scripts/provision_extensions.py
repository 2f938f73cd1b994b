#!/usr/bin/env python3
"""Provision DuckDB 1.5.3 extensions (motherduck by default; ducklake, postgres, httpfs on request).

Each comes from its official `duckdb-extension-<name>` wheel on the package index pip is configured
with, verified against the SHA-256 pinned in scripts/duckdb-extensions-<version>.sha256, and cached
outside the tree in `<cache>/duckdb-<version>-extensions-<arch>/`, which `.duckdb/extensions`
links to. Hangar loads them from there by path (`LOAD '<file>'`): nothing is downloaded when a
query runs. DuckDB names a file after the extension's entry point, so the postgres wheel's
`postgres.duckdb_extension` is stored as `postgres_scanner.duckdb_extension`.

    python3 scripts/provision_extensions.py [NAME ...]
"""
from __future__ import annotations

import platform
import shutil
import sys
import zipfile
from pathlib import Path

import provision_duckdb as duckdb_provisioning
from provision_duckdb import ProvisionError, cache_root, fetch, file_urls, index_url, link, pinned_sums, say, sha256

VERSION = duckdb_provisioning.VERSION
PINS = duckdb_provisioning.ROOT / "scripts" / f"duckdb-extensions-{VERSION}.sha256"
DEFAULT = ["motherduck"]
# The file name DuckDB loads an extension under, when it differs from the wheel's.
FILE_NAMES = {"postgres": "postgres_scanner"}


def arch() -> str:
    machine = platform.machine().lower()
    found = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}.get(machine)
    if sys.platform != "linux" or found is None:
        raise ProvisionError(f"no pinned DuckDB {VERSION} extensions for {sys.platform}/{machine}")
    return found


def provision(names: list[str]) -> Path:
    folder = cache_root() / f"duckdb-{VERSION}-extensions-{arch()}"
    folder.mkdir(parents=True, exist_ok=True)
    sums = pinned_sums(PINS)
    for name in names:
        target = folder / f"{FILE_NAMES.get(name, name)}.duckdb_extension"
        marker = target.with_suffix(".sha256")
        wheel = f"duckdb_extension_{name}-{VERSION}-py3-none-manylinux2014_{arch()}.whl"
        if wheel not in sums:
            raise ProvisionError(f"no pinned checksum for {wheel} in {PINS.name}; known: "
                                 + ", ".join(sorted({n.split('-')[0][len('duckdb_extension_'):] for n in sums})))
        if target.exists() and marker.exists() and marker.read_text().strip() == sums[wheel]:
            continue
        say(f"fetching the {name} extension from {index_url()}")
        path = fetch(wheel, file_urls(index_url(), f"duckdb-extension-{name}"), sums[wheel], cache_root() / "downloads", PINS)
        member = f"duckdb_extension_{name}/extensions/v{VERSION}/{name}.duckdb_extension"
        partial = target.with_suffix(".partial")
        with zipfile.ZipFile(path) as archive, archive.open(member) as source, partial.open("wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
        partial.rename(target)
        marker.write_text(sums[wheel] + "\n")
        say(f"{name} extension cached as {target} ({sha256(target)[:12]}…)")
    link("extensions", folder)
    # Beside the cached library too: a process finds extensions next to the libduckdb.so it
    # loaded, whose path is the cache's once the loader has followed .duckdb/lib.
    library_folder = (duckdb_provisioning.LINK_DIR / "lib").resolve().parent
    if library_folder.is_relative_to(cache_root().resolve()):
        beside = library_folder / "extensions"
        if not (beside.is_symlink() and beside.resolve() == folder.resolve()):
            temporary = library_folder / ".extensions.new"
            temporary.unlink(missing_ok=True)
            temporary.symlink_to(folder)
            temporary.replace(beside)
    return folder


def main() -> int:
    try:
        provision(sys.argv[1:] or DEFAULT)
        return 0
    except ProvisionError as error:
        print(f"duckdb: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"duckdb: error: cannot provision extensions: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

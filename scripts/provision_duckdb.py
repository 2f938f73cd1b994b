#!/usr/bin/env python3
"""Provision the pinned DuckDB C library and header for the Swift build.

The library is the native module of the official `duckdb` wheel (it exports the whole C API with
parquet, json, icu and core_functions built in); the header comes from the same version's source
distribution. Both are downloaded through the package index pip is configured with, verified
against the SHA-256 sums pinned in scripts/duckdb-<version>.sha256, cached outside the tree, and
exposed to SwiftPM through the ignored folder `.duckdb/` (symlinks `lib` and `include`).
"""
from __future__ import annotations

import hashlib
import html.parser
import json
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

VERSION = "1.5.3"
ROOT = Path(__file__).resolve().parent.parent
PINS = ROOT / "scripts" / f"duckdb-{VERSION}.sha256"
LINK_DIR = ROOT / ".duckdb"


class ProvisionError(Exception):
    pass


def say(message: str) -> None:
    print(f"duckdb: {message}", flush=True)


def pinned_sums(pins: Path = PINS) -> dict[str, str]:
    sums = {}
    for line in pins.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            digest, name = line.split()
            sums[name] = digest
    return sums


def cache_root() -> Path:
    if os.environ.get("HANGAR_CACHE_DIR"):
        return Path(os.environ["HANGAR_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hangar"


def python_tag() -> str:
    return f"cp{sys.version_info.major}{sys.version_info.minor}"


def wheel_name() -> str:
    machine = platform.machine()
    arch = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}.get(machine.lower())
    if sys.platform != "linux" or arch is None:
        raise ProvisionError(
            f"no pinned DuckDB {VERSION} wheel for {sys.platform}/{machine}; install DuckDB {VERSION} "
            "yourself and set DUCKDB_LIB_DIR (folder of libduckdb.so) and DUCKDB_INCLUDE_DIR (folder of duckdb.h)")
    tag = python_tag()
    return f"duckdb-{VERSION}-{tag}-{tag}-manylinux_2_26_{arch}.manylinux_2_28_{arch}.whl"


def index_url() -> str:
    """The index pip itself would use: its environment and configuration files, else its default."""
    if os.environ.get("PIP_INDEX_URL"):
        return os.environ["PIP_INDEX_URL"]
    try:
        from pip._internal.configuration import Configuration

        configuration = Configuration(isolated=False)
        configuration.load()
        for key in ("download.index-url", "install.index-url", "global.index-url"):
            try:
                return configuration.get_value(key)
            except Exception:
                continue
        from pip._internal.models.index import PyPI

        return PyPI.simple_url
    except ImportError as error:
        raise ProvisionError(
            "pip is not importable by python3, so its package index is unknown; install it with "
            "`apt-get install -y python3-pip` (or `python3 -m ensurepip`)") from error


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                name = urllib.parse.unquote(href.split("#")[0].rsplit("/", 1)[-1])
                self.links[name] = href


def file_urls(index: str, project: str = "duckdb") -> dict[str, str]:
    page = index.rstrip("/") + f"/{project}/"
    request = urllib.request.Request(page, headers={"Accept": "application/vnd.pypi.simple.v1+json, text/html;q=0.1"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            body = response.read()
            content_type = response.headers.get("Content-Type", "")
    except OSError as error:
        raise ProvisionError(f"cannot read the package index page {page}: {error}. Check the network or pip's index-url") from error
    if "json" in content_type:
        files = json.loads(body)["files"]
        return {f["filename"]: urllib.parse.urljoin(page, f["url"]) for f in files}
    parser = _Links()
    parser.feed(body.decode("utf-8", "replace"))
    return {name: urllib.parse.urljoin(page, href) for name, href in parser.links.items()}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(name: str, urls: dict[str, str], expected: str, downloads: Path, pins: Path = PINS) -> Path:
    target = downloads / name
    if target.exists() and sha256(target) == expected:
        return target
    if name not in urls:
        raise ProvisionError(f"the package index has no file {name}")
    say(f"downloading {name}")
    downloads.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".partial")
    try:
        with urllib.request.urlopen(urls[name], timeout=300) as response, partial.open("wb") as out:
            shutil.copyfileobj(response, out, 1 << 20)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise ProvisionError(f"download of {name} failed: {error}") from error
    actual = sha256(partial)
    if actual != expected:
        partial.unlink(missing_ok=True)
        raise ProvisionError(
            f"checksum mismatch for {name}: expected {expected} (pinned in {pins.relative_to(ROOT)}), got {actual}. "
            "The file was deleted and nothing was installed. A mirror or proxy may be serving a different file; "
            "if DuckDB republished it, re-pin only after checking the new file")
    partial.rename(target)
    return target


def libpython() -> Path:
    soname = sysconfig.get_config_var("INSTSONAME") or f"libpython{sys.version_info.major}.{sys.version_info.minor}.so.1.0"
    candidates = [sysconfig.get_config_var("LIBDIR"), sysconfig.get_config_var("LIBPL"),
                  f"/usr/lib/{sysconfig.get_config_var('MULTIARCH') or ''}", "/usr/lib", "/usr/local/lib"]
    for folder in candidates:
        if folder and (Path(folder) / soname).exists():
            return (Path(folder) / soname).resolve().parent / soname
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    raise ProvisionError(
        f"no shared {soname} found for python{version}: install it with `apt-get install -y libpython{version}` "
        "(or use a Python built with --enable-shared)")


def run(*command: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise ProvisionError(f"`{' '.join(command)}` failed: {result.stderr.strip() or result.stdout.strip()}")


def build_cache(folder: Path) -> None:
    sums = pinned_sums()
    wheel = wheel_name()
    sdist = f"duckdb-{VERSION}.tar.gz"
    if wheel not in sums:
        raise ProvisionError(f"no pinned checksum for {wheel}; use a Python 3.10-3.14 or set DUCKDB_LIB_DIR/DUCKDB_INCLUDE_DIR")
    if shutil.which("patchelf") is None:
        raise ProvisionError("patchelf is missing: install it with `apt-get install -y patchelf`")
    python_library = libpython()
    index = index_url()
    say(f"fetching DuckDB {VERSION} from {index}")
    urls = file_urls(index)
    downloads = cache_root() / "downloads"
    wheel_path = fetch(wheel, urls, sums[wheel], downloads)
    sdist_path = fetch(sdist, urls, sums[sdist], downloads)

    staging = Path(tempfile.mkdtemp(prefix="duckdb-", dir=folder.parent))
    try:
        (staging / "lib").mkdir()
        (staging / "include").mkdir()
        with zipfile.ZipFile(wheel_path) as archive:
            modules = [n for n in archive.namelist() if n.startswith("_duckdb.") and n.endswith(".so")]
            if len(modules) != 1:
                raise ProvisionError(f"{wheel} does not hold exactly one _duckdb native module: {modules}")
            with archive.open(modules[0]) as source, (staging / "lib" / "libduckdb.so").open("wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
        with tarfile.open(sdist_path) as archive:
            member = archive.getmember(f"duckdb-{VERSION}/external/duckdb/src/include/duckdb.h")
            with archive.extractfile(member) as source, (staging / "include" / "duckdb.h").open("wb") as out:
                shutil.copyfileobj(source, out)
        library = str(staging / "lib" / "libduckdb.so")
        # patchelf 0.14 corrupts this library when several edits are combined in one call.
        run("patchelf", "--set-soname", "libduckdb.so", library)
        run("patchelf", "--add-needed", python_library.name, library)
        run("patchelf", "--set-rpath", str(python_library.parent), library)
        check_library(Path(library))
        (staging / "PROVENANCE").write_text(
            f"DuckDB {VERSION}\nlibrary: {wheel} ({sums[wheel]})\nheader: {sdist} ({sums[sdist]})\n"
            f"libpython: {python_library}\n")
        if folder.exists():
            shutil.rmtree(folder)
        staging.rename(folder)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def check_library(library: Path) -> None:
    probe = subprocess.run(
        [sys.executable, "-c",
         "import ctypes,sys; l=ctypes.CDLL(sys.argv[1]); l.duckdb_library_version.restype=ctypes.c_char_p; "
         "print(l.duckdb_library_version().decode())", str(library)],
        capture_output=True, text=True)
    version = probe.stdout.strip()
    if probe.returncode != 0 or version != f"v{VERSION}":
        raise ProvisionError(f"{library} does not load as DuckDB {VERSION}: {probe.stderr.strip() or version}")


def link(name: str, target: Path) -> None:
    LINK_DIR.mkdir(exist_ok=True)
    path = LINK_DIR / name
    if path.is_symlink() and Path(os.readlink(path)) == target:
        return
    temporary = LINK_DIR / f".{name}.new"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(target)
    temporary.replace(path)


def main() -> int:
    try:
        lib_dir, include_dir = os.environ.get("DUCKDB_LIB_DIR"), os.environ.get("DUCKDB_INCLUDE_DIR")
        if lib_dir or include_dir:
            if not (lib_dir and include_dir):
                raise ProvisionError("set both DUCKDB_LIB_DIR and DUCKDB_INCLUDE_DIR, or neither")
            lib, include = Path(lib_dir).resolve(), Path(include_dir).resolve()
            if not (lib / "libduckdb.so").exists():
                raise ProvisionError(f"DUCKDB_LIB_DIR={lib_dir} has no libduckdb.so")
            if not (include / "duckdb.h").exists():
                raise ProvisionError(f"DUCKDB_INCLUDE_DIR={include_dir} has no duckdb.h")
            link("lib", lib)
            link("include", include)
            say(f"using the DuckDB install in {lib}")
            return 0
        folder = cache_root() / f"duckdb-{VERSION}-{python_tag()}-{platform.machine()}"
        if not (folder / "PROVENANCE").exists():
            folder.parent.mkdir(parents=True, exist_ok=True)
            build_cache(folder)
            say(f"DuckDB {VERSION} cached in {folder}")
        link("lib", folder / "lib")
        link("include", folder / "include")
        return 0
    except ProvisionError as error:
        print(f"duckdb: error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

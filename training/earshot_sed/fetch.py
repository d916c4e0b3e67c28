"""Fetch Debian packages, extract only the listed files, decode to 16 kHz mono and cache them.

Usage: python3 -m earshot_sed.fetch LIST.tsv [LIST2.tsv ...]
Each list needs the columns `package` and `path` (path inside the package; `public.zip:` prefix
for files inside 0ad's public.zip). Cached clips go to training/cache/clips/<key>.wav, where
key = clip_key(package, path). Leading/trailing silence is trimmed (see audio_io.trim_silence).
"""
import csv
import hashlib
import os
import subprocess
import sys
import tarfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .archives import archive_members
from .audio_io import decode_bytes, trim_silence, write_wav
from .labels import RESERVED_PACKAGES

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "cache"
DEBS = CACHE / "debs"
CLIPS = CACHE / "clips"
COPYRIGHT = CACHE / "copyright"
ZERO_AD_ZIP = "usr/share/games/0ad/mods/public/public.zip"
# Archives inside a package whose members are listed as `<prefix>:<member path>`.
ZIPS = {
    "public.zip:": ZERO_AD_ZIP,
    "base.wz:": "usr/share/games/warzone2100/base.wz",
    "data.zip:": "usr/share/games/trigger-rally/data.zip",
    "pak0.pk3:": "usr/share/games/openarena/baseoa/pak0.pk3",
}
RCC_DIR = "usr/share/gcompris-qt/rcc/"   # gcompris-qt-data: `<name>.rcc:<member>`


def archive_of(path):
    """(archive path inside the .deb, member) for a listed path inside an archive, else None."""
    prefix = next((z for z in ZIPS if path.startswith(z)), None)
    if prefix:
        return ZIPS[prefix], path[len(prefix):]
    head, sep, member = path.partition(":")
    if sep and head.endswith(".rcc") and "/" not in head:
        return RCC_DIR + head, member
    return None


def clip_key(package, path):
    return hashlib.sha1(f"{package}\t{path}".encode()).hexdigest()[:20]


def clip_path(package, path):
    return CLIPS / f"{clip_key(package, path)}.wav"


def read_list(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def deb_file(package):
    found = sorted(DEBS.glob(f"{package}_*.deb"))
    if not found:
        DEBS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["apt-get", "download", package], cwd=DEBS, check=True,
                       stdout=subprocess.DEVNULL)
        found = sorted(DEBS.glob(f"{package}_*.deb"))
    return found[-1]


def _members(deb, wanted):
    """Yield (path, bytes) for the wanted paths inside a .deb, streaming its data tarball once."""
    proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    try:
        with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
            for member in tar:
                name = member.name[2:] if member.name.startswith("./") else member.name
                if name in wanted and member.isfile():
                    yield name, tar.extractfile(member).read()
                elif name.startswith(f"usr/share/doc/") and name.endswith("/copyright") and member.isfile():
                    yield name, tar.extractfile(member).read()
    finally:
        proc.stdout.close()
        proc.wait()


def is_generated(package):
    return package.startswith("generated:")


def fetch_package(package, paths):
    """Decode every listed path of one package into the clip cache. Returns (ok, errors)."""
    refuse_reserved(package)
    todo = [p for p in paths if not clip_path(package, p).exists()]
    if not todo:
        return len(paths), []
    if is_generated(package):
        return _render_generated(package, paths, todo)
    zipped = {}     # archive path in the .deb -> {member: listed path}
    wanted = set()
    for p in todo:
        inside = archive_of(p)
        if inside:
            zipped.setdefault(inside[0], {})[inside[1]] = p
        else:
            wanted.add(p)
    wanted |= set(zipped)
    errors, done = [], 0
    COPYRIGHT.mkdir(parents=True, exist_ok=True)
    for name, data in _members(deb_file(package), wanted):
        if name.endswith("/copyright"):
            if name == f"usr/share/doc/{package}/copyright":
                (COPYRIGHT / f"{package}.txt").write_bytes(data)
            continue
        if name in zipped:
            _, read = archive_members(name, data)
            for inner, listed in zipped[name].items():
                try:
                    done += _store(package, listed, read(inner))
                except (KeyError, ValueError) as e:
                    errors.append(f"{package}:{listed}: {e}")
            continue
        try:
            done += _store(package, name, data)
        except ValueError as e:
            errors.append(f"{package}:{name}: {e}")
    missing = [p for p in todo if not clip_path(package, p).exists()]
    errors += [f"{package}:{p}: not found or not decodable" for p in missing
               if not any(p in e for e in errors)]
    return len(paths) - len(missing), errors


def refuse_reserved(package):
    """The guard: packages held back for the independent evaluation are never read."""
    if package in RESERVED_PACKAGES:
        raise ValueError(f"{package} is reserved for the independent evaluation")


def _render_generated(package, paths, todo):
    from .generated import render
    errors = []
    for p in todo:
        try:
            _store(package, p, render(package, p))
        except (ValueError, RuntimeError) as e:
            errors.append(f"{package}:{p}: {e}")
    return len(paths) - len(errors), errors


def _store(package, path, data):
    """data: encoded audio bytes (decoded with ffmpeg) or float samples already at 16 kHz."""
    samples = decode_bytes(data, f"{package}:{path}") if isinstance(data, bytes) else data
    x = trim_silence(samples)
    if x.size == 0:
        raise ValueError("silent after decoding")
    out = clip_path(package, path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    write_wav(tmp, x)
    os.replace(tmp, out)
    return 1


def fetch_lists(lists, workers=2):
    by_pkg = {}
    for lst in lists:
        for row in read_list(lst):
            refuse_reserved(row["package"])
            by_pkg.setdefault(row["package"], []).append(row["path"])
    # Largest packages first so the two workers finish together (generated ones count as small).
    order = sorted(by_pkg, key=lambda p: 0 if is_generated(p) else -deb_file(p).stat().st_size)
    all_errors = []
    with ProcessPoolExecutor(workers) as pool:
        for pkg, (ok, errors) in zip(order, pool.map(fetch_package, order, [by_pkg[p] for p in order])):
            print(f"{pkg}: {ok}/{len(by_pkg[pkg])} clips", flush=True)
            all_errors += errors
    for e in all_errors:
        print("ERROR", e, file=sys.stderr)
    return all_errors


if __name__ == "__main__":
    fetch_lists(sys.argv[1:], workers=int(os.environ.get("FETCH_WORKERS", "2")))

"""Build the committed source manifest (training/data/sources.tsv) and background list.

Starts from ../shared/data/curated-sources.tsv (+ training/data/extra-candidates.tsv, the v2
widening training/data/extra-v2-candidates.tsv and the generated sources
training/data/generated-candidates.tsv), re-checks every cached, decoded clip by signal and by
name, assigns deterministic splits and writes the result. Rejected clips go to
training/data/dropped.tsv with the reason; the per-class split table to training/data/splits.md.

Splits (v2):
- `validation` and `test` are cross-source: whole packages held out of training
  (VALIDATION_PACKAGES, TEST_PACKAGES). A held-out package's clips of every class, and its
  background beds, go to that split; no package is in two splits.
- `id_test` is an in-distribution test from the training packages, held out by recording group:
  a group goes there when a SHA-1 of `earshot-split-v2|group` falls under ID_TEST_SHARE. The key
  does not depend on the class, so a speaker's Speech and Scream clips land in one split.
- generated sources (generated.py) are train only, and capped below half of each class.
- everything else is `train`.

Usage: python3 -m earshot_sed.curate SHARED_DATA_DIR
"""
import csv
import hashlib
import math
import re
import sys
from pathlib import Path

import numpy as np

from .audio_io import frame_db, read_wav
from .fetch import clip_path, read_list, refuse_reserved
from .labels import LABELS

DATA = Path(__file__).resolve().parents[1] / "data"
SPLIT_SEED = "earshot-split-v2"
SPLITS = ("train", "validation", "test", "id_test")
ID_TEST_SHARE = 0.12

# Whole packages held out of training (cross-source). Chosen so that every class has a
# validation package and a different test package: packages v1 never used where the class has
# one (Debian packages outside the shared inventory, see candidates_v2.py), v1 packages where
# it has none (Bird, Animal, Footsteps: widelands-data, ardentryst, qabcs-data, minetest-data).
# 0ad-data, the largest source, stays in train.
VALIDATION_PACKAGES = frozenset({
    "warzone2100-data", "widelands-data", "ardentryst", "pingus-data", "chromium-bsu-data",
    "alienblaster-data", "linphone-common", "pidgin-data", "frozen-bubble-data", "lbreakout2-data",
    "xmoto-data", "openarena-data",
})
TEST_PACKAGES = frozenset({
    "qabcs-data", "minetest-data", "supertux-data", "warmux-data", "trigger-rally-data",
    "powermanga-data", "psi-plus-sounds", "tuxtype-data", "granatier", "extremetuxracer-data",
    "teeworlds-data", "gcompris-qt-data",
})
# Generated sources stay strictly under this share of a class's distinct files.
MAX_GENERATED_SHARE = 0.5

MIN_EVENT_S = 0.15
MIN_ACTIVE_DBFS = -45.0
MIN_BACKGROUND_S = 2.0
MIN_BACKGROUND_DBFS = -50.0
CLIP_LEVEL = 0.999
# Measured at 16 kHz after resampling, whose overshoot pushes full-scale sources past 0.999
# (the shared list was already checked at < 0.1 % at the native rate). Shots and blasts in game
# audio are routinely mastered into saturation, and the saturation is part of how they sound.
MAX_CLIPPED_FRACTION = {"Explosion": 0.2}
DEFAULT_MAX_CLIPPED_FRACTION = 0.01
MAX_RISE_S = 0.5

# Words in a file path that name another class: a clip whose path names another class but not
# its own is dropped as probably mislabelled.
CLASS_WORDS = {
    "Speech": r"voice|speech|talk|say|word|taunt|desc|_[a-z]{2}\.|hello|yes|no_",
    "Music": r"music|song|track|theme|drum|kick|snare|hat|cymbal|piano|guitar|bass|synth|instrument",
    "Bird": r"bird|chicken|duck|owl|crow|seagull|gull|parrot|hen|rooster|sparrow|pigeon",
    "Animal": r"animal|dog|cat|horse|cow|pig|sheep|wolf|bear|lion|elephant|camel|goat|frog|deer|boar|fauna",
    "Water": r"water|splash|river|drip|droplet|rain|sea|wave|gurgle|lake|waterfall|bubble",
    "Vehicle": r"engine|car$|cars|truck|vehicle|motor|jet|train|traffic|trafic|cart|wheel|heli|airplane|boat",
    "Explosion": r"explo|boom|blast|bomb|gun|shot|cannon|musket|mortar|rifle|pistol|grenade|bazoo|missile|tnt|thunderstick",
    "Footsteps": r"footstep|steps|walk",
    "Tools": r"saw|hammer|chop|axe|dig|mining|lumber|pickaxe|shovel|drill|forge|anvil",
    "Scream": r"scream|death|die|pain|hurt|yell|shout|ouch|argh|ow",
    "Alarm": r"alarm|beep|bell|siren|chime|ring|notify|alert|ding|buzz",
    "Typing": r"key|typ|buckle",
}


def is_generated(package):
    return package.startswith("generated:")


def groups_for(row):
    """Recording-session group used for splitting. Bucklespring keys: press+release of one key."""
    m = re.search(r"buckle/wav/([0-9a-f]{2})-[01]\.wav$", row["path"])
    if m:
        return f"bucklespring:key{int(m.group(1), 16) % 20:02d}"
    return row["group"]


def signal_stats(x):
    db = frame_db(x)
    loud = db[db > db.max() - 30.0]
    active = 10 * np.log10(np.mean(10 ** (loud / 10))) if loud.size else -120.0
    return {
        "dur_s": len(x) / 16000.0,
        "active_dbfs": float(active),
        "clipped": float(np.mean(np.abs(x) >= CLIP_LEVEL)),
        # time until the level first comes within 6 dB of its maximum
        "rise_s": float(np.argmax(db >= db.max() - 6.0) * 0.02),
    }


def _names(words, text):
    """True when a word of the file name or directory starts with one of the class words."""
    tokens = re.split(r"[^a-z]+", text.lower())
    return any(re.match(f"(?:{words})", t) for t in tokens if t)


def name_conflict(label, path):
    if _names(CLASS_WORDS[label], path):
        return None
    name = path.rsplit("/", 1)[-1]
    for other, words in CLASS_WORDS.items():
        # Speech and Scream words (say, no, ow...) are too common inside other names.
        if other != label and other not in ("Speech", "Scream") and _names(words, name):
            return other
    return None


def check(row, x, background=False):
    refuse_reserved(row["package"])
    if x is None:
        return "not decodable"
    s = signal_stats(x)
    row["_n"] = len(x)
    row["_env"] = frame_db(x)      # for the near-duplicate check (not written)
    row["_spec"] = band_spectrum(x)
    row["dur_s"] = f"{s['dur_s']:.3f}"
    row["active_dbfs"] = f"{s['active_dbfs']:.1f}"
    if background:
        if s["dur_s"] < MIN_BACKGROUND_S:
            return f"too short ({s['dur_s']:.2f} s)"
        if s["active_dbfs"] <= MIN_BACKGROUND_DBFS:
            return f"near-silent ({s['active_dbfs']:.1f} dBFS)"
        return None
    if s["dur_s"] < MIN_EVENT_S:
        return f"too short ({s['dur_s']:.2f} s)"
    if s["active_dbfs"] <= MIN_ACTIVE_DBFS:
        return f"near-silent ({s['active_dbfs']:.1f} dBFS)"
    if s["clipped"] >= MAX_CLIPPED_FRACTION.get(row["class"], DEFAULT_MAX_CLIPPED_FRACTION):
        return f"clipped ({100 * s['clipped']:.2f} % of samples)"
    conflict = name_conflict(row["class"], row["path"])
    if conflict:
        return f"name suggests {conflict}"
    if row["class"] == "Explosion" and s["rise_s"] > MAX_RISE_S:
        # A shot or blast starts with a bang; a slow swell is something else.
        return f"not impulsive (reaches its peak level after {s['rise_s']:.2f} s)"
    return None


def load(row):
    p = clip_path(row["package"], row["path"])
    return read_wav(p)[0] if p.exists() else None


def package_split(package):
    if package in VALIDATION_PACKAGES and package in TEST_PACKAGES:
        raise ValueError(f"{package} is in both the validation and the test packages")
    return "validation" if package in VALIDATION_PACKAGES else "test" if package in TEST_PACKAGES else "train"


def _hash_share(key):
    return int(hashlib.sha1(f"{SPLIT_SEED}|{key}".encode()).hexdigest()[:12], 16) / 16 ** 12


def assign_splits(rows):
    """Held-out packages -> validation/test; train-package groups -> id_test by a class-free hash."""
    for r in rows:
        split = package_split(r["package"])
        if is_generated(r["package"]):
            if split != "train":
                raise ValueError(f"{r['package']}: generated sources are train only")
        elif split == "train" and _hash_share(f"group|{r['group']}") < ID_TEST_SHARE:
            split = "id_test"
        r["split"] = split
    # A class whose training groups all hashed above the share still gets one id_test group:
    # its lowest-hash group (rows of that group in every class move with it).
    moved = set()
    for label in LABELS:
        rows_l = [r for r in rows if r["class"] == label and not is_generated(r["package"])]
        if any(r["split"] == "id_test" for r in rows_l):
            continue
        groups = sorted({r["group"] for r in rows_l if r["split"] == "train"}, key=lambda g: _hash_share(f"group|{g}"))
        if len(groups) > 1:
            moved.add(groups[0])
    for r in rows:
        if r["group"] in moved and r["split"] == "train" and not is_generated(r["package"]):
            r["split"] = "id_test"


def band_spectrum(x, bands=32, n_fft=512):
    """Mean power spectrum of a clip in `bands` equal-width bands, dB."""
    x = np.asarray(x, dtype=np.float64)
    if len(x) < n_fft:
        x = np.pad(x, (0, n_fft - len(x)))
    frames = x[: len(x) // n_fft * n_fft].reshape(-1, n_fft) * np.hanning(n_fft)
    power = np.mean(np.abs(np.fft.rfft(frames, axis=1)) ** 2, axis=0)[1:]
    return 10 * np.log10(power.reshape(bands, -1).mean(axis=1) + 1e-12)


def near_duplicates(rows):
    """Pairs (i, j) of rows whose decoded clips are near-identical: lengths within 10 ms or 0.5 %,
    20 ms dB envelopes with mean difference under 1.5 dB and correlation over 0.98 (the shared
    list's criteria). Games copy each other's sounds (cube2 ships 0ad files, freeciv ships
    warzone2100's), and a copy on both sides of a split would leak. Short impulsive sounds (key
    clicks, single steps) share envelopes without being copies, so the mean band spectrum must
    match too (mean difference under 1 dB), and only pairs in different splits count."""
    order = sorted((i for i, r in enumerate(rows) if "_env" in r), key=lambda i: rows[i]["_n"])
    pairs = []
    for a, i in enumerate(order):
        ni = rows[i]["_n"]
        for j in order[a + 1:]:
            nj = rows[j]["_n"]
            if nj - ni > max(160, 0.005 * ni):
                break
            e1, e2 = rows[i]["_env"], rows[j]["_env"]
            m = min(len(e1), len(e2))
            if m < 3:
                continue
            e1, e2 = np.maximum(e1[:m], -80.0), np.maximum(e2[:m], -80.0)
            if rows[i]["split"] == rows[j]["split"]:
                continue
            if (np.mean(np.abs(e1 - e2)) < 1.5 and np.corrcoef(e1, e2)[0, 1] > 0.98
                    and np.mean(np.abs(rows[i]["_spec"] - rows[j]["_spec"])) < 1.0):
                pairs.append((i, j))
    return pairs


SPLIT_RANK = {"train": 0, "id_test": 1, "validation": 2, "test": 3}


def drop_duplicates(rows):
    """Keep one of each near-duplicate pair: the one in train (else the lower-ranked split);
    returns (kept, dropped with reason)."""
    gone = {}
    for i, j in near_duplicates(rows):
        if i in gone or j in gone:
            continue
        a, b = rows[i], rows[j]
        keep, drop = (a, j) if (SPLIT_RANK[a["split"]], a["package"]) <= (SPLIT_RANK[b["split"]], b["package"]) else (b, i)
        gone[drop] = f"near-duplicate of {keep['package']}:{keep['path']}"
    kept = [r for k, r in enumerate(rows) if k not in gone]
    dropped = [{**rows[k], "reason": why} for k, why in gone.items()]
    return kept, dropped


def cap_generated(rows):
    """Keep generated sources strictly under MAX_GENERATED_SHARE of each class (distinct files).
    Returns the rows beyond the cap (in listing order, which is spread over voices/programs)."""
    kept, over = [], []
    by_class = {}
    for r in rows:
        by_class.setdefault(r["class"], []).append(r)
    for label, rs in by_class.items():
        real = [r for r in rs if not is_generated(r["package"])]
        gen = [r for r in rs if is_generated(r["package"])]
        # gen / (real + gen) < share  <=>  gen < share * real / (1 - share)
        limit = max(0, math.ceil(MAX_GENERATED_SHARE * len(real) / (1 - MAX_GENERATED_SHARE)) - 1)
        kept += real + gen[:limit]
        over += [{**r, "reason": f"generated share cap ({limit} of class {label})"} for r in gen[limit:]]
    return kept, over


def split_backgrounds(rows):
    """Beds of held-out packages follow their package; beds of training packages: a file hash
    sends 15 % to id_test."""
    for r in rows:
        split = package_split(r["package"])
        if split == "train" and _hash_share(f"bg|{r['package']}|{r['path']}") < 0.15:
            split = "id_test"
        r["split"] = split


SOURCE_COLUMNS = ["class", "package", "path", "group", "split", "dur_s", "active_dbfs", "licence", "note"]
BACKGROUND_COLUMNS = ["package", "path", "split", "dur_s", "active_dbfs", "contains", "licence", "note"]


def write_tsv(path, rows, columns):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, columns, delimiter="\t", extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


CANDIDATE_LISTS = ("extra-candidates.tsv", "extra-v2-candidates.tsv", "generated-candidates.tsv")


def read_candidates(shared):
    rows = read_list(Path(shared) / "curated-sources.tsv")
    for name in CANDIDATE_LISTS:
        rows += read_list(DATA / name)
    for row in rows:
        refuse_reserved(row["package"])     # before anything of it is read
        if row["class"] not in LABELS:
            raise ValueError(f"unknown class {row['class']!r} in {row['package']}:{row['path']}")
    return rows


def dedupe(rows):
    """One row per (package, path): the first list that names a file wins."""
    seen, out = set(), []
    for r in rows:
        key = (r["package"], r["path"])
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def main(shared):
    candidates = dedupe(read_candidates(shared))
    kept, dropped = [], []
    for row in candidates:
        reason = check(row, load(row))
        row["group"] = groups_for(row)
        (dropped if reason else kept).append({**row, "reason": reason or ""})
    kept, over = cap_generated(kept)
    dropped += over
    assign_splits(kept)
    kept, dups = drop_duplicates(kept)
    dropped += dups
    kept.sort(key=lambda r: (LABELS.index(r["class"]), r["package"], r["path"]))
    write_tsv(DATA / "sources.tsv", kept, SOURCE_COLUMNS)

    backgrounds = []
    for row in read_list(Path(shared) / "curated-backgrounds.tsv"):
        refuse_reserved(row["package"])
        # Only beds with no target class in them: a bird in an unlabelled bed teaches "no bird".
        if row["contains"] != "none":
            dropped.append({**row, "class": "background", "reason": f"contains {row['contains']}"})
            continue
        reason = check(row, load(row), background=True)
        if reason:
            dropped.append({**row, "class": "background", "reason": reason})
        else:
            backgrounds.append(row)
    split_backgrounds(backgrounds)
    write_tsv(DATA / "backgrounds.tsv", backgrounds, BACKGROUND_COLUMNS)
    write_tsv(DATA / "dropped.tsv", dropped, ["class", "package", "path", "reason"])
    (DATA / "splits.md").write_text(split_table(kept, backgrounds))

    print(f"kept {len(kept)} sources, {len(backgrounds)} backgrounds, dropped {len(dropped)}")
    for label in LABELS:
        rows = [r for r in kept if r["class"] == label]
        counts = {s: sum(r["split"] == s for r in rows) for s in SPLITS}
        print(f"  {label:10s} {len(rows):4d} files, {len({r['group'] for r in rows}):3d} groups, {counts}")


def split_table(rows, backgrounds):
    """training/data/splits.md: per class, packages and files per split, generated share."""
    v1 = {}
    for r in read_list(DATA / "v1-sources.tsv") if (DATA / "v1-sources.tsv").exists() else []:
        v1[r["class"]] = v1.get(r["class"], 0) + 1
    v1_packages = {r["package"] for r in read_list(DATA / "v1-sources.tsv")} if (DATA / "v1-sources.tsv").exists() else set()
    out = ["# Source splits (generated by `python3 -m earshot_sed.curate`)", "",
           "`validation` and `test` hold whole packages out of training (cross-source); `id_test` holds",
           "recording groups of the training packages out (in-distribution). Generated sources are",
           "train only. Counts are distinct source files; packages marked * were used by v1 (its",
           "baseline on them is not clean: v1 trained or tested on those very files).", "",
           f"Validation packages: {', '.join(sorted(VALIDATION_PACKAGES))}.", "",
           f"Test packages: {', '.join(sorted(TEST_PACKAGES))}.", "",
           "| class | v1 files | v2 files | generated | train | id_test | validation (packages) | test (packages) |",
           "|---|---|---|---|---|---|---|---|"]
    for label in LABELS:
        rs = [r for r in rows if r["class"] == label]
        gen = sum(is_generated(r["package"]) for r in rs)
        cells = {}
        for split in ("validation", "test"):
            per_pkg = {}
            for r in rs:
                if r["split"] == split:
                    per_pkg[r["package"]] = per_pkg.get(r["package"], 0) + 1
            pk = ", ".join(f"{p}{'*' if p in v1_packages else ''} {n}" for p, n in sorted(per_pkg.items()))
            cells[split] = f"{sum(per_pkg.values())} ({pk})" if per_pkg else "0"
        n = {s: sum(r["split"] == s for r in rs) for s in SPLITS}
        out.append(f"| {label} | {v1.get(label, '')} | {len(rs)} | {gen} ({100 * gen / max(1, len(rs)):.0f} %) | "
                   f"{n['train']} | {n['id_test']} | {cells['validation']} | {cells['test']} |")
    out += ["", "Backgrounds (beds): " + ", ".join(
        f"{s} {sum(b['split'] == s for b in backgrounds)}" for s in SPLITS) + " (held-out packages' beds follow"
        " their package; training packages' beds: a file hash sends 15 % to id_test).", ""]
    return "\n".join(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data")

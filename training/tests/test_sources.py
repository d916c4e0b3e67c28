"""The committed source manifest: enough files per class, no reserved package, no leaks."""
from collections import defaultdict
from pathlib import Path

from earshot_sed.fetch import read_list
from earshot_sed.labels import LABELS, RESERVED_PACKAGES

DATA = Path(__file__).resolve().parents[1] / "data"
SOURCES = read_list(DATA / "sources.tsv")
BACKGROUNDS = read_list(DATA / "backgrounds.tsv")


def test_every_class_has_forty_distinct_files():
    for label in LABELS:
        files = {(r["package"], r["path"]) for r in SOURCES if r["class"] == label}
        assert len(files) >= 40, f"{label}: only {len(files)} files"
    assert {r["class"] for r in SOURCES} == set(LABELS)


def test_no_reserved_package_and_every_row_licensed():
    for r in SOURCES + BACKGROUNDS:
        assert r["package"] not in RESERVED_PACKAGES, r["path"]
        assert r["licence"].strip(), f"{r['package']}:{r['path']} has no licence"


def test_groups_and_files_never_cross_splits():
    split_of_group = defaultdict(set)
    split_of_file = defaultdict(set)
    for r in SOURCES:
        split_of_group[(r["class"], r["group"])].add(r["split"])
        split_of_file[(r["package"], r["path"])].add(r["split"])
    assert all(len(s) == 1 for s in split_of_group.values())
    assert all(len(s) == 1 for s in split_of_file.values())
    bg = defaultdict(set)
    for r in BACKGROUNDS:
        bg[(r["package"], r["path"])].add(r["split"])
    assert all(len(s) == 1 for s in bg.values())


def test_every_class_is_in_every_split():
    for label in LABELS:
        splits = {r["split"] for r in SOURCES if r["class"] == label}
        assert splits == {"train", "validation", "test"}, label


def test_backgrounds_hold_no_target_class():
    assert BACKGROUNDS and all(r["contains"] == "none" for r in BACKGROUNDS)

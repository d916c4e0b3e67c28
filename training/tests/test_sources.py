"""The committed source manifest: enough files per class, no reserved package, cross-source splits
without leaks, generated sources train-only and under half of every class."""
from collections import defaultdict
from pathlib import Path

import pytest

from earshot_sed import curate, fetch
from earshot_sed.fetch import read_list
from earshot_sed.labels import LABELS, RESERVED_PACKAGES

DATA = Path(__file__).resolve().parents[1] / "data"
SOURCES = read_list(DATA / "sources.tsv")
BACKGROUNDS = read_list(DATA / "backgrounds.tsv")
HELD_OUT = ("validation", "test")


def generated(r):
    return r["package"].startswith("generated:")


def test_every_class_has_forty_distinct_files():
    for label in LABELS:
        files = {(r["package"], r["path"]) for r in SOURCES if r["class"] == label}
        assert len(files) >= 40, f"{label}: only {len(files)} files"
    assert {r["class"] for r in SOURCES} == set(LABELS)


def test_no_reserved_package_and_every_row_licensed():
    for r in SOURCES + BACKGROUNDS:
        assert r["package"] not in RESERVED_PACKAGES, r["path"]
        assert r["licence"].strip(), f"{r['package']}:{r['path']} has no licence"
    assert {r["split"] for r in SOURCES + BACKGROUNDS} <= set(curate.SPLITS)


def test_no_package_in_two_of_train_validation_test():
    splits = defaultdict(set)
    for r in SOURCES + BACKGROUNDS:
        # id_test is carved out of the training packages
        splits[r["package"]].add("train" if r["split"] == "id_test" else r["split"])
    both = {p: s for p, s in splits.items() if len(s) > 1}
    assert not both
    assert splits["0ad-data"] == {"train"}


def test_groups_and_files_never_cross_splits():
    # the group key does not depend on the class: one speaker's Speech and Scream share a split
    split_of_group = defaultdict(set)
    split_of_file = defaultdict(set)
    for r in SOURCES:
        split_of_group[r["group"]].add(r["split"])
        split_of_file[(r["package"], r["path"])].add(r["split"])
    crossing = {g: s for g, s in split_of_group.items() if len(s) > 1}
    assert not crossing
    assert all(len(s) == 1 for s in split_of_file.values())
    bg = defaultdict(set)
    for r in BACKGROUNDS:
        bg[(r["package"], r["path"])].add(r["split"])
    assert all(len(s) == 1 for s in bg.values())


def test_every_class_has_a_validation_package_and_a_different_test_package():
    for label in LABELS:
        rows = [r for r in SOURCES if r["class"] == label]
        val = {r["package"] for r in rows if r["split"] == "validation"}
        test = {r["package"] for r in rows if r["split"] == "test"}
        assert val and test, f"{label}: validation {val}, test {test}"
        assert not val & test
        assert any(r["split"] == "train" for r in rows), label
        assert any(r["split"] == "id_test" for r in rows), label


def test_generated_sources_are_train_only_and_under_half_of_every_class():
    for label in LABELS:
        rows = [r for r in SOURCES if r["class"] == label]
        gen = [r for r in rows if generated(r)]
        assert all(r["split"] == "train" for r in gen), label
        assert 2 * len(gen) < len(rows), f"{label}: {len(gen)} generated of {len(rows)}"
    assert sum(map(generated, SOURCES)) > 0


def test_backgrounds_hold_no_target_class():
    assert BACKGROUNDS and all(r["contains"] == "none" for r in BACKGROUNDS)
    assert {r["split"] for r in BACKGROUNDS} >= {"train", "validation", "test"}


def test_split_assignment_is_class_free_and_deterministic():
    rows = [{"class": c, "package": "hedgewars-data", "path": f"{c}.ogg", "group": "hedgewars-voice:Default_uk"}
            for c in ("Speech", "Scream")] + \
           [{"class": "Bird", "package": "widelands-data", "path": "b.ogg", "group": "w:bird"},
            {"class": "Music", "package": "generated:fluidsynth", "path": "music/piano/0000.wav", "group": "f:piano"}]
    curate.assign_splits(rows)
    again = [dict(r) for r in rows]
    curate.assign_splits(again)
    assert [r["split"] for r in rows] == [r["split"] for r in again]
    assert rows[0]["split"] == rows[1]["split"]
    assert rows[2]["split"] == "validation" and rows[3]["split"] == "train"


def test_generated_sources_may_not_be_held_out(monkeypatch):
    monkeypatch.setattr(curate, "VALIDATION_PACKAGES", frozenset({"generated:espeak-ng"}))
    with pytest.raises(ValueError, match="train only"):
        curate.assign_splits([{"class": "Speech", "package": "generated:espeak-ng", "path": "s", "group": "g"}])


def test_generated_cap_keeps_under_half():
    real = [{"class": "Alarm", "package": "p", "path": str(i)} for i in range(5)]
    gen = [{"class": "Alarm", "package": "generated:synth-alarm", "path": str(i)} for i in range(9)]
    kept, over = curate.cap_generated(real + gen)
    n_gen = sum(generated(r) for r in kept)
    assert n_gen == 4 and len(over) == 5 and 2 * n_gen < len(kept)


@pytest.mark.parametrize("package", sorted(RESERVED_PACKAGES))
def test_reserved_packages_are_refused_by_fetch_and_curate(package, tmp_path):
    with pytest.raises(ValueError, match="reserved"):
        fetch.fetch_package(package, ["usr/share/sounds/x.wav"])
    lst = tmp_path / "list.tsv"
    lst.write_text(f"class\tpackage\tpath\tgroup\tlicence\tnote\nAlarm\t{package}\tx.wav\tg\tGPL\t\n")
    with pytest.raises(ValueError, match="reserved"):
        fetch.fetch_lists([lst])
    with pytest.raises(ValueError, match="reserved"):
        curate.check({"class": "Alarm", "package": package, "path": "x.wav"}, None)


def _row(x, split, package="p", path="a"):
    import numpy as np
    from earshot_sed.audio_io import frame_db
    return {"class": "Alarm", "package": package, "path": path, "group": path, "split": split,
            "_n": len(x), "_env": frame_db(x), "_spec": curate.band_spectrum(x)}


def test_a_copy_on_both_sides_of_a_split_is_dropped_from_the_held_out_side():
    import numpy as np
    rng = np.random.default_rng(3)
    x = rng.standard_normal(16000) * np.exp(-np.linspace(0, 5, 16000))
    other = np.sin(2 * np.pi * 800 * np.arange(16000) / 16000) * np.exp(-np.linspace(0, 5, 16000))
    rows = [_row(x, "test", "copier", "c.ogg"), _row(x * 0.999, "train", "original", "o.ogg"),
            _row(other, "validation", "tone", "t.ogg")]
    kept, dropped = curate.drop_duplicates(rows)
    assert [r["path"] for r in dropped] == ["c.ogg"]
    assert "original:o.ogg" in dropped[0]["reason"]
    assert {r["path"] for r in kept} == {"o.ogg", "t.ogg"}
    # the same clip twice inside one split does not leak and is kept
    same = [_row(x, "train", "a", "1"), _row(x, "train", "b", "2")]
    assert len(curate.drop_duplicates(same)[0]) == 2


def test_unheard_pool_drops_every_v1_training_file_and_keeps_the_rest():
    from earshot_sed.soundscapes import SourceBank
    from earshot_sed.subset import v1_training_sources, without_v1_sources
    import numpy as np

    heard = sorted(v1_training_sources())
    test_rows = [r for r in SOURCES if r["split"] == "test"]
    clip = np.zeros(8, np.float32)
    bank = SourceBank([(r["class"], r["group"], f"{r['package']}:{r['path']}", clip) for r in test_rows],
                      [(f"{r['package']}:{r['path']}", clip) for r in BACKGROUNDS if r["split"] == "test"])
    pool = without_v1_sources(bank)
    names = {e[2] for e in pool.events}
    # the test packages do hold files v1 trained on (why v1's full-test score is flattered) ...
    assert any(e[2] in set(heard) for e in bank.events)
    # ... and the unheard pool has none of them, but every other test file
    assert not names & set(heard)
    assert names == {e[2] for e in bank.events} - set(heard)
    assert pool.split == "test_unheard" and len(pool.backgrounds) == len(bank.backgrounds)

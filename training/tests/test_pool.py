"""The training pool: a run keeps the sources it started with when the list grows."""
import numpy as np

from earshot_sed import soundscapes
from earshot_sed.audio_io import write_wav
from earshot_sed.features import SAMPLE_RATE
from earshot_sed.generated import SYNTH_KEYS
from earshot_sed.soundscapes import SourceBank

COLUMNS = ["class", "package", "path", "group", "split", "dur_s", "active_dbfs", "licence", "note"]


def _tsv(path, rows):
    lines = ["\t".join(COLUMNS)] + ["\t".join(r.get(c, "") for c in COLUMNS) for r in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_excluded_packages_leave_the_pool_and_nothing_else_does(tmp_path, monkeypatch):
    monkeypatch.setattr(soundscapes, "clip_path", lambda package, path: tmp_path / f"{package}-{path}".replace("/", "_"))
    rows = [{"class": "Typing", "package": "bucklespring-data", "path": "k.wav", "group": "b", "split": "train"},
            {"class": "Typing", "package": SYNTH_KEYS, "path": "typing/clicky-00/0000.wav", "group": "s", "split": "train"},
            {"class": "Speech", "package": "p", "path": "s.wav", "group": "g", "split": "train"},
            {"class": "Speech", "package": "p", "path": "v.wav", "group": "h", "split": "validation"}]
    for r in rows:
        write_wav(soundscapes.clip_path(r["package"], r["path"]), np.full(SAMPLE_RATE // 10, 0.1, np.float32))
    sources = _tsv(tmp_path / "sources.tsv", rows)
    backgrounds = _tsv(tmp_path / "backgrounds.tsv", [])
    full = SourceBank.load("train", sources, backgrounds)
    assert {e[2] for e in full.events} == {"bucklespring-data:k.wav", "p:s.wav", f"{SYNTH_KEYS}:typing/clicky-00/0000.wav"}
    pinned = SourceBank.load("train", sources, backgrounds, exclude_packages=(SYNTH_KEYS,))
    assert {e[2] for e in pinned.events} == {"bucklespring-data:k.wav", "p:s.wav"}


def test_runs_saved_before_the_synthesised_keyboards_resume_without_them():
    from earshot_sed.train_otf import POOL_ADDED_LATER
    assert SYNTH_KEYS in POOL_ADDED_LATER


def test_a_new_run_leaves_the_opt_in_keyboards_out_unless_included():
    from earshot_sed.train_otf import pool_exclusions
    assert pool_exclusions() == [SYNTH_KEYS]
    assert pool_exclusions(exclude=["p"]) == sorted(["p", SYNTH_KEYS])
    assert pool_exclusions(include=[SYNTH_KEYS]) == []


def test_including_a_package_that_is_not_opt_in_is_refused_by_name():
    import pytest
    from earshot_sed.train_otf import pool_exclusions
    with pytest.raises(SystemExit, match="bucklespring-data"):
        pool_exclusions(include=["bucklespring-data"])

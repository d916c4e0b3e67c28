"""Materialise the v1-clean subset of the cross-source test split.

Usage: python3 -m earshot_sed.subset [--dataset work/dataset-v2]
v1 trained on some files of packages that v2 holds out for its test split (data/splits.md marks
them *), so v1's score on the full cross-source test is flattered. `test_v1clean` keeps the test
soundscapes none of whose events comes from a file v1 trained on (data/v1-sources.tsv, split
train): the one comparison of v1 and v2 on audio neither has heard. Only 104 of the 400 test
soundscapes qualify, too few to rank models, so make_dataset's `--unheard-test N` also mixes a split of
its own (`test_unheard`) from the test packages' files less v1's (`without_v1_sources`).
"""
import argparse
import shutil
from pathlib import Path

import numpy as np

from .fetch import read_list
from .soundscapes import SourceBank

ROOT = Path(__file__).resolve().parents[1]


def v1_training_sources():
    """The files v1 trained on, as "package:path" (the source names soundscapes record)."""
    return {f"{r['package']}:{r['path']}" for r in read_list(ROOT / "data" / "v1-sources.tsv") if r["split"] == "train"}


def without_v1_sources(bank, split="test_unheard"):
    """The bank's foreground clips less every file v1 trained on: the pool of the `test_unheard` split,
    soundscapes mixed only from audio neither v1 nor v2 has heard (backgrounds: v1 trained on none of
    the test split's)."""
    v1 = v1_training_sources()
    return SourceBank([e for e in bank.events if e[2] not in v1],
                      [b for b in bank.backgrounds if b[0] not in v1], split)


def v1_clean_names(dataset):
    v1_train = v1_training_sources()
    dirty = {r["filename"] for r in read_list(Path(dataset) / "test" / "meta.tsv") if r["source"] in v1_train}
    return [r["filename"] for r in read_list(Path(dataset) / "test" / "durations.tsv") if r["filename"] not in dirty]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", default=str(ROOT / "work" / "dataset-v2"))
    a = ap.parse_args()
    src, dst = Path(a.dataset) / "test", Path(a.dataset) / "test_v1clean"
    names = v1_clean_names(a.dataset)
    keep = set(names)
    all_names = [r["filename"] for r in read_list(src / "durations.tsv")]
    idx = [i for i, n in enumerate(all_names) if n in keep]
    dst.mkdir(exist_ok=True)
    np.save(dst / "features.npy", np.load(src / "features.npy")[idx])
    np.save(dst / "targets.npy", np.load(src / "targets.npy")[idx])
    for tsv in ("strong.tsv", "durations.tsv", "meta.tsv", "weak.tsv"):
        lines = (src / tsv).read_text().splitlines()
        (dst / tsv).write_text("\n".join([lines[0]] + [l for l in lines[1:] if l.split("\t")[0] in keep]) + "\n")
    print(f"test_v1clean: {len(names)} of {len(all_names)} soundscapes")


if __name__ == "__main__":
    main()

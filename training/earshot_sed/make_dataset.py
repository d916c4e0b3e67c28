"""Generate the soundscape splits and their features.

Usage: python3 -m earshot_sed.make_dataset [--train N] [--validation N] [--test N] [--out DIR]

Per split writes DIR/<split>/: strong.tsv, weak.tsv, durations.tsv (DCASE formats), meta.tsv
(per event SNR and source), features.npy (float32 log-mel, un-normalised, [N, 622, 64]),
targets.npy (soft frame targets [N, 156, 12]) and, for validation and test, audio/*.wav.
Soundscape i of a split is generated from seed SPLIT_SEEDS[split] * 1_000_000 + i, so any
soundscape can be regenerated alone.
"""
import argparse
import csv
import hashlib
import json
import os
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from .audio_io import to_pcm16, write_wav
from .features import logmel, num_frames, num_output_frames
from .subset import without_v1_sources
from .soundscapes import (DATA, SoundscapeConfig, SourceBank, frame_targets, generate,
                          write_strong_tsv, write_weak_tsv)

ROOT = Path(__file__).resolve().parents[1]
SPLIT_SEEDS = {"train": 1, "validation": 2, "test": 3}
# v2's in-distribution test (groups of the training packages held out; see data/splits.md).
# Kept apart from SPLIT_SEEDS so v1's recipe hash is unchanged.
EXTRA_SPLIT_SEEDS = {"id_test": 4, "test_unheard": 5}
_BANK = {}


def soundscape_seed(split, i):
    return {**SPLIT_SEEDS, **EXTRA_SPLIT_SEEDS}[split] * 1_000_000 + i


def load_bank(split):
    if split == "test_unheard":  # the cross-source test packages, less every file v1 trained on
        return without_v1_sources(SourceBank.load("test"), split)
    return SourceBank.load(split)


def _work(args):
    split, i, audio_dir = args
    if split not in _BANK:
        _BANK[split] = load_bank(split)
    mix, events, bg, _ = generate(soundscape_seed(split, i), _BANK[split], SoundscapeConfig())
    # Features come from the 16-bit quantised signal, exactly what a WAV reader will see.
    pcm = to_pcm16(mix)
    x = pcm.astype(np.float64) / 32768.0
    name = f"{split}_{i:05d}.wav"
    if audio_dir:
        write_wav(Path(audio_dir) / name, x)
    feats = logmel(x, dtype=np.float32)
    return name, events, bg, feats, frame_targets(events, num_output_frames(len(feats)))


def recipe_hash(counts):
    """Hash of the recipe's inputs: source and background manifests, soundscape counts and seeds."""
    h = hashlib.sha256()
    for p in (DATA / "sources.tsv", DATA / "backgrounds.tsv"):
        h.update(p.read_bytes())
    h.update(json.dumps({"counts": counts, "seeds": SPLIT_SEEDS}, sort_keys=True).encode())
    return h.hexdigest()[:16]


def data_hash(out):
    """Hash of the generated data itself (labels and features of every split): a rebuild that
    reproduces the dataset bit for bit gets the same value."""
    h = hashlib.sha256()
    for split in (*SPLIT_SEEDS, *EXTRA_SPLIT_SEEDS):
        d = Path(out) / split
        if not d.exists():
            continue
        for name in ("strong.tsv", "features.npy"):
            with open(d / name, "rb") as f:
                for block in iter(lambda: f.read(1 << 24), b""):
                    h.update(block)
    return h.hexdigest()[:16]


def make_split(split, count, out, workers):
    d = Path(out) / split
    audio = d / "audio" if split != "train" else None
    (audio or d).mkdir(parents=True, exist_ok=True)
    cfg = SoundscapeConfig()
    n_in = num_frames(cfg.num_samples)
    feats = np.zeros((count, n_in, 64), np.float32)
    targets = np.zeros((count, num_output_frames(n_in), 12), np.float32)
    strong, weak, meta = [], [], []
    with ProcessPoolExecutor(workers) as pool:
        jobs = [(split, i, str(audio) if audio else None) for i in range(count)]
        for i, (name, events, bg, f, t) in enumerate(pool.map(_work, jobs, chunksize=16)):
            feats[i], targets[i] = f, t
            strong += [(name, e) for e in events]
            weak.append((name, events))
            meta += [(name, e, bg) for e in events]
    np.save(d / "features.npy", feats)
    np.save(d / "targets.npy", targets)
    write_strong_tsv(d / "strong.tsv", strong)
    write_weak_tsv(d / "weak.tsv", weak)
    with open(d / "durations.tsv", "w") as f:
        f.write("filename\tduration\n")
        for name, _ in weak:
            f.write(f"{name}\t{cfg.duration_s:.3f}\n")
    with open(d / "meta.tsv", "w", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["filename", "onset", "offset", "event_label", "snr_db", "source", "background"])
        for name, e, bg in meta:
            w.writerow([name, f"{e.onset:.3f}", f"{e.offset:.3f}", e.label, f"{e.snr_db:.2f}", e.source, bg])
    print(f"{split}: {count} soundscapes, {len(strong)} events", flush=True)


def _cpu_seconds():
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", type=int, default=3000)
    ap.add_argument("--validation", type=int, default=500)
    ap.add_argument("--test", type=int, default=500)
    ap.add_argument("--id-test", type=int, default=0, help="v2: in-distribution test soundscapes")
    ap.add_argument("--unheard-test", type=int, default=0,
                    help="v2: soundscapes mixed from the test packages less v1's training files (test_unheard)")
    ap.add_argument("--out", default=str(ROOT / "work" / "dataset"))
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    t0 = time.time()
    requested = {"validation": a.validation, "test": a.test, "id_test": a.id_test,
              "test_unheard": a.unheard_test, "train": a.train}
    for split, count in requested.items():
        if count > 0:
            make_split(split, count, a.out, a.workers)
    if a.train == 0:  # v2: training data is mixed on the fly; only the fixed splits are files
        return
    train = np.load(Path(a.out) / "train" / "features.npy", mmap_mode="r")
    flat = np.asarray(train, dtype=np.float64).reshape(-1, train.shape[-1])
    counts = {s: getattr(a, s) for s in SPLIT_SEEDS}
    stats = {"mean": flat.mean(0).tolist(), "std": flat.std(0).tolist(), "recipe_hash": recipe_hash(counts),
             "data_hash": data_hash(a.out), "counts": counts, "split_seeds": SPLIT_SEEDS,
             "wall_seconds": time.time() - t0, "cpu_seconds": _cpu_seconds()}
    (Path(a.out) / "stats.json").write_text(json.dumps(stats, indent=1))


if __name__ == "__main__":
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    main()

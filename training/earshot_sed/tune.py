"""Tune per-class decoding (thresholds, median filter) on the validation split.

As a command it tunes on the frame score tables the detector itself wrote for the validation audio
(`earshot demo --keep-data ... --audio work/dataset-v2/validation/audio`, then out/scores/), so the
thresholds fit the probabilities as deployed (the model's windows and overlap averaging), not whole clips:
  python3 -m earshot_sed.tune SCORES_DIR --ground-truth work/dataset-v2/validation/strong.tsv --out decoding.json

Objective: per-class event-based F1 (onset collar 200 ms, offset collar max(200 ms, 20 % of the
reference length), one-to-one matching), the same criterion as the reported metric. Classes are
independent, so each class picks its own parameters.
"""
import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from .decoding import frame_time, hysteresis_runs, smooth
from .labels import LABELS

ON = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
OFF_DELTA = (0.0, 0.1, 0.2)
MEDIAN = (1, 3, 5, 9, 13, 17, 21)
MIN_DURATION_S = 0.1
MAX_GAP_S = 0.2


def read_strong(path):
    out = defaultdict(list)
    with open(path) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            out[row["filename"]].append((float(row["onset"]), float(row["offset"]), row["event_label"]))
    return out


def read_score_tables(scores_dir):
    """Score tables (sed_scores_eval layout: onset, offset, one column per class) -> {audio file name:
    probabilities [frames, classes]}. The table of `x.wav` is `x.wav.tsv` (the detector's sink) or `x.tsv`
    (evaluate.write_score_tables); rows must be the model's output frames from frame 0 on."""
    out = {}
    for path in sorted(Path(scores_dir).glob("*.tsv")):
        with open(path) as f:
            header = f.readline().rstrip("\n").split("\t")
        if header[2:] != list(LABELS):
            raise ValueError(f"{path}: classes {header[2:]} are not the model's {list(LABELS)}")
        rows = np.loadtxt(path, delimiter="\t", skiprows=1, ndmin=2)
        if len(rows) > 1 and not np.allclose(rows[1:, 0], [frame_time(j) for j in range(1, len(rows))], atol=1e-4):
            raise ValueError(f"{path}: rows are not consecutive output frames from frame 0")
        name = path.name[:-len(".tsv")]
        out[name if name.endswith(".wav") else name + ".wav"] = rows[:, 2:]
    if not out:
        raise ValueError(f"{scores_dir}: no score tables (*.tsv)")
    return out


def _events(p, on, off, duration, max_gap=MAX_GAP_S):
    merged = []
    for a, b in hysteresis_runs(p, on, off):
        t0, t1 = frame_time(a), min(frame_time(b), duration)
        if merged and t0 - merged[-1][1] <= max_gap:
            merged[-1][1] = t1
        else:
            merged.append([t0, t1])
    return [(a, b) for a, b in merged if b - a >= MIN_DURATION_S]


def count_matches(ref, est, collar=0.2, pct=0.2):
    """One-to-one matches between reference and estimated (onset, offset) lists (augmenting paths)."""
    ok = [[j for j, e in enumerate(est)
           if abs(e[0] - r[0]) <= collar and abs(e[1] - r[1]) <= max(collar, pct * (r[1] - r[0]))]
          for r in ref]
    match_est = {}

    def augment(i, seen):
        for j in ok[i]:
            if j not in seen:
                seen.add(j)
                if j not in match_est or augment(match_est[j], seen):
                    match_est[j] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(ref)))


def tune(probs_by_file, refs, log=print, medians=MEDIAN, gaps=(MAX_GAP_S,)):
    """medians: the median-filter lengths to try (a streaming model keeps them short: a centred
    median of n frames waits (n - 1) / 2 frames for its decision). gaps: the max_gap_s values to try
    (events of a class closer than that are merged; a longer gap delays only the end of an event,
    never its start, since the detector reports an onset as soon as the event is long enough)."""
    params = {"threshold_on": {}, "threshold_off": {}, "median_filter_frames": {},
              "min_duration_s": {}, "max_gap_s": {}}
    scores = {}
    for k, label in enumerate(LABELS):
        best = (-1.0, None)
        smoothed = {m: {n: smooth(p[:, k:k + 1], [m]) for n, p in probs_by_file.items()} for m in medians}
        for m in medians:
            for on in ON:
                for d in OFF_DELTA:
                    off = round(max(0.05, on - d), 2)
                    for g in gaps:
                        f1 = _f1_pre(smoothed[m], refs, label, on, off, max_gap=g)
                        if f1 > best[0] + 1e-9:
                            best = (f1, (on, off, m, g))
        on, off, m, g = best[1]
        params["threshold_on"][label] = on
        params["threshold_off"][label] = off
        params["median_filter_frames"][label] = m
        params["min_duration_s"][label] = MIN_DURATION_S
        params["max_gap_s"][label] = g
        scores[label] = best[0]
        log(f"  {label:10s} on {on:.2f} off {off:.2f} median {m} gap {g:.1f} s: validation event F1 {best[0]:.3f}")
    return params, scores


def _f1_pre(smoothed_by_file, refs, label, on, off, duration=10.0, max_gap=MAX_GAP_S):
    tp = n_ref = n_est = 0
    for name, est in _events_by_file(smoothed_by_file, on, off, duration, max_gap).items():
        ref = [(a, b) for a, b, l in refs.get(name, []) if l == label]
        if ref and est:
            tp += count_matches(ref, est)
        n_ref += len(ref)
        n_est += len(est)
    return 2 * tp / (n_ref + n_est) if n_ref + n_est else 0.0


def _events_by_file(smoothed_by_file, on, off, duration, max_gap=MAX_GAP_S):
    """_events for every file at once: the files' frames joined with a separator frame below every
    threshold, one hysteresis pass, then per-file gap merging and minimum duration (the same events
    as _events file by file, without a Python loop over frames)."""
    names = list(smoothed_by_file)
    parts, starts, pos = [], [], 0
    for n in names:
        p = smoothed_by_file[n][:, 0]
        starts.append(pos)
        parts += [p, [-1.0]]
        pos += len(p) + 1
    x = np.concatenate(parts)
    edges = np.diff(np.concatenate(([0], (x > off).astype(np.int8), [0])))
    run_start, run_end = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    above = np.flatnonzero(x > on)
    out = {n: [] for n in names}
    if not len(above) or not len(run_start):
        return out
    k = np.searchsorted(above, run_start)
    ok = k < len(above)
    first = above[np.minimum(k, len(above) - 1)]
    keep = ok & (first < run_end)
    first, end = first[keep], run_end[keep]
    starts = np.asarray(starts)
    f = np.searchsorted(starts, first, side="right") - 1
    t0 = np.array([frame_time(j) for j in (first - starts[f])])
    t1 = np.minimum(np.array([frame_time(j) for j in (end - starts[f])]), duration)
    merged_t1 = None
    for i in range(len(first)):
        lst = out[names[f[i]]]
        if lst and t0[i] - merged_t1 <= max_gap:
            lst[-1][1] = t1[i]
        else:
            lst.append([t0[i], t1[i]])
        merged_t1 = t1[i]
    return {n: [(a, b) for a, b in ev if b - a >= MIN_DURATION_S] for n, ev in out.items()}


def main():
    ap = argparse.ArgumentParser(description="tune decoding on score tables the detector wrote")
    ap.add_argument("scores", help="directory of score tables (one per audio file)")
    ap.add_argument("--ground-truth", required=True, help="strong labels (DCASE tsv) of the same audio")
    ap.add_argument("--out", required=True, help="decoding.json to write (export_v2 --decoding)")
    ap.add_argument("--medians", default=",".join(map(str, MEDIAN)), help="median filter lengths to try")
    ap.add_argument("--gaps", default=str(MAX_GAP_S),
                    help="max_gap_s values to try per class (default: the fixed 0.2 s; e.g. 0.2,0.5,1,2 for a "
                         "streaming model, whose scores break up more)")
    a = ap.parse_args()
    probs = read_score_tables(a.scores)
    refs = read_strong(a.ground_truth)
    missing = sorted(set(refs) - set(probs))
    if missing:
        raise SystemExit(f"{a.scores}: no score table for {len(missing)} labelled files, e.g. {missing[0]}")
    params, f1 = tune(probs, refs, medians=tuple(int(m) for m in a.medians.split(",")),
                      gaps=tuple(float(g) for g in a.gaps.split(",")))
    Path(a.out).write_text(json.dumps(params, indent=1))
    print(f"{len(probs)} files; mean validation event F1 {np.mean(list(f1.values())):.3f}; wrote {a.out}")


if __name__ == "__main__":
    main()

"""Turn frame probabilities into events, as the manifest's `decoding` section prescribes.

Per class: median filter (centred, odd length, edges repeat the edge value) -> hysteresis
(an event starts at a frame with p > threshold_on and lasts while p > threshold_off) -> events
of the same class closer than max_gap_s are merged -> events shorter than min_duration_s dropped.
Output frame j spans samples [frame_offset + j * frame_hop, frame_offset + (j + 1) * frame_hop).
"""
import numpy as np
from scipy.ndimage import median_filter

from .features import FRAME_HOP_SAMPLES, FRAME_OFFSET_SAMPLES, SAMPLE_RATE
from .labels import LABELS


def smooth(probs, lengths):
    """probs (frames, classes); lengths per class (1 = no filter)."""
    out = np.array(probs, dtype=np.float64, copy=True)
    for k, n in enumerate(lengths):
        if n > 1:
            out[:, k] = median_filter(out[:, k], size=int(n), mode="nearest")
    return out


def hysteresis_runs(p, on, off):
    """[(first, last_exclusive)] frame runs."""
    runs, start = [], None
    for j, v in enumerate(p):
        if start is None:
            if v > on:
                start = j
        elif not v > off:
            runs.append((start, j))
            start = None
    if start is not None:
        runs.append((start, len(p)))
    return runs


def frame_time(j):
    return (FRAME_OFFSET_SAMPLES + FRAME_HOP_SAMPLES * j) / SAMPLE_RATE


def decode(probs, params, duration=None):
    """probs (frames, classes) -> [(onset, offset, label)] sorted."""
    lengths = [params["median_filter_frames"][l] for l in LABELS]
    sm = smooth(probs, lengths)
    events = []
    for k, label in enumerate(LABELS):
        runs = hysteresis_runs(sm[:, k], params["threshold_on"][label], params["threshold_off"][label])
        merged = []
        for a, b in runs:
            on, off = frame_time(a), frame_time(b)
            if merged and on - merged[-1][1] <= params["max_gap_s"][label]:
                merged[-1][1] = off
            else:
                merged.append([on, off])
        for on, off in merged:
            if duration is not None:
                off = min(off, duration)
            if off - on >= params["min_duration_s"][label]:
                events.append((round(on, 3), round(off, 3), label))
    return sorted(events)


def default_params():
    return {
        "threshold_on": {l: 0.5 for l in LABELS},
        "threshold_off": {l: 0.3 for l in LABELS},
        "median_filter_frames": {l: 5 for l in LABELS},
        "min_duration_s": {l: 0.1 for l in LABELS},
        "max_gap_s": {l: 0.2 for l in LABELS},
    }

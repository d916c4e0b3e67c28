"""Regenerates python-decoding-cases.json (next to this file) with training/earshot_sed/decoding.py.

Run with the system python3 (numpy, scipy): python3 generate_python_decoding_cases.py python-decoding-cases.json
Probabilities are float32 values written in their shortest form; Java reads them with Float.parseFloat.
"""
import json, sys
import numpy as np
import pathlib
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[5] / "training"))
from earshot_sed.decoding import decode
from earshot_sed.labels import LABELS

rng = np.random.default_rng(20261124)
HOP_S = 1024 / 16000


def off_grid(draw):
    """A duration that is not a whole number of frames: at exact multiples Python's float differences
    of frame times fall either way (0.792 - 0.728 > 0.064), while Java compares whole frames."""
    while True:
        v = draw()
        if abs(v / HOP_S - round(v / HOP_S)) > 1e-3:
            return v

cases = []
for c in range(30):
    n = int(rng.integers(20, 90))
    probs = np.zeros((n, len(LABELS)), dtype=np.float32)
    for k in range(len(LABELS)):
        level = 0.1
        for t in range(n):
            if rng.integers(0, 10) == 0:
                level = rng.random()
            v = level + rng.normal() * 0.15
            if rng.integers(0, 25) == 0:
                v = rng.random()
            probs[t, k] = np.float32(round(min(1.0, max(0.0, v)), 4))
    params = {"threshold_on": {}, "threshold_off": {}, "median_filter_frames": {}, "min_duration_s": {}, "max_gap_s": {}}
    for l in LABELS:
        on = round(0.3 + 0.5 * rng.random(), 3)
        params["threshold_on"][l] = on
        params["threshold_off"][l] = round(on * (0.2 + 0.8 * rng.random()), 3)
        params["median_filter_frames"][l] = int(1 + 2 * rng.integers(0, 4))
        params["min_duration_s"][l] = off_grid(lambda: round(0.01 + 0.4 * rng.random(), 3))
        params["max_gap_s"][l] = off_grid(lambda: round(0.01 + 0.35 * rng.random(), 3))
    events = decode(probs.astype(np.float64), params)
    cases.append({"probs": [[float(str(v)) for v in row] for row in probs], "params": params,
                  "events": [[on, off, label] for on, off, label in events]})
doc = {"generator": "training/earshot_sed/decoding.py decode(probs, params) without duration clipping",
       "labels": list(LABELS), "frame_offset_samples": 384, "frame_hop_samples": 1024, "sample_rate": 16000,
       "cases": cases}
json.dump(doc, open(sys.argv[1], "w"), separators=(",", ":"))
print(sum(len(c["events"]) for c in cases), "events")

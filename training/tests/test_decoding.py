"""The offline decoder follows the manifest's decoding rules (the Java decoder mirrors them)."""
import numpy as np

from earshot_sed.decoding import decode, default_params, frame_time, hysteresis_runs, smooth
from earshot_sed.labels import LABELS


def test_hysteresis_is_strict_on_both_thresholds():
    p = [0.2, 0.5, 0.51, 0.35, 0.3, 0.6, 0.31, 0.1]
    assert hysteresis_runs(p, on=0.5, off=0.3) == [(2, 4), (5, 7)]
    assert hysteresis_runs([0.9, 0.9], 0.5, 0.3) == [(0, 2)]   # open at the end


def test_median_filter_repeats_edges():
    p = np.array([[1.0], [0.0], [0.0], [1.0], [1.0]])
    out = smooth(p, [3])[:, 0]
    assert out.tolist() == [1.0, 0.0, 0.0, 1.0, 1.0]
    assert smooth(np.array([[0.0], [1.0], [0.0]]), [3])[:, 0].tolist() == [0.0, 0.0, 0.0]


def test_events_use_output_frame_times_merge_gaps_and_drop_short_ones():
    params = default_params()
    k = LABELS.index("Alarm")
    for key in params:
        params[key] = dict(params[key])
    params["median_filter_frames"]["Alarm"] = 1
    probs = np.zeros((40, len(LABELS)))
    probs[2:6, k] = 0.9     # frames 2..5
    probs[8:10, k] = 0.9    # gap of 2 frames (0.128 s <= 0.2 s): merged
    probs[20, k] = 0.9      # a single frame: 0.064 s < 0.1 s, dropped
    events = decode(probs, params, duration=10.0)
    assert events == [(round(frame_time(2), 3), round(frame_time(10), 3), "Alarm")]
    assert frame_time(0) == 0.024 and frame_time(1) == 0.088

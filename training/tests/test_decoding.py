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


def _write_table(path, probs, first_onset=0.0):
    rows = ["onset\toffset\t" + "\t".join(LABELS)]
    for j, p in enumerate(probs):
        on = first_onset if j == 0 else frame_time(j)
        rows.append(f"{on:.6f}\t{frame_time(j + 1):.6f}\t" + "\t".join(f"{v:.6f}" for v in p))
    path.write_text("\n".join(rows) + "\n")


def _speech_clips(tmp_path, scores_of):
    """Three score tables (clip0..2), each with one labelled 40-frame Speech event starting at frame
    20 + 30 i; scores_of(probs, first_frame) writes the event's scores. Returns the references."""
    refs = {}
    for i in range(3):
        p = np.full((156, len(LABELS)), 0.05)
        a = 20 + 30 * i
        scores_of(p, a)
        _write_table(tmp_path / f"clip{i}.wav.tsv", p, first_onset=0.024)
        refs[f"clip{i}.wav"] = [(frame_time(a), frame_time(a + 40), "Speech")]
    return refs


def test_decoding_tunes_on_the_detectors_own_score_tables(tmp_path):
    from earshot_sed.tune import read_score_tables, tune

    k = LABELS.index("Speech")

    def faint(p, a):
        p[a:a + 40, k] = 0.45  # an event the default 0.5 threshold would miss

    refs = _speech_clips(tmp_path, faint)
    probs = read_score_tables(tmp_path)
    assert sorted(probs) == ["clip0.wav", "clip1.wav", "clip2.wav"]
    assert probs["clip1.wav"].shape == (156, len(LABELS)) and probs["clip1.wav"][60, k] == 0.45
    params, f1 = tune(probs, refs, log=lambda *_: None)
    assert f1["Speech"] == 1.0 and params["threshold_on"]["Speech"] < 0.45


def test_score_tables_of_another_model_or_with_gaps_are_refused(tmp_path):
    import pytest
    from earshot_sed.tune import read_score_tables

    p = np.zeros((10, len(LABELS)))
    _write_table(tmp_path / "a.wav.tsv", p)
    text = (tmp_path / "a.wav.tsv").read_text()
    (tmp_path / "a.wav.tsv").write_text(text.replace("Typing", "Cough", 1))
    with pytest.raises(ValueError, match="classes"):
        read_score_tables(tmp_path)
    lines = text.splitlines()
    (tmp_path / "a.wav.tsv").write_text("\n".join(lines[:4] + lines[5:]) + "\n")  # one frame missing
    with pytest.raises(ValueError, match="consecutive"):
        read_score_tables(tmp_path)


def test_tuning_the_gap_joins_an_event_that_its_scores_break_up(tmp_path):
    from earshot_sed.tune import read_score_tables, tune

    k = LABELS.index("Speech")

    def broken(p, a):
        p[a:a + 40, k] = 0.9
        p[a + 16:a + 24, k] = 0.05  # a dip of 8 frames (0.51 s) inside one labelled event

    refs = _speech_clips(tmp_path, broken)
    probs = read_score_tables(tmp_path)
    quiet = lambda *_: None
    fixed, f1_fixed = tune(probs, refs, log=quiet, medians=(1,))
    assert fixed["max_gap_s"]["Speech"] == 0.2 and f1_fixed["Speech"] == 0.0
    tuned, f1_tuned = tune(probs, refs, log=quiet, medians=(1,), gaps=(0.2, 0.5, 1.0))
    assert tuned["max_gap_s"]["Speech"] == 1.0 and f1_tuned["Speech"] == 1.0

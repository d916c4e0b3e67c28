"""The generator's labels must match where the events really are in the mix."""
import numpy as np
import pytest

from earshot_sed.features import SAMPLE_RATE
from earshot_sed.labels import LABELS
from earshot_sed.soundscapes import SoundscapeConfig, SourceBank, frame_targets, generate, write_strong_tsv

SR = SAMPLE_RATE


def _burst(rng, seconds, kind):
    """A sound with a clear start and end (no silent edges, as after trimming)."""
    n = int(seconds * SR)
    t = np.arange(n) / SR
    if kind == "tone":
        x = np.sin(2 * np.pi * rng.uniform(300, 3000) * t)
    else:
        x = rng.standard_normal(n)
    return (0.5 * x).astype(np.float32)


@pytest.fixture(scope="module")
def bank():
    rng = np.random.default_rng(0)
    events = []
    for k, label in enumerate(LABELS):
        for i in range(4):
            # Typing/Footsteps get single short "keystrokes"/"steps" to exercise sequences;
            # one long source per class exercises excerpting.
            dur = 0.12 if label in ("Typing", "Footsteps") else (12.0 if i == 3 else rng.uniform(0.2, 3.0))
            events.append((label, f"{label}:g{i % 2}", f"{label}-{i}", _burst(rng, dur, "tone" if k % 2 else "noise")))
    backgrounds = [("bed", _burst(rng, 4.0, "noise") * 0.1)]
    return SourceBank(events, backgrounds, "synthetic")


def test_labels_match_event_signals(bank):
    cfg = SoundscapeConfig()
    for seed in range(40):
        mix, events, _, stems = generate(seed, bank, cfg)
        assert len(mix) == cfg.num_samples
        assert 1 <= len(events) <= cfg.max_events
        # stems are in placement order, events sorted: match them by their support
        for stem in stems:
            nz = np.nonzero(np.abs(stem) > 0)[0]
            on, off = nz[0] / SR, (nz[-1] + 1) / SR
            match = [e for e in events if abs(e.onset - on) <= 0.0011 and abs(e.offset - off) <= 0.0011]
            assert match, f"seed {seed}: no label for an event at {on:.3f}-{off:.3f}"
            # energy right after the onset and right before the offset: the label is tight
            first, last = stem[nz[0]:nz[0] + 480], stem[nz[-1] - 479:nz[-1] + 1]
            peak = np.max(np.abs(stem))
            assert np.max(np.abs(first)) > 1e-3 * peak and np.max(np.abs(last)) > 1e-3 * peak


def test_mix_is_background_plus_events_within_labels(bank):
    mix, events, _, stems = generate(3, bank)
    fg = np.sum(stems, axis=0)
    inside = np.zeros(len(mix), bool)
    for e in events:
        inside[int(round(e.onset * SR)):int(round(e.offset * SR))] = True
    assert np.all(fg[~inside] == 0), "foreground energy outside every label"


def test_same_class_events_never_overlap(bank):
    for seed in range(60):
        _, events, _, _ = generate(seed, bank)
        for label in LABELS:
            spans = sorted((e.onset, e.offset) for e in events if e.label == label)
            for (a0, a1), (b0, b1) in zip(spans, spans[1:]):
                assert b0 >= a1, f"seed {seed}: {label} events overlap"


def test_snr_range_and_determinism(bank):
    a = generate(123, bank)
    b = generate(123, bank)
    assert np.array_equal(a[0], b[0]) and a[1] == b[1]
    c = generate(124, bank)
    assert not np.array_equal(a[0], c[0])
    for seed in range(30):
        mix, events, _, _ = generate(seed, bank)
        assert np.max(np.abs(mix)) <= 0.95 + 1e-6
        assert all(0.0 <= e.snr_db <= 30.0 for e in events)
        assert all(0.0 <= e.onset < e.offset <= 10.0 for e in events)


def test_frame_targets_follow_output_frame_alignment():
    from earshot_sed.soundscapes import Event
    # output frame j spans samples [384 + 1024 j, 384 + 1024 (j+1))
    e = Event("Bird", onset=(384 + 1024 * 10) / SR, offset=(384 + 1024 * 12 + 512) / SR, snr_db=0, source="x")
    y = frame_targets([e], 156)
    k = LABELS.index("Bird")
    assert y[9, k] == 0 and y[10, k] == pytest.approx(1.0) and y[11, k] == pytest.approx(1.0)
    assert y[12, k] == pytest.approx(0.5) and y[13, k] == 0
    assert y[:, [i for i in range(12) if i != k]].max() == 0


def test_strong_tsv_format(tmp_path, bank):
    _, events, _, _ = generate(5, bank)
    write_strong_tsv(tmp_path / "s.tsv", [("a.wav", e) for e in events])
    lines = (tmp_path / "s.tsv").read_text().splitlines()
    assert lines[0] == "filename\tonset\toffset\tevent_label"
    assert len(lines) == len(events) + 1
    for line in lines[1:]:
        f, on, off, label = line.split("\t")
        assert f == "a.wav" and label in LABELS and float(on) < float(off)

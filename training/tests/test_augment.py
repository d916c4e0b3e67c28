"""Augmentations keep label timing, are deterministic per seed, and do what they say."""
import numpy as np
import pytest

from earshot_sed import augment as A
from earshot_sed.features import SAMPLE_RATE
from earshot_sed.labels import LABELS
from earshot_sed.soundscapes import SoundscapeConfig, SourceBank, generate

SR = SAMPLE_RATE


@pytest.fixture(scope="module")
def bank():
    rng = np.random.default_rng(1)
    events = []
    for k, label in enumerate(LABELS):
        for i in range(3):
            n = int((0.12 if label in ("Typing", "Footsteps") else rng.uniform(0.3, 2.5)) * SR)
            x = rng.standard_normal(n) if k % 2 else np.sin(2 * np.pi * rng.uniform(300, 3000) * np.arange(n) / SR)
            events.append((label, f"{label}:g{i}", f"{label}-{i}", (0.5 * x).astype(np.float32)))
    return SourceBank(events, [("bed", (0.05 * rng.standard_normal(4 * SR)).astype(np.float32))], "synthetic")


def _support(stem):
    nz = np.nonzero(np.abs(stem) > 0)[0]
    return nz[0] / SR, (nz[-1] + 1) / SR


def test_labels_match_the_augmented_event_signals(bank):
    """Speed change, filters and EQ act before placement: every label is where its (augmented)
    signal is, to the millisecond."""
    fx = A.EventFx(p_speed=1.0, p_lowpass=1.0, p_highpass=1.0, p_eq=1.0)
    for seed in range(25):
        mix, events, _, stems = generate(seed, bank, SoundscapeConfig(), event_fx=fx)
        for stem in stems:
            on, off = _support(stem)
            assert any(abs(e.onset - on) <= 0.0011 and abs(e.offset - off) <= 0.0011 for e in events), seed


def test_room_and_microphone_do_not_move_onsets(bank):
    """A causal room: nothing of an event reaches the mix before its labelled onset."""
    fx = A.MixFx(p_reverb=1.0, p_mic_lowpass=1.0, p_mic_eq=1.0)
    cfg = SoundscapeConfig(snr_db=(90.0, 91.0), noise_background_prob=1.0, max_events=1)  # events far above the bed
    for seed in range(15):
        mix, events, _, stems = generate(seed, bank, cfg, mix_fx=fx)
        assert len(events) == 1
        on = int(round(events[0].onset * SR))
        before, after = mix[:max(0, on - 16)], mix[on + 16:on + 800]  # labels are rounded to 1 ms
        assert np.max(np.abs(before)) < 1e-3 * np.max(np.abs(after)) + 1e-6, seed


def test_same_seed_same_soundscape_different_seed_different(bank):
    kw = dict(event_fx=A.EventFx(), mix_fx=A.MixFx())
    a, ea, _, _ = generate(5, bank, SoundscapeConfig(), **kw)
    b, eb, _, _ = generate(5, bank, SoundscapeConfig(), **kw)
    c, _, _, _ = generate(6, bank, SoundscapeConfig(), **kw)
    assert np.array_equal(a, b) and ea == eb
    assert not np.array_equal(a, c)


def test_without_augmentation_the_draws_are_unchanged(bank):
    """The fixed validation/test splits are generated without augmentation: adding the hooks must
    not change them."""
    a, ea, _, _ = generate(9, bank, SoundscapeConfig())
    b, eb, _, _ = generate(9, bank, SoundscapeConfig(), event_fx=None, mix_fx=None)
    assert np.array_equal(a, b) and ea == eb


def test_speed_change_scales_duration():
    x = np.ones(16000, np.float32)
    assert len(A.speed_change(x, 1.25)) == 12800
    assert len(A.speed_change(x, 0.8)) == 20000


def _level_db(x, f):
    t = np.arange(len(x)) / SR
    return 20 * np.log10(np.abs(np.dot(x, np.exp(-2j * np.pi * f * t))) / len(x) * 2 + 1e-12)


def test_lowpass_removes_the_band_above_cutoff():
    t = np.arange(SR) / SR
    x = (np.sin(2 * np.pi * 500 * t) + np.sin(2 * np.pi * 6000 * t)).astype(np.float32)
    y = A.lowpass(x, 3000.0)
    assert _level_db(y, 500) > -1.0
    assert _level_db(y, 6000) < -40.0


def test_room_impulse_decays_by_rt60():
    h = A.room_impulse(np.random.default_rng(0), rt60=0.5, drr_db=0.0)
    assert h[0] >= 1.0 and len(h) == 8000
    early = np.sum(h[40:800] ** 2)
    late = np.sum(h[7200:8000] ** 2)
    assert 10 * np.log10(early / late) > 35


def test_feature_augmentations_keep_shapes_and_targets():
    rng = np.random.default_rng(0)
    f = rng.standard_normal((6, 624, 64)).astype(np.float32)
    t = (rng.random((6, 156, 12)) > 0.8).astype(np.float32)
    g = A.filter_augment(rng, f, p=1.0)
    assert g.shape == f.shape and not np.array_equal(g, f)
    s = A.spec_augment(rng, f)
    assert s.shape == f.shape
    m, mt = A.mixup(rng, f, t, p=1.0)
    assert m.shape == f.shape and mt.shape == t.shape
    assert mt.min() >= 0.0 and mt.max() <= 1.0
    # mixup keeps each example dominated by itself (lambda >= 0.5)
    assert np.all(mt >= 0.5 * t - 1e-6)

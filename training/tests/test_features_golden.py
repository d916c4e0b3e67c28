"""The numpy feature code against the committed golden files, and the filterbank's definition."""
import json
from pathlib import Path

import numpy as np
import pytest

from earshot_sed import features as F
from earshot_sed.audio_io import read_wav

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "models" / "golden"
MANIFEST = ROOT / "models" / "earshot-sed-v1.json"
WAVS = sorted(GOLDEN.glob("*.wav"))


def test_golden_set_is_complete():
    assert len(WAVS) >= 3
    for wav in WAVS:
        x, rate = read_wav(wav)
        assert rate == 16000 and 1.0 <= len(x) / rate <= 3.0
        assert (GOLDEN / (wav.stem + ".json")).exists()
    # one file has digital silence: its frames sit exactly on the log floor
    floors = [np.any(np.all(F.logmel(read_wav(w)[0]) == np.log(F.LOG_OFFSET), axis=1)) for w in WAVS]
    assert any(floors)


@pytest.mark.parametrize("wav", WAVS, ids=lambda p: p.name)
def test_logmel_and_input_match_golden(wav):
    doc = json.loads((GOLDEN / (wav.stem + ".json")).read_text())
    manifest = json.loads(MANIFEST.read_text())
    norm = manifest["features"]["normalization"]
    x, _ = read_wav(wav)
    feats = F.logmel(x)
    assert doc["wav"] == wav.name and doc["num_samples"] == len(x)
    assert feats.shape == (F.num_frames(len(x)), 64) == np.array(doc["logmel"]).shape
    np.testing.assert_allclose(feats, doc["logmel"], rtol=0, atol=1e-6)
    np.testing.assert_allclose(F.normalise(feats, norm["mean"], norm["std"]), doc["input"], rtol=0, atol=1e-6)
    frames = np.array(doc["frame_probs"])
    assert frames.shape == (F.num_output_frames(len(feats)), len(manifest["labels"]))
    assert np.all((frames >= 0) & (frames <= 1)) and len(doc["clip_probs"]) == len(manifest["labels"])


def test_frame_count_and_alignment():
    assert F.num_frames(160000) == 622 and F.num_frames(1023) == 0 and F.num_frames(1024) == 1
    assert F.num_output_frames(622) == 156 and F.num_output_frames(624) == 156
    assert F.output_frame_bounds(0) == (384, 1408) and F.output_frame_bounds(2) == (2432, 3456)


def test_filterbank_definition():
    fb = F.mel_filterbank()
    assert fb.shape == (64, 513) and fb.min() >= 0
    edges = F.mel_to_hz(np.linspace(F.hz_to_mel(50.0), F.hz_to_mel(8000.0), 66))
    freqs = np.arange(513) * 16000 / 1024
    for m in (0, 20, 63):
        # the band's peak bin is the bin nearest to its centre frequency, and nothing lies outside
        outside = (freqs <= edges[m]) | (freqs >= edges[m + 2])
        assert np.all(fb[m, outside] == 0)
        k = np.argmax(fb[m])
        assert abs(freqs[k] - edges[m + 1]) <= 16000 / 1024
    assert F.hz_to_mel(700.0) == pytest.approx(2595 * np.log10(2))


def test_tone_lands_in_its_band_and_framing_is_anchored():
    t = np.arange(16000) / 16000
    x = 0.5 * np.sin(2 * np.pi * 1000.0 * t)
    feats = F.logmel(x)
    edges = F.mel_to_hz(np.linspace(F.hz_to_mel(50.0), F.hz_to_mel(8000.0), 66))
    band = int(np.argmin(np.abs(edges[1:-1] - 1000.0)))
    assert abs(int(np.argmax(feats[5])) - band) <= 1
    # frame i depends only on samples [256 i, 256 i + 1024): dropping the first 256 samples
    # shifts the frames by exactly one
    np.testing.assert_allclose(F.logmel(x[256:]), feats[1:], atol=1e-9)
    # periodic Hann, power spectrum without scaling: a full-scale DC frame gives sum(w)^2 at bin 0
    w = F.periodic_hann()
    assert w[0] == 0 and w[512] == pytest.approx(1.0) and w.sum() == pytest.approx(512.0)

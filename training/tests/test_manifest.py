"""The committed manifest is complete, valid and agrees with the feature code and the model file."""
import json
from pathlib import Path

import pytest

from earshot_sed import features as F
from earshot_sed.labels import LABELS
from earshot_sed.manifest import validate

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "models" / "earshot-sed-v1.json"


@pytest.fixture(scope="module")
def manifest():
    return json.loads(MANIFEST.read_text())


def test_manifest_is_valid(manifest):
    validate(manifest)
    assert manifest["labels"] == list(LABELS)
    assert manifest["name"] == "earshot-sed" and manifest["version"].count(".") == 2


def test_manifest_matches_feature_code(manifest):
    f = manifest["features"]
    assert (f["sample_rate"], f["n_fft"], f["win_length"], f["hop_length"]) == (F.SAMPLE_RATE, F.N_FFT, F.N_FFT, F.HOP)
    assert f["window"] == "hann_periodic" and f["center"] is False and f["spectrum"] == "power"
    assert f["mel"] == {"n_mels": 64, "fmin": 50.0, "fmax": 8000.0, "scale": "htk", "norm": "none"}
    assert f["log"] == {"type": "ln", "offset": 1e-6}
    assert manifest["input"] == {"name": "logmel", "layout": ["batch", "time", "mel"], "dtype": "float32"}
    o = manifest["output"]
    assert (o["time_pooling"], o["frame_hop_samples"], o["frame_offset_samples"]) == (4, 1024, 384)
    # 62 / 31 output frames (3.97 s / 1.98 s): the windowed default since issue 10 (no worse than 10 s / 5 s
    # on unheard audio, half the wait); earshot_sed.manifest still writes 624 / 312 for new exports
    assert manifest["window"] == {"frames": 248, "hop_frames": 124}


def test_onnx_file_is_there_and_small(manifest):
    onnx = ROOT / "models" / manifest["onnx"]
    assert onnx.exists() and 10_000 < onnx.stat().st_size < 4_000_000
    assert manifest["training"]["onnx_sha256"]


@pytest.mark.parametrize("breakage, message", [
    (lambda m: m["labels"].append("Speech"), "unique"),
    (lambda m: m["decoding"]["threshold_on"].pop("Bird"), "threshold_on"),
    (lambda m: m["decoding"]["median_filter_frames"].update(Bird=4), "odd"),
    (lambda m: m["features"]["normalization"]["std"].__setitem__(3, 0.0), "std"),
    (lambda m: m["output"].update(frame_hop_samples=1000), "frame_hop_samples"),
    (lambda m: m["window"].update(frames=622), "multiple"),
])
def test_validation_names_the_problem(manifest, breakage, message):
    broken = json.loads(json.dumps(manifest))
    breakage(broken)
    with pytest.raises(ValueError, match=message):
        validate(broken)

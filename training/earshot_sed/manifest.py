"""The model manifest (models/earshot-sed-v1.json): build and validate.

The manifest is the one contract between training and the Java pipeline; docs/model-manifest.md
documents every field. validate() is used by the CI tests and by export.
"""
import math

from . import features as F
from .labels import LABELS

FORMAT = "earshot-model-manifest/1"


def build(mean, std, decoding, training, onnx_name="earshot-sed-v1.onnx", version="1.0.0",
          onnx_sha256=None, streaming=None, window_frames=248, hop_frames=124):
    """A windowed manifest, or with `streaming` (the manifest's streaming block) a streaming one."""
    m = {
        "format": FORMAT,
        "name": "earshot-sed",
        "version": version,
        "onnx": onnx_name,
        "labels": list(LABELS),
        "features": {
            "sample_rate": F.SAMPLE_RATE,
            "n_fft": F.N_FFT,
            "win_length": F.N_FFT,
            "hop_length": F.HOP,
            "window": "hann_periodic",
            "center": False,
            "spectrum": "power",
            "mel": {"n_mels": F.N_MELS, "fmin": F.FMIN, "fmax": F.FMAX, "scale": "htk", "norm": "none"},
            "log": {"type": "ln", "offset": F.LOG_OFFSET},
            "normalization": {"type": "per_band", "mean": [float(v) for v in mean],
                              "std": [float(v) for v in std]},
        },
        "input": {"name": "logmel", "layout": ["batch", "time", "mel"], "dtype": "float32"},
        "output": {"frame_probs": "frame_probs", "clip_probs": "clip_probs",
                   "time_pooling": F.TIME_POOLING, "frame_hop_samples": F.FRAME_HOP_SAMPLES,
                   "frame_offset_samples": F.FRAME_OFFSET_SAMPLES},
        "window": {"frames": window_frames, "hop_frames": hop_frames},
        "decoding": decoding,
        "training": training,
    }
    if streaming is not None:
        m = {"format": m["format"], "name": m["name"], "version": version, "kind": "streaming",
             **{k: v for k, v in m.items() if k not in ("format", "name", "version", "window")},
             "streaming": streaming}
        m["output"] = {k: v for k, v in m["output"].items() if k != "clip_probs"}
    if onnx_sha256 is not None:
        # The detector refuses an ONNX file whose SHA-256 differs (docs/model-manifest.md); placed next
        # to "onnx", the file it describes.
        m = {**{k: m[k] for k in ("format", "name", "version", "onnx")}, "onnx_sha256": onnx_sha256,
             **{k: v for k, v in m.items() if k not in ("format", "name", "version", "onnx")}}
    return m


def validate(m):
    """Raise ValueError naming the first problem; return m."""
    def need(cond, what):
        if not cond:
            raise ValueError(f"manifest: {what}")
    need(m.get("format") == FORMAT, f"format must be {FORMAT}")
    kind = m.get("kind", "windowed")
    need(kind in ("windowed", "streaming"), "kind must be windowed or streaming")
    for key in ("name", "version", "onnx", "labels", "features", "input", "output", "decoding"):
        need(key in m, f"missing {key}")
    need(("window" in m) == (kind == "windowed"), "a windowed model has a window block, a streaming one none")
    labels = m["labels"]
    need(isinstance(labels, list) and labels and len(set(labels)) == len(labels), "labels must be unique")
    f = m["features"]
    need(f["sample_rate"] > 0 and f["n_fft"] >= f["win_length"] > 0 and f["hop_length"] > 0, "framing")
    need(f["window"] in ("hann_periodic", "hann_symmetric", "hamming_periodic"), "window")
    need(f["spectrum"] in ("power", "magnitude"), "spectrum")
    mel = f["mel"]
    need(0 <= mel["fmin"] < mel["fmax"] <= f["sample_rate"] / 2, "mel fmin/fmax")
    need(mel["scale"] in ("htk", "slaney") and mel["norm"] in ("none", "slaney"), "mel scale/norm")
    need(f["log"]["type"] in ("ln", "log10", "db") and f["log"]["offset"] >= 0, "log")
    norm = f["normalization"]
    if norm["type"] == "per_band":
        need(len(norm["mean"]) == mel["n_mels"] == len(norm["std"]), "normalisation length")
        need(all(s > 0 and math.isfinite(s) for s in norm["std"]), "std must be positive")
    else:
        need(norm["type"] == "none", "normalization type")
    need(m["input"]["layout"] == ["batch", "time", "mel"], "input layout")
    o = m["output"]
    need(o["time_pooling"] >= 1 and o["frame_hop_samples"] == f["hop_length"] * o["time_pooling"],
         "frame_hop_samples must be hop_length * time_pooling")
    if kind == "windowed":
        need(m["window"]["frames"] % o["time_pooling"] == 0, "window frames must be a multiple of time_pooling")
        need(0 < m["window"]["hop_frames"] <= m["window"]["frames"], "window hop")
        need(m["window"]["hop_frames"] % o["time_pooling"] == 0, "window hop must be a multiple of time_pooling")
    else:
        s = m["streaming"]
        for key in ("block_frames", "lookahead_frames", "state_input", "state_output", "state_size"):
            need(key in s, f"streaming.{key} missing")
        need(s["block_frames"] >= 1 and s["lookahead_frames"] >= 0 and s["state_size"] >= 1,
             "streaming block/look-ahead/state sizes")
        need(s.get("initial_state", "zeros") == "zeros", "streaming.initial_state must be zeros")
        need("clip_probs" not in o, "a streaming model has no clip_probs output")
    d = m["decoding"]
    for key in ("threshold_on", "threshold_off", "median_filter_frames", "min_duration_s", "max_gap_s"):
        need(set(d[key]) == set(labels), f"decoding.{key} must name every label")
    for l in labels:
        need(0 < d["threshold_off"][l] <= d["threshold_on"][l] < 1, f"thresholds of {l}")
        need(d["median_filter_frames"][l] >= 1 and d["median_filter_frames"][l] % 2 == 1,
             f"median_filter_frames of {l} must be odd")
        need(d["min_duration_s"][l] >= 0 and d["max_gap_s"][l] >= 0, f"durations of {l}")
    return m

"""Export a v2 run (train_otf: windowed CRNN or streaming CRNN) to models/.

Usage: python3 -m earshot_sed.export_v2 RUN --name earshot-sed-v2 [--decoding work/eval-v2/RUN/decoding.json]
       [--block-frames N] (streaming runs: decision frames per ONNX call)
Writes models/NAME.onnx, models/NAME.json (manifest; kind streaming or windowed) and golden
outputs in models/golden/NAME/ for the Java tests (the golden WAVs in models/golden/ are shared).
"""
import argparse
import datetime
import hashlib
import json
from pathlib import Path

import numpy as np
import torch

from . import export as windowed_export
from . import export_stream
from .audio_io import read_wav
from .decoding import default_params
from .features import logmel, normalise
from .golden import GOLDEN, _round
from .manifest import build, validate
from .model import count_params
from .stream_model import StreamingCRNN
from .train_otf import model_from_checkpoint

ROOT = Path(__file__).resolve().parents[2]
RUNS = ROOT / "training" / "work" / "runs"
# Windowed v2 default analysis window: 248 input frames (4.0 s) every 124 frames (2.0 s):
# on unheard audio v1 scored no worse with 4-s windows than with 10-s ones, and the wait halves.
WINDOW_FRAMES, HOP_FRAMES = 248, 124


def training_record(run, ckpt, model):
    hist = json.loads((RUNS / run / "history.json").read_text())
    spent = hist.get("spent", {})
    return {
        "run": run,
        "recipe": "training/README.md (earshot_sed.train_otf: soundscapes mixed on the fly)",
        "selected_step": ckpt["step"],
        "selection": "best cross-source validation frame-level macro AP (EMA weights)",
        "val_frame_macro_ap": hist["best_frame_macro_ap"],
        # the run's spend up to its last step, which may be later than the selected one
        "trained_steps": hist["history"][-1]["step"] if hist.get("history") else ckpt["step"],
        "clip_seconds_seen": round(spent.get("clip_s", 0.0)),
        "train_cpu_seconds": round(spent.get("cpu_s", 0.0)),
        "params": count_params(model),
        "architecture": ("streaming CRNN: causal 3x3 conv blocks with causal max-blur pooling, unidirectional GRU"
                         if isinstance(model, StreamingCRNN) else
                         "CRNN: 3x3 conv blocks with MaxBlurPool (time), 2-layer BiGRU, linear-softmax clip pooling"),
        "arch": ckpt["arch"],
        "model_config": model.config,
        "date": datetime.date.today().isoformat(),
        "torch": torch.__version__,
    }


def write_windowed_golden(model, mean, std, out_dir):
    out_dir.mkdir(parents=True, exist_ok=True)
    for wav in sorted(GOLDEN.glob("*.wav")):
        x, _ = read_wav(wav)
        inp = normalise(logmel(x), mean, std).astype(np.float32)
        with torch.no_grad():
            frame, clip = model(torch.from_numpy(inp)[None])
        doc = {"wav": wav.name, "num_samples": len(x), "input": _round(inp),
               "frame_probs": _round(frame[0].numpy()), "clip_probs": _round(clip[0].numpy())[0]}
        (out_dir / (wav.stem + ".json")).write_text(json.dumps(doc, separators=(",", ":")))


def decoding_source(path):
    """Where a manifest's decoding came from (e.g. tuned on the detector's own validation scores),
    relative to the repository when it lies in it."""
    src = Path(path).resolve()
    return str(src.relative_to(ROOT)) if src.is_relative_to(ROOT) else src.name


def export_windowed(model, mean, std, decoding, training, out, name, version):
    """models/NAME.onnx, its manifest (4-s windows / 2-s hop) and golden outputs; returns the ONNX path."""
    path = out / f"{name}.onnx"
    windowed_export.export_onnx(model, path)
    manifest = validate(build(mean, std, decoding, training, onnx_name=path.name, version=version,
                              onnx_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                              window_frames=WINDOW_FRAMES, hop_frames=HOP_FRAMES))
    (out / f"{name}.json").write_text(json.dumps(manifest, indent=1) + "\n")
    write_windowed_golden(model, np.asarray(mean), np.asarray(std), out / "golden" / name)
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run")
    ap.add_argument("--name", required=True)
    ap.add_argument("--version", default="2.0.0")
    ap.add_argument("--decoding")
    ap.add_argument("--out", default=str(ROOT / "models"))
    ap.add_argument("--block-frames", type=int,
                    help="streaming: decision frames per ONNX call (the trained weights do not depend on it; "
                         "smaller blocks wait less for a decision, larger ones cost fewer model calls)")
    a = ap.parse_args()
    ckpt = torch.load(RUNS / a.run / "best.pt", map_location="cpu")
    if a.block_frames:
        if ckpt["arch"] != "stream":
            ap.error("--block-frames is for streaming runs")
        ckpt = dict(ckpt, config=dict(ckpt["config"], block_frames=a.block_frames))
    model = model_from_checkpoint(ckpt)
    model.load_state_dict(ckpt["state"])
    model.eval()
    mean, std = ckpt["mean"], ckpt["std"]
    decoding = json.loads(Path(a.decoding).read_text()) if a.decoding else default_params()
    training = training_record(a.run, ckpt, model)
    if a.decoding:
        training["decoding_file"] = decoding_source(a.decoding)
    out = Path(a.out)
    if isinstance(model, StreamingCRNN):
        path = export_stream.export(model, mean, std, decoding, training, out, a.name, a.version)
    else:
        path = export_windowed(model, mean, std, decoding, training, out, a.name, a.version)
    print(f"exported {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()

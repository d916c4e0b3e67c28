"""Export a trained checkpoint to ONNX + manifest + golden features.

Usage: python3 -m earshot_sed.export RUN_DIR [--decoding decoding.json] [--out models/]
"""
import argparse
import datetime
import hashlib
import json
from pathlib import Path

import numpy as np
import onnx
import torch

from . import golden
from .decoding import default_params
from .manifest import build, validate
from .model import CRNN, count_params

ROOT = Path(__file__).resolve().parents[2]


def load_model(run_dir, which="best.pt"):
    ckpt = torch.load(Path(run_dir) / which, map_location="cpu")
    model = CRNN(**ckpt["config"])
    model.load_state_dict(ckpt["state"])
    return model.eval(), ckpt


def export_onnx(model, path):
    dummy = torch.zeros(1, 624, 64)
    torch.onnx.export(model, dummy, str(path), opset_version=17, input_names=["logmel"],
                      output_names=["frame_probs", "clip_probs"],
                      dynamic_axes={"logmel": {0: "batch", 1: "time"},
                                    "frame_probs": {0: "batch", 1: "frames"},
                                    "clip_probs": {0: "batch"}},
                      do_constant_folding=True)
    m = onnx.load(str(path))
    onnx.checker.check_model(m, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(m, strict_mode=True)
    return inferred


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run_dir")
    ap.add_argument("--decoding", help="JSON with tuned decoding parameters")
    ap.add_argument("--dataset", default=str(ROOT / "training" / "work" / "dataset"))
    ap.add_argument("--out", default=str(ROOT / "models"))
    a = ap.parse_args()
    torch.set_num_threads(2)
    out = Path(a.out)
    model, ckpt = load_model(a.run_dir)
    stats = json.loads((Path(a.dataset) / "stats.json").read_text())
    hist = json.loads((Path(a.run_dir) / "history.json").read_text())
    onnx_path = out / "earshot-sed-v1.onnx"
    export_onnx(model, onnx_path)
    decoding = json.loads(Path(a.decoding).read_text()) if a.decoding else default_params()
    training = {
        "run": Path(a.run_dir).name,
        "recipe": "training/README.md (python3 -m earshot_sed.make_dataset; earshot_sed.train)",
        "recipe_hash": stats["recipe_hash"],
        "data_hash": stats.get("data_hash"),
        "soundscapes": stats["counts"],
        "split_seeds": stats["split_seeds"],
        "train_seed": hist["args"]["seed"],
        "epochs": hist["args"]["epochs"],
        "selected_epoch": ckpt["epoch"],
        "selection": "best validation frame-level macro average precision",
        "val_frame_macro_ap": hist["best_frame_macro_ap"],
        "params": count_params(model),
        "architecture": "CRNN: 5 conv blocks (3x3 conv, BN, ReLU) "
                        + ("with MaxBlurPool (time)" if model.config["blur"] else "with max pooling")
                        + ", 2-layer BiGRU, sigmoid frame head, linear-softmax clip pooling",
        "pooling": "maxblurpool" if model.config["blur"] else "max",
        "model_config": model.config,
        "losses": "BCE on soft frame targets + 0.5 x BCE on clip (weak) targets",
        "train_seconds": round(hist["train_seconds"]),
        "date": datetime.date.today().isoformat(),
        "onnx_sha256": hashlib.sha256(onnx_path.read_bytes()).hexdigest(),
        "torch": torch.__version__,
    }
    manifest = validate(build(stats["mean"], stats["std"], decoding, training, onnx_sha256=training["onnx_sha256"]))
    (out / "earshot-sed-v1.json").write_text(json.dumps(manifest, indent=1) + "\n")
    if not list(golden.GOLDEN.glob("*.wav")):
        golden.make_wavs()
    golden.write_json(model, np.array(stats["mean"]), np.array(stats["std"]))
    print(f"exported {onnx_path} ({onnx_path.stat().st_size} bytes), epoch {ckpt['epoch']}")


if __name__ == "__main__":
    main()

"""Export a streaming CRNN (stream_model.StreamingCRNN) to ONNX + manifest + golden outputs.

Usage: python3 -m earshot_sed.export_stream CHECKPOINT --name earshot-sed-v2s [--decoding JSON]
       [--stats STATS_JSON] [--out models/]

The ONNX graph is one block: (logmel (B, 32, 64), state_in (B, S)) -> (frame_probs (B, 8, K),
state_out (B, S)). Golden outputs (models/golden/<name>/<wav>.json) hold, for every golden WAV,
the normalised input and the decision-frame probabilities of the whole stream computed as the
detector must (blocks on the feature-frame grid, zero padding at the end of the stream).
"""
import argparse
import datetime
import hashlib
import json
from pathlib import Path

import numpy as np
import onnx
import torch

from .audio_io import read_wav
from .decoding import default_params
from .features import logmel, normalise
from .golden import GOLDEN, _round
from .manifest import build, validate
from .stream_model import StreamingExport as StreamExport, StreamingCRNN, reference_stream

ROOT = Path(__file__).resolve().parents[2]


def load(checkpoint):
    ckpt = torch.load(checkpoint, map_location="cpu")
    model = StreamingCRNN(**ckpt["config"])
    model.load_state_dict(ckpt["state"])
    return model.eval(), ckpt


def export_onnx(model, path):
    block = model.block_frames * model.time_pooling
    dummy = (torch.zeros(1, block, model.config["n_mels"]), model.zero_state(1))
    torch.onnx.export(StreamExport(model).eval(), dummy, str(path), opset_version=17,
                      input_names=["logmel", "state_in"], output_names=["frame_probs", "state_out"],
                      dynamic_axes={"logmel": {0: "batch"}, "state_in": {0: "batch"},
                                    "frame_probs": {0: "batch"}, "state_out": {0: "batch"}},
                      do_constant_folding=True)
    m = onnx.load(str(path))
    onnx.checker.check_model(m, full_check=True)
    onnx.shape_inference.infer_shapes(m, strict_mode=True)


def streaming_block(model):
    return {"block_frames": model.block_frames, "lookahead_frames": model.lookahead_frames,
            "state_input": "state_in", "state_output": "state_out",
            "state_size": model.state_size, "initial_state": "zeros"}


def write_golden(model, mean, std, out_dir):
    out_dir.mkdir(parents=True, exist_ok=True)
    for wav in sorted(GOLDEN.glob("*.wav")):
        x, rate = read_wav(wav)
        assert rate == 16000, wav
        inp = normalise(logmel(x), mean, std).astype(np.float32)
        probs = reference_stream(model, inp).numpy()
        doc = {"wav": wav.name, "num_samples": len(x), "input": _round(inp),
               "decision_frame_probs": _round(probs)}
        (out_dir / (wav.stem + ".json")).write_text(json.dumps(doc, separators=(",", ":")))


def export(model, mean, std, decoding, training, out, name, version):
    out.mkdir(parents=True, exist_ok=True)
    onnx_path = out / f"{name}.onnx"
    export_onnx(model, onnx_path)
    sha = hashlib.sha256(onnx_path.read_bytes()).hexdigest()
    training = dict(training, date=datetime.date.today().isoformat(), torch=torch.__version__,
                    model_config=model.config,
                    params=sum(p.numel() for p in model.parameters()))
    manifest = validate(build(mean, std, decoding, training, onnx_name=onnx_path.name,
                              version=version, onnx_sha256=sha, streaming=streaming_block(model)))
    (out / f"{name}.json").write_text(json.dumps(manifest, indent=1) + "\n")
    write_golden(model, np.asarray(mean), np.asarray(std), out / "golden" / name)
    return onnx_path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoint")
    ap.add_argument("--name", default="earshot-sed-v2s")
    ap.add_argument("--version", default="2.0.0")
    ap.add_argument("--decoding")
    ap.add_argument("--stats", required=True, help="JSON with per-band mean and std")
    ap.add_argument("--out", default=str(ROOT / "models"))
    a = ap.parse_args()
    model, ckpt = load(a.checkpoint)
    stats = json.loads(Path(a.stats).read_text())
    decoding = json.loads(Path(a.decoding).read_text()) if a.decoding else default_params()
    path = export(model, stats["mean"], stats["std"], decoding, ckpt.get("training", {}),
                  Path(a.out), a.name, a.version)
    print(f"exported {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()

"""Average the probabilities of several windowed v2 models in one ONNX graph.

Usage: python3 -m earshot_sed.ensemble RUN [RUN ...] --name earshot-sed-v2-ens [--version 2.3.0]
       [--decoding FILE] [--out ../models]
       python3 -m earshot_sed.ensemble RUN [RUN ...] --shift OUT.json --decoding FILE [--dataset work/dataset-v2]
       (shift consistency on the cross-source test, as evaluate_otf --shift reports it for one run)
Each RUN is a directory of training/work/runs/ (or any directory) holding best.pt of a windowed CRNN.
The ensemble's input is normalised with the first member's per-band statistics; each member undoes
that and applies its own, so every member sees exactly the input it was trained on. Frame and clip
probabilities are the members' arithmetic mean: the same detector, manifest and decoding code serve
it as any windowed model (docs/model-manifest.md).
"""
import argparse
import datetime
import json
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .decoding import default_params
from .export_v2 import RUNS, ROOT, decoding_source, export_windowed
from .model import count_params
from .train_otf import model_from_checkpoint


class ProbabilityEnsemble(nn.Module):
    """Members' frame and clip probabilities averaged; input normalised with `mean`, `std`."""

    def __init__(self, members, member_stats, mean, std):
        super().__init__()
        if not members:
            raise ValueError("an ensemble needs at least one member")
        if len(members) != len(member_stats):
            raise ValueError("one (mean, std) per member")
        self.members = nn.ModuleList(members)
        mean = torch.as_tensor(np.asarray(mean, np.float32))
        std = torch.as_tensor(np.asarray(std, np.float32))
        # x_member = (x * std + mean - mean_m) / std_m = x * scale_m + shift_m
        scales, shifts = [], []
        for m_mean, m_std in member_stats:
            m_mean = torch.as_tensor(np.asarray(m_mean, np.float32))
            m_std = torch.as_tensor(np.asarray(m_std, np.float32))
            if m_mean.shape != mean.shape or m_std.shape != std.shape:
                raise ValueError("members must share the feature layout (per-band statistics of the same size)")
            scales.append(std / m_std)
            shifts.append((mean - m_mean) / m_std)
        self.register_buffer("scales", torch.stack(scales))
        self.register_buffer("shifts", torch.stack(shifts))

    def forward(self, x):
        frames, clips = [], []
        for i, member in enumerate(self.members):
            f, c = member(x * self.scales[i] + self.shifts[i])
            frames.append(f)
            clips.append(c)
        return torch.stack(frames).mean(0), torch.stack(clips).mean(0)


def load_member(run_dir):
    ckpt = torch.load(Path(run_dir) / "best.pt", map_location="cpu")
    if ckpt["arch"] != "crnn":
        raise SystemExit(f"{run_dir}: only windowed CRNN runs can be ensembled (arch {ckpt['arch']!r})")
    model = model_from_checkpoint(ckpt)
    model.load_state_dict(ckpt["state"])
    model.eval()
    return model, ckpt


def member_record(run_dir, ckpt, model):
    hist_path = Path(run_dir) / "history.json"
    hist = json.loads(hist_path.read_text()) if hist_path.exists() else {}
    spent = hist.get("spent", {})
    return {"run": Path(run_dir).name, "selected_step": ckpt["step"], "params": count_params(model),
            "model_config": model.config, "val_frame_macro_ap": hist.get("best_frame_macro_ap"),
            "clip_seconds_seen": round(spent.get("clip_s", 0.0)),
            "train_cpu_seconds": round(spent.get("cpu_s", 0.0))}


def write_shift_consistency(ens, mean, std, params, dataset, n_clips, out):
    from .evaluate import shift_consistency
    from .features import logmel, normalise
    from .train_otf import predict

    torch.set_num_threads(2)
    mean, std = np.asarray(mean), np.asarray(std)

    def probs(x):
        inp = torch.from_numpy(normalise(logmel(x), mean, std).astype(np.float32))[None]
        with torch.no_grad():
            return predict(ens, inp)[0].numpy().astype(np.float64)

    res = shift_consistency(probs, params, dataset, n_clips)
    out.write_text(json.dumps(res, indent=1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("runs", nargs="+", help="run names under training/work/runs/ or directories with best.pt")
    ap.add_argument("--name", help="the export's file name (models/NAME.onnx, NAME.json)")
    ap.add_argument("--version", default="2.3.0")
    ap.add_argument("--decoding")
    ap.add_argument("--out", default=str(ROOT / "models"))
    ap.add_argument("--shift", metavar="OUT_JSON",
                    help="instead of exporting: shift consistency (delays of 1-1024 samples) with --decoding")
    ap.add_argument("--dataset", default=str(ROOT / "training" / "work" / "dataset-v2"))
    ap.add_argument("--shift-clips", type=int, default=100)
    a = ap.parse_args()
    if not a.shift and not a.name:
        ap.error("--name is needed to export")
    if a.shift and not a.decoding:
        ap.error("--shift needs --decoding (its thresholds decide the frames and events compared)")
    dirs = [Path(r) if Path(r).is_dir() else RUNS / r for r in a.runs]
    loaded = [load_member(d) for d in dirs]
    models = [m for m, _ in loaded]
    stats = [(c["mean"], c["std"]) for _, c in loaded]
    mean, std = stats[0]
    ens = ProbabilityEnsemble(models, stats, mean, std).eval()
    if a.shift:
        write_shift_consistency(ens, mean, std, json.loads(Path(a.decoding).read_text()), a.dataset,
                                a.shift_clips, Path(a.shift))
        return
    members = [member_record(d, c, m) for d, (m, c) in zip(dirs, loaded)]
    decoding = json.loads(Path(a.decoding).read_text()) if a.decoding else default_params()
    training = {
        "run": "+".join(r["run"] for r in members),
        "recipe": "training/README.md (earshot_sed.ensemble: members' probabilities averaged in one graph)",
        "selection": "members chosen by their own runs; the ensemble on the detector's cross-source validation",
        "members": members,
        "params": count_params(ens),
        "architecture": "mean of windowed CRNNs' frame and clip probabilities",
        "arch": "crnn-ensemble",
        "clip_seconds_seen": sum(r["clip_seconds_seen"] for r in members),
        "train_cpu_seconds": sum(r["train_cpu_seconds"] for r in members),
        "date": datetime.date.today().isoformat(),
        "torch": torch.__version__,
    }
    if a.decoding:
        training["decoding_file"] = decoding_source(a.decoding)
    path = export_windowed(ens, mean, std, decoding, training, Path(a.out), a.name, a.version)
    print(f"exported {path} ({path.stat().st_size} bytes, {count_params(ens)} parameters)")


if __name__ == "__main__":
    main()

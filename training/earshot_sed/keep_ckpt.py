"""Copy a run's checkpoint into training/checkpoints/ so the next working session can continue it.

Usage: python3 -m earshot_sed.keep_ckpt RUN [--compact]
Writes checkpoints/RUN/ckpt.pt and history.json. --compact stores the Adam moments in bfloat16
(the weights and the EMA weights stay float32): a 1 M-parameter run's checkpoint shrinks from
about 16.7 MB to 12.5 MB, which is what keeps models + checkpoints under the repository's 20 MB.
torch's Optimizer.load_state_dict casts the moments back to the parameters' float32 on resume, so
train_otf continues as usual; the continued run sees the same data as an uninterrupted one (data
is a function of seed and step) but is no longer bit-identical to it (moments rounded to 8 bits).
"""
import argparse
import shutil
from pathlib import Path

import torch

TRAINING = Path(__file__).resolve().parents[1]


def compact_optimizer_state(opt_state):
    """A copy of an optimizer state_dict with its floating-point moment tensors in bfloat16."""
    out = {"param_groups": opt_state["param_groups"], "state": {}}
    for i, s in opt_state["state"].items():
        out["state"][i] = {k: (v.to(torch.bfloat16) if torch.is_tensor(v) and v.is_floating_point() and k != "step"
                               else v) for k, v in s.items()}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run")
    ap.add_argument("--compact", action="store_true")
    a = ap.parse_args()
    src = TRAINING / "work" / "runs" / a.run
    dst = TRAINING / "checkpoints" / a.run
    dst.mkdir(parents=True, exist_ok=True)
    ckpt = torch.load(src / "ckpt.pt", map_location="cpu")
    if a.compact:
        ckpt["opt"] = compact_optimizer_state(ckpt["opt"])
    torch.save(ckpt, dst / "ckpt.pt")
    shutil.copy(src / "history.json", dst / "history.json")
    print(f"{dst / 'ckpt.pt'}: step {ckpt['step']}, {(dst / 'ckpt.pt').stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()

"""Train the CRNN on precomputed soundscape features with strong (frame) + weak (clip) losses.

Usage: python3 -m earshot_sed.train --name blurpool [--maxpool] [--epochs N] [--steps-per-epoch N]
Writes work/runs/<name>/best.pt (best validation frame-level macro AP), last.pt, history.json.
"""
import argparse
import json
import os
import resource
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .model import CRNN, count_params

ROOT = Path(__file__).resolve().parents[1]


def load_split(dataset, split, mean, std):
    d = Path(dataset) / split
    x = np.load(d / "features.npy")
    x -= mean.astype(np.float32)
    x /= std.astype(np.float32)
    return torch.from_numpy(x), torch.from_numpy(np.load(d / "targets.npy"))


def average_precision(scores, labels):
    """AP of one class (labels 0/1); NaN without positives."""
    pos = labels.sum()
    if pos == 0:
        return float("nan")
    order = np.argsort(-scores, kind="stable")
    hits = labels[order]
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float((precision * hits).sum() / pos)


@torch.no_grad()
def predict(model, x, batch=64):
    model.eval()
    frames, clips = [], []
    for i in range(0, len(x), batch):
        f, c = model(x[i:i + batch])
        frames.append(f)
        clips.append(c)
    return torch.cat(frames), torch.cat(clips)


def validation_metrics(model, x, y):
    frames, _ = predict(model, x)
    p = frames.reshape(-1, frames.shape[-1]).numpy()
    t = (y.reshape(-1, y.shape[-1]).numpy() >= 0.5).astype(np.float64)
    aps = [average_precision(p[:, k], t[:, k]) for k in range(p.shape[1])]
    loss = F.binary_cross_entropy(frames, y).item()
    return {"frame_macro_ap": float(np.nanmean(aps)), "frame_ap": aps, "frame_bce": loss}


def augment(xb, yb, rng, crop_frames=312, pooling=4, max_mask=8):
    """Random crop of crop_frames input frames starting at a multiple of the pooling factor (the
    targets are cut at the same output frames, so the alignment holds), and one random band of up
    to max_mask mel bins masked (SpecAugment-style). Short crops halve the cost of a step."""
    b, t_in, n_mels = xb.shape
    n_out = crop_frames // pooling
    starts = rng.integers(0, yb.shape[1] - n_out + 1, size=b)
    starts = np.minimum(starts, (t_in - crop_frames) // pooling)
    src_out = torch.from_numpy(starts)[:, None] + torch.arange(n_out)[None, :]
    src_in = (src_out[:, :, None] * pooling + torch.arange(pooling)).reshape(b, crop_frames)
    rows = torch.arange(b)[:, None]
    xb, yb = xb[rows, src_in], yb[rows, src_out]
    width = rng.integers(0, max_mask + 1, size=b)
    start = rng.integers(0, n_mels - width + 1)
    band = torch.arange(n_mels)[None, :]
    mask = (band >= torch.from_numpy(start)[:, None]) & (band < torch.from_numpy(start + width)[:, None])
    return xb.masked_fill(mask[:, None, :], 0.0), yb


def _cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--maxpool", action="store_true", help="plain max pooling twin (no BlurPool)")
    ap.add_argument("--dataset", default=str(ROOT / "work" / "dataset"))
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--steps-per-epoch", type=int, default=0, help="0: one pass over the data")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--crop-frames", type=int, default=312, help="training crop (multiple of 4)")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--weak-weight", type=float, default=0.5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--balance", action="store_true",
                    help="sample clips by the inverse frequency of their rarest class (ablation)")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    stats = json.loads((Path(a.dataset) / "stats.json").read_text())
    mean, std = np.array(stats["mean"]), np.array(stats["std"])
    xtr, ytr = load_split(a.dataset, "train", mean, std)
    xva, yva = load_split(a.dataset, "validation", mean, std)
    wtr = (ytr.amax(1) > 0).float()

    model = CRNN(blur=not a.maxpool)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    steps = a.steps_per_epoch or len(xtr) // a.batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=a.epochs * steps,
                                                pct_start=0.1)
    out = ROOT / "work" / "runs" / a.name
    out.mkdir(parents=True, exist_ok=True)
    history, best, t_start = [], -1.0, time.time()
    print(f"{a.name}: {count_params(model)} params, {len(xtr)} train clips, {steps} steps/epoch",
          flush=True)
    if a.balance:
        present = wtr.numpy() > 0
        inv = 1.0 / np.maximum(present.sum(0), 1)
        weights = (present * inv).max(1)
        weights /= weights.sum()

    def new_order():
        if a.balance:
            return rng.choice(len(xtr), size=len(xtr), replace=True, p=weights)
        return rng.permutation(len(xtr))

    order = new_order()
    pos = 0
    for epoch in range(1, a.epochs + 1):
        model.train()
        t0, total = time.time(), 0.0
        for _ in range(steps):
            if pos + a.batch > len(order):
                order, pos = new_order(), 0
            idx = torch.from_numpy(order[pos:pos + a.batch])
            pos += a.batch
            xb, yb = augment(xtr[idx], ytr[idx], rng, a.crop_frames)
            frames, clips = model(xb)
            weak = (yb.amax(1) > 0).float()
            loss = F.binary_cross_entropy(frames, yb) + a.weak_weight * F.binary_cross_entropy(clips, weak)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        m = validation_metrics(model, xva, yva)
        rec = {"epoch": epoch, "train_loss": total / steps, "epoch_s": time.time() - t0, **m}
        history.append(rec)
        torch.save({"state": model.state_dict(), "config": model.config, "epoch": epoch}, out / "last.pt")
        if m["frame_macro_ap"] > best:
            best = m["frame_macro_ap"]
            torch.save({"state": model.state_dict(), "config": model.config, "epoch": epoch}, out / "best.pt")
        print(f"epoch {epoch}: loss {rec['train_loss']:.4f} val AP {m['frame_macro_ap']:.4f} "
              f"val bce {m['frame_bce']:.4f} ({rec['epoch_s']:.0f} s)", flush=True)
        (out / "history.json").write_text(json.dumps({
            "args": vars(a), "params": count_params(model), "history": history,
            "best_frame_macro_ap": best, "train_seconds": time.time() - t_start,
            "cpu_seconds": _cpu_seconds(),
            "recipe_hash": stats.get("recipe_hash")}, indent=1))


if __name__ == "__main__":
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    main()

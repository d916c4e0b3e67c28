"""Train a windowed CRNN or a streaming CRNN on soundscapes mixed on the fly; resumable.

Usage:
  python3 -m earshot_sed.train_otf --name v2-base --arch crnn --size base --steps 16000
  python3 -m earshot_sed.train_otf --name v2s-base --arch stream --size base --lookahead 8 --steps 16000
Run it again with the same --name to continue where it stopped (work/runs/<name>/ckpt.pt holds
model, optimiser, step, history; the data of step k is the same whether resumed or not).
Validation: the fixed cross-source validation split (make_dataset), frame-level macro AP every
--val-every steps, of an exponential moving average of the weights (smoother than the raw weights
while the learning rate is still high, which it is for most of a long run); best.pt keeps the best. Clip-seconds seen and CPU seconds are logged.
"""
import argparse
import copy
import json
import math
import os
import shutil
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .generated import SYNTH_KEYS
from .make_dataset import _cpu_seconds
from .model import CRNN, count_params
from .onthefly import AUGMENT_MODES, OnTheFlyBatches, normalisation_stats
from .soundscapes import SourceBank
from .stream_model import StreamingCRNN
from .train import average_precision, load_split

ROOT = Path(__file__).resolve().parents[1]
# Packages that joined training/data/sources.tsv after runs had been saved: a checkpoint without an
# exclude_packages record trained without them, and keeps doing so when resumed.
POOL_ADDED_LATER = (SYNTH_KEYS,)
# Packages in the list that a new run leaves out unless --include-package names them: the keyboards
# lost 0.02 macro validation AP in their ablation (RESULTS.md), so they are opt-in until a
# class-balanced version is tried.
OPT_IN_PACKAGES = (SYNTH_KEYS,)


def pool_exclusions(exclude=(), include=()):
    """The packages a new run (or branch) leaves out: those asked, and the opt-in ones not included."""
    unknown = set(include) - set(OPT_IN_PACKAGES)
    if unknown:
        raise SystemExit(f"--include-package: {sorted(unknown)} are not opt-in packages "
                         f"(opt-in: {list(OPT_IN_PACKAGES)}; every other listed package is in by default)")
    return sorted(set(exclude) | (set(OPT_IN_PACKAGES) - set(include)))

SIZES = {
    # v1's size (248 k parameters for the BiGRU windowed model)
    "small": dict(channels=(16, 32, 64, 64, 64), pools=((2, 2), (2, 2), (1, 2), (1, 2), (1, 1)),
                  stem_freq_stride=2, rnn_layers=2),
    # DCASE 2023 baseline size (~1 M parameters): 7 conv blocks, frequency pooled to 1
    "base": dict(channels=(16, 32, 64, 128, 128, 128, 128),
                 pools=((2, 2), (2, 2), (1, 2), (1, 2), (1, 2), (1, 1), (1, 1)),
                 stem_freq_stride=2, rnn_layers=2),
}
RNN_HIDDEN = {("crnn", "small"): 64, ("crnn", "base"): 128, ("stream", "small"): 96, ("stream", "base"): 192}


def build_model(arch, size, lookahead=8, block=8, dropout=0.2):
    cfg = dict(SIZES[size], rnn_hidden=RNN_HIDDEN[(arch, size)], dropout=dropout)
    if arch == "crnn":
        return CRNN(blur=True, **cfg)
    return StreamingCRNN(lookahead_frames=lookahead, block_frames=block, **cfg)


def model_from_checkpoint(ckpt):
    cfg = dict(ckpt["config"])
    if ckpt["arch"] == "crnn":
        return CRNN(**cfg)
    return StreamingCRNN(**cfg)


def forward_frames(model, x):
    """Frame probabilities aligned with the targets of x (B, T, mels): a streaming model's output
    j predicts frame j - lookahead, so its input is padded at the end and its output shifted."""
    if isinstance(model, StreamingCRNN):
        la, tp = model.lookahead_frames, model.time_pooling
        n_out = -(-x.shape[1] // tp)
        pad = x.new_zeros(x.shape[0], (n_out + la) * tp - x.shape[1], x.shape[2])
        out = model(torch.cat([x, pad], dim=1))
        return out[:, la:la + n_out]
    frames, _ = model(x)
    return frames


def clip_pool(frames):
    return (frames * frames).sum(1) / frames.sum(1).clamp_min(1e-7)


@torch.no_grad()
def predict(model, x, batch=32):
    model.eval()
    return torch.cat([forward_frames(model, x[i:i + batch]) for i in range(0, len(x), batch)])


def validation_crops(x, y, crop_frames, time_pooling=4):
    """The validation clips cut into consecutive, non-overlapping crops of crop_frames (the rest of
    each clip is left out): the context the model will have in the detector's windows."""
    n_out = crop_frames // time_pooling
    starts = range(0, x.shape[1] - crop_frames + 1, crop_frames)
    xs = torch.cat([x[:, s:s + crop_frames] for s in starts])
    ys = torch.cat([y[:, s // time_pooling:s // time_pooling + n_out] for s in starts])
    return xs, ys


def validate(model, x, y):
    frames = predict(model, x)
    p = frames.reshape(-1, frames.shape[-1]).numpy()
    t = (y.reshape(-1, y.shape[-1]).numpy() >= 0.5).astype(np.float64)
    aps = [average_precision(p[:, k], t[:, k]) for k in range(p.shape[1])]
    return {"frame_macro_ap": float(np.nanmean(aps)), "frame_ap": aps,
            "frame_bce": F.binary_cross_entropy(frames, y).item()}


def lr_at(step, total, peak, warmup=400, floor=0.05):
    if step < warmup:
        return peak * (step + 1) / warmup
    t = min(1.0, (step - warmup) / max(1, total - warmup))
    return peak * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * t)))


def load_branch_source(run_dir):
    """The checkpoint a branch starts from: the run's ckpt.pt, or, for a finished run that keeps only its
    selected weights (best.pt and history.json, as training/checkpoints/ does), a checkpoint rebuilt from
    them: those weights as model and average, a fresh optimiser, the selected step."""
    if (run_dir / "ckpt.pt").exists():
        return torch.load(run_dir / "ckpt.pt", map_location="cpu")
    if not (run_dir / "best.pt").exists() or not (run_dir / "history.json").exists():
        raise SystemExit(f"cannot branch from {run_dir}: it has no ckpt.pt, nor best.pt with history.json")
    best = torch.load(run_dir / "best.pt", map_location="cpu")
    hist = json.loads((run_dir / "history.json").read_text())
    model = model_from_checkpoint(best)
    model.load_state_dict(best["state"])
    fresh = torch.optim.Adam(model.parameters(), lr=hist["args"]["lr"])
    kept = [h for h in hist["history"] if h["step"] <= best["step"]]
    return {"state": best["state"], "ema": best["state"], "config": best["config"], "arch": best["arch"],
            "opt": fresh.state_dict(), "step": best["step"], "history": kept,
            "best": hist.get("best_frame_macro_ap", -1.0), "mean": best["mean"], "std": best["std"],
            "args": hist["args"], "spent": hist["spent"]}


def cnn_warm_start(model, source_state):
    """Copy the convolution blocks of a trained windowed CRNN (state dict source_state) into a new
    model of the same size, windowed or streaming: the blocks have the same shapes in both (a causal
    3x3 convolution is the centred one delayed by a frame), only their names differ (cnn.i / blocks.i).
    The recurrent part and the head are left as initialised (a unidirectional GRU has other shapes).
    Returns the names copied; refuses a source whose blocks do not fit."""
    prefix = "blocks." if isinstance(model, StreamingCRNN) else "cnn."
    target = model.state_dict()
    copied = {}
    for name, value in source_state.items():
        if not name.startswith("cnn."):
            continue
        to = prefix + name[len("cnn."):]
        if to not in target or target[to].shape != value.shape:
            raise ValueError(f"--init-cnn-from: {name} {tuple(value.shape)} does not fit {to} "
                             f"{tuple(target[to].shape) if to in target else '(absent)'}: another model size?")
        copied[to] = value
    if not copied:
        raise ValueError("--init-cnn-from: the source has no convolution blocks (cnn.*): not a windowed CRNN")
    model.load_state_dict(copied, strict=False)
    return sorted(copied)


class Teacher:
    """A trained model whose frame probabilities become part of the targets (knowledge distillation):
    a windowed CRNN that sees the whole soundscape both ways teaches a streaming model that sees only
    the past and a short look-ahead. Its input is the student's batch re-normalised with the teacher's
    own feature statistics."""

    def __init__(self, run_dir, student_mean, student_std):
        ckpt = torch.load(run_dir / "best.pt", map_location="cpu")
        self.model = model_from_checkpoint(ckpt)
        self.model.load_state_dict(ckpt["state"])
        self.model.eval()
        for p in self.model.parameters():
            p.requires_grad_(False)
        sm, ss = torch.tensor(student_mean, dtype=torch.float32), torch.tensor(student_std, dtype=torch.float32)
        tm, ts = torch.tensor(ckpt["mean"], dtype=torch.float32), torch.tensor(ckpt["std"], dtype=torch.float32)
        # x_teacher = (x * ss + sm - tm) / ts, as one scale and shift per band
        self.scale, self.shift = ss / ts, (sm - tm) / ts
        self.step = ckpt["step"]

    @torch.no_grad()
    def frames(self, x):
        return forward_frames(self.model, x * self.scale + self.shift)


def distilled_targets(targets, teacher_frames, weight):
    """Frame targets as a blend of the labels and the teacher's probabilities (weight: the teacher's share)."""
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"--teacher-weight must be in [0, 1], got {weight}")
    return (1.0 - weight) * targets + weight * teacher_frames


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--arch", choices=("crnn", "stream"), default="crnn")
    ap.add_argument("--size", choices=tuple(SIZES), default="base")
    ap.add_argument("--lookahead", type=int, default=8, help="streaming: output frames of look-ahead")
    ap.add_argument("--steps", type=int, default=24000, help="planned total steps (sets the LR schedule)")
    ap.add_argument("--stop-after", type=int, default=0, help="stop at this step (0: --steps)")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--weak-weight", type=float, default=0.5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--val-every", type=int, default=250)
    ap.add_argument("--ema", type=float, default=0.998, help="decay of the weight average that is validated")
    ap.add_argument("--augment", choices=AUGMENT_MODES, default="full",
                    help="full: waveform (event, room, microphone), FilterAugment, SpecAugment and mixup; "
                         "light: waveform and FilterAugment only; none: plain on-the-fly mixing")
    ap.add_argument("--no-augment", action="store_true", help="the same as --augment none")
    ap.add_argument("--branch-from", help="start this run from another run's checkpoint (its step, weights, "
                    "optimiser and history) with this run's --steps as the planned total: an annealed branch of a "
                    "longer run, which itself is left as it was; a run with only best.pt + history.json gives "
                    "its selected weights and a fresh optimiser")
    ap.add_argument("--dataset", default=str(ROOT / "work" / "dataset-v2"),
                    help="fixed validation split (make_dataset --out)")
    ap.add_argument("--crop-frames", type=int, default=0,
                    help="train and validate on crops of this many input frames (a multiple of 4; 248 = the "
                         "detector's 4-s window) instead of whole 10-s soundscapes; 0: whole soundscapes")
    ap.add_argument("--init-cnn-from", help="a new run only: start the convolution blocks from another "
                    "(windowed) run's selected weights (RUN/best.pt) and use its feature normalisation; the GRU "
                    "and head start fresh (e.g. a streaming model on a trained windowed model's features)")
    ap.add_argument("--teacher", help="distil from another run's selected weights (RUN/best.pt, e.g. the "
                    "windowed default teaching a streaming model): frame targets become (1 - w) labels + w "
                    "teacher probabilities on the same augmented batch")
    ap.add_argument("--teacher-weight", type=float, default=0.5, help="w above")
    ap.add_argument("--sources")
    ap.add_argument("--backgrounds")
    ap.add_argument("--exclude-package", dest="exclude_packages", action="append", default=[],
                    help="leave this package's sources out of the training pool (repeatable); a resumed run keeps "
                         "the pool it was started with, a branch takes this option's")
    ap.add_argument("--include-package", dest="include_packages", action="append", default=[],
                    help="take an opt-in package into a new run's pool (repeatable; opt-in: "
                         + ", ".join(OPT_IN_PACKAGES) + ")")
    a = ap.parse_args()
    if a.no_augment:
        a.augment = "none"
    a.no_augment = a.augment == "none"

    torch.set_num_threads(a.threads)
    out = ROOT / "work" / "runs" / a.name
    out.mkdir(parents=True, exist_ok=True)
    ckpt_path = out / "ckpt.pt"
    tsvs = {"sources_tsv": a.sources, "backgrounds_tsv": a.backgrounds}
    a.exclude_packages = pool_exclusions(a.exclude_packages, a.include_packages)
    if a.branch_from and not ckpt_path.exists():
        # the branch's first checkpoint is the other run's, with this run's plan (steps, hence the LR schedule)
        ckpt = load_branch_source(ROOT / "work" / "runs" / a.branch_from)
        # a branch may change the plan and the augmentation (e.g. regularise a run that began without)
        same_validation = (ckpt["args"].get("crop_frames", 0) == a.crop_frames
                           and (ROOT / ckpt["args"].get("dataset", a.dataset)).resolve() == (ROOT / a.dataset).resolve())
        if not same_validation:
            ckpt["best"] = -1.0   # another validation (crops or split): the source's best AP is not comparable
        ckpt["args"] = {**ckpt["args"], "steps": a.steps, "augment": a.augment, "no_augment": a.no_augment,
                        "crop_frames": a.crop_frames, "branch_from": f"{a.branch_from}@{ckpt['step']}",
                        "exclude_packages": a.exclude_packages}
        torch.save(ckpt, ckpt_path)
        if same_validation and (ROOT / "work" / "runs" / a.branch_from / "best.pt").exists():
            shutil.copy(ROOT / "work" / "runs" / a.branch_from / "best.pt", out / "best.pt")
        print(f"{a.name}: branched from {a.branch_from} at step {ckpt['step']}, planned {a.steps} steps", flush=True)
    if ckpt_path.exists():
        ckpt = torch.load(ckpt_path, map_location="cpu")
        saved = ckpt["args"]
        saved.setdefault("augment", "none" if saved["no_augment"] else "full")   # runs from before --augment
        a.branch_from = saved.get("branch_from")
        saved.setdefault("crop_frames", 0)   # runs from before --crop-frames
        # runs saved before the synthesised keyboards joined the list trained without them
        saved.setdefault("exclude_packages", list(POOL_ADDED_LATER))
        for k in ("arch", "size", "lookahead", "steps", "batch", "lr", "seed", "augment", "no_augment",
                  "crop_frames", "exclude_packages"):
            if getattr(a, k) != saved[k]:
                print(f"resume: keeping the run's {k}={saved[k]!r} (asked {getattr(a, k)!r})")
                setattr(a, k, saved[k])
        model = model_from_checkpoint(ckpt)
        model.load_state_dict(ckpt["state"])
        start, history, best = ckpt["step"], ckpt["history"], ckpt["best"]
        mean, std = np.array(ckpt["mean"]), np.array(ckpt["std"])
        spent = ckpt["spent"]
        print(f"{a.name}: resuming at step {start}", flush=True)
    else:
        torch.manual_seed(a.seed)
        model = build_model(a.arch, a.size, a.lookahead)
        start, history, best = 0, [], -1.0
        t0 = time.time()
        if a.init_cnn_from:
            source = torch.load(ROOT / "work" / "runs" / a.init_cnn_from / "best.pt", map_location="cpu")
            copied = cnn_warm_start(model, source["state"])
            mean, std = np.array(source["mean"]), np.array(source["std"])
            print(f"{a.name}: {len(copied)} tensors of the convolution blocks from {a.init_cnn_from} "
                  f"(step {source['step']})", flush=True)
        else:
            mean, std = normalisation_stats(SourceBank.load("train", exclude_packages=a.exclude_packages,
                                                            **{k: v for k, v in tsvs.items() if v}), a.seed)
        spent = {"wall_s": time.time() - t0, "cpu_s": _cpu_seconds(), "clip_s": 0.0}
        ckpt = None
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    ema = copy.deepcopy(model)
    if ckpt is not None:
        opt.load_state_dict(ckpt["opt"])
        ema.load_state_dict(ckpt["ema"])
    for p in ema.parameters():
        p.requires_grad_(False)
    (out / "stats.json").write_text(json.dumps({"mean": mean.tolist(), "std": std.tolist()}))

    x_val, y_val = load_split(a.dataset, "validation", mean, std)
    if a.crop_frames:
        x_val, y_val = validation_crops(x_val, y_val, a.crop_frames)
    data = OnTheFlyBatches("train", a.batch, a.seed, start, mean, std, augment=a.augment,
                           crop_frames=a.crop_frames, exclude_packages=a.exclude_packages,
                           **{k: v for k, v in tsvs.items() if v})
    loader = torch.utils.data.DataLoader(data, batch_size=None, num_workers=1, prefetch_factor=4,
                                         persistent_workers=False)
    stop = a.stop_after or a.steps
    teacher = Teacher(ROOT / "work" / "runs" / a.teacher, mean, std) if a.teacher else None
    if teacher is not None:
        print(f"{a.name}: distilling from {a.teacher} (step {teacher.step}), teacher weight {a.teacher_weight}",
              flush=True)
    print(f"{a.name}: {a.arch}/{a.size}, {count_params(model)} params, steps {start}..{stop} of {a.steps}",
          flush=True)
    t_seg, cpu_seg, loss_sum, n_loss = time.time(), _cpu_seconds(), 0.0, 0

    def save(step):
        nonlocal t_seg, cpu_seg
        now, cpu = time.time(), _cpu_seconds()
        spent["wall_s"] += now - t_seg
        spent["cpu_s"] += cpu - cpu_seg
        t_seg, cpu_seg = now, cpu
        state = {"state": model.state_dict(), "ema": ema.state_dict(), "config": model.config, "arch": a.arch,
                 "opt": opt.state_dict(),
                 "step": step, "history": history, "best": best, "mean": mean.tolist(), "std": std.tolist(),
                 "args": vars(a), "spent": spent}
        torch.save(state, out / "ckpt.tmp")
        os.replace(out / "ckpt.tmp", ckpt_path)
        (out / "history.json").write_text(json.dumps({"args": vars(a), "params": count_params(model),
                                                      "history": history, "best_frame_macro_ap": best,
                                                      "spent": spent}, indent=1))

    model.train()
    step = start
    for step_idx, xb, yb in loader:
        assert step_idx == step
        if step >= stop:
            break
        for g in opt.param_groups:
            g["lr"] = lr_at(step, a.steps, a.lr)
        frames = forward_frames(model, xb)
        weak = yb.amax(1)  # soft clip targets (mixup makes them fractional)
        strong = yb if teacher is None else distilled_targets(yb, teacher.frames(xb), a.teacher_weight)
        loss = F.binary_cross_entropy(frames, strong) + a.weak_weight * F.binary_cross_entropy(clip_pool(frames), weak)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        with torch.no_grad():
            decay = min(a.ema, (1 + step) / (10 + step))
            for pe, pm in zip(ema.state_dict().values(), model.state_dict().values()):
                if pe.dtype.is_floating_point:
                    pe.mul_(decay).add_(pm, alpha=1 - decay)
                else:
                    pe.copy_(pm)
        loss_sum, n_loss = loss_sum + loss.item(), n_loss + 1
        spent["clip_s"] += xb.shape[0] * xb.shape[1] * 256 / 16000
        step += 1
        if step % a.val_every == 0 or step == stop:
            m = validate(ema, x_val, y_val)
            rec = {"step": step, "train_loss": loss_sum / max(1, n_loss), "lr": lr_at(step, a.steps, a.lr),
                   "clip_s": spent["clip_s"], "time": time.time(), **m}
            history.append(rec)
            loss_sum, n_loss = 0.0, 0
            if m["frame_macro_ap"] > best:
                best = m["frame_macro_ap"]
                torch.save({"state": ema.state_dict(), "config": model.config, "arch": a.arch,
                            "step": step, "mean": mean.tolist(), "std": std.tolist()}, out / "best.pt")
            save(step)
            print(f"step {step}: loss {rec['train_loss']:.4f} val AP {m['frame_macro_ap']:.4f} "
                  f"bce {m['frame_bce']:.4f} clip-h {spent['clip_s'] / 3600:.1f} "
                  f"cpu-h {spent['cpu_s'] / 3600:.2f}", flush=True)
    save(step)


if __name__ == "__main__":
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    main()

"""Fresh training soundscapes every step: mixed on the fly from the source pool, augmented.

Batch `step` of a run is generated from seeds derived from (run seed, step, index), so a resumed
run sees exactly the batches an uninterrupted one would, and no two steps share a soundscape.
Validation and test stay fixed files (make_dataset.py), hashed and reproducible.
"""
import hashlib

import numpy as np
import torch

from .audio_io import to_pcm16
from .augment import EventFx, MixFx, filter_augment, mixup, spec_augment
from .features import logmel, num_output_frames
from .soundscapes import SoundscapeConfig, SourceBank, frame_targets, generate


def soundscape_seed(run_seed, step, index):
    h = hashlib.sha256(f"earshot-otf/{run_seed}/{step}/{index}".encode()).digest()
    return int.from_bytes(h[:8], "little")


def features_and_targets(mix):
    """Features from the 16-bit quantised signal, as a WAV reader would see it."""
    x = to_pcm16(mix).astype(np.float64) / 32768.0
    f = logmel(x, dtype=np.float32)
    return f


def make_example(seed, bank, cfg, event_fx, mix_fx):
    mix, events, _, _ = generate(seed, bank, cfg, event_fx, mix_fx)
    f = features_and_targets(mix)
    return f, frame_targets(events, num_output_frames(len(f)))


def normalisation_stats(bank, run_seed, count=200, cfg=SoundscapeConfig()):
    """Per-band mean/std of the (augmented) training distribution, from `count` soundscapes."""
    fx_e, fx_m = EventFx(), MixFx()
    feats = [make_example(soundscape_seed(run_seed, -1, i), bank, cfg, fx_e, fx_m)[0] for i in range(count)]
    flat = np.concatenate(feats).astype(np.float64)
    return flat.mean(0), flat.std(0)


# "light" keeps what models other microphones and rooms (waveform effects, FilterAugment) and drops the
# regularisers that slow learning most at this size (SpecAugment masks, mixup).
AUGMENT_MODES = ("full", "light", "none")


def random_crops(rng, f, t, crop_frames, time_pooling=4):
    """One crop of crop_frames input frames per example, at a random start on the model's output grid
    (a multiple of time_pooling input frames), so the targets are cut at the same instants:
    training on the window the detector will run (e.g. 4 s) instead of the whole 10-s soundscape."""
    if crop_frames % time_pooling:
        raise ValueError(f"crop_frames must be a multiple of {time_pooling}, got {crop_frames}")
    n_out = crop_frames // time_pooling
    last = (f.shape[1] - crop_frames) // time_pooling
    if last < 0:
        raise ValueError(f"crop of {crop_frames} frames is longer than the {f.shape[1]}-frame soundscapes")
    starts = rng.integers(0, last + 1, size=f.shape[0])
    fc = np.stack([f[i, s * time_pooling:s * time_pooling + crop_frames] for i, s in enumerate(starts)])
    tc = np.stack([t[i, s:s + n_out] for i, s in enumerate(starts)])
    return fc, tc


class OnTheFlyBatches(torch.utils.data.IterableDataset):
    """Yields (step, features (B, T, 64) normalised, targets (B, T/4, K)) from start_step on; with
    crop_frames, T = crop_frames (one random crop of each soundscape, see random_crops)."""

    def __init__(self, split, batch, run_seed, start_step, mean, std, cfg=SoundscapeConfig(),
                 augment=True, sources_tsv=None, backgrounds_tsv=None, crop_frames=0, exclude_packages=()):
        super().__init__()
        self.crop_frames = crop_frames
        self.split, self.batch, self.run_seed, self.start_step = split, batch, run_seed, start_step
        self.mean, self.std = np.asarray(mean, np.float32), np.asarray(std, np.float32)
        # augment: "full" | "light" | "none" (True / False: full / none, as before the modes)
        self.augment = {True: "full", False: "none"}.get(augment, augment)
        if self.augment not in AUGMENT_MODES:
            raise ValueError(f"augment must be one of {AUGMENT_MODES}: {augment!r}")
        self.cfg = cfg
        self.tsvs = {k: v for k, v in (("sources_tsv", sources_tsv), ("backgrounds_tsv", backgrounds_tsv)) if v}
        self.tsvs["exclude_packages"] = tuple(exclude_packages)

    def __iter__(self):
        bank = SourceBank.load(self.split, **self.tsvs)
        fx_e, fx_m = (EventFx(), MixFx()) if self.augment != "none" else (None, None)
        step = self.start_step
        while True:
            rng = np.random.default_rng(soundscape_seed(self.run_seed, step, "batch"))
            ex = [make_example(soundscape_seed(self.run_seed, step, i), bank, self.cfg, fx_e, fx_m)
                  for i in range(self.batch)]
            f = np.stack([e[0] for e in ex])
            t = np.stack([e[1] for e in ex])
            if self.crop_frames:
                f, t = random_crops(rng, f, t, self.crop_frames)
            if self.augment != "none":
                f = filter_augment(rng, f)
            f = (f - self.mean) / self.std
            if self.augment == "full":
                f = spec_augment(rng, f)
                f, t = mixup(rng, f, t)
            yield step, torch.from_numpy(f.astype(np.float32)), torch.from_numpy(t.astype(np.float32))
            step += 1

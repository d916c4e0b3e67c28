"""Augmentations that model other microphones, rooms and recordings (numpy/scipy only).

Waveform level, applied while a soundscape is mixed (soundscapes.generate hooks):
- event_fx: per foreground event, before it is placed: a small speed change (pitch and duration
  together, by resampling), band-limiting (many sources were recorded at 8-22 kHz), a high-pass,
  random peaking EQ. The event's label is computed from the signal after these, so label timing
  stays exact.
- mix_fx: on the whole mix: synthetic room reverb (exponentially decaying noise, RT60 0.15-0.9 s;
  the labels keep the dry onsets/offsets as DCASE does), microphone band-limiting and EQ, and the
  overall level.
Feature level (batch, log-mel): FilterAugment (random band gains), SpecAugment masks and mixup.
Every function takes its numpy Generator: the same seed gives the same result.
"""
import math

import numpy as np
from scipy import signal

from .features import SAMPLE_RATE

NYQUIST = SAMPLE_RATE / 2


def speed_change(x, factor):
    """Resample by linear interpolation: factor > 1 is faster/higher/shorter."""
    n = int(round(len(x) / factor))
    if n < 2:
        return x
    t = np.arange(n, dtype=np.float64) * factor
    return np.interp(t, np.arange(len(x)), x).astype(np.float32)


def lowpass(x, cutoff_hz, order=6):
    sos = signal.butter(order, min(cutoff_hz, NYQUIST * 0.99) / NYQUIST, "low", output="sos")
    return signal.sosfilt(sos, x).astype(np.float32)


def highpass(x, cutoff_hz, order=2):
    sos = signal.butter(order, cutoff_hz / NYQUIST, "high", output="sos")
    return signal.sosfilt(sos, x).astype(np.float32)


def peaking_eq(x, f0, gain_db, q):
    """RBJ cookbook peaking biquad."""
    a_ = 10 ** (gain_db / 40)
    w0 = 2 * math.pi * f0 / SAMPLE_RATE
    alpha = math.sin(w0) / (2 * q)
    b = [1 + alpha * a_, -2 * math.cos(w0), 1 - alpha * a_]
    a = [1 + alpha / a_, -2 * math.cos(w0), 1 - alpha / a_]
    return signal.lfilter(b, a, x).astype(np.float32)


def random_eq(rng, x, bands=(1, 3), gain_db=9.0):
    for _ in range(rng.integers(bands[0], bands[1] + 1)):
        f0 = math.exp(rng.uniform(math.log(150), math.log(6000)))
        x = peaking_eq(x, f0, rng.uniform(-gain_db, gain_db), rng.uniform(0.5, 3.0))
    return x


def room_impulse(rng, rt60, drr_db):
    """Direct path + exponentially decaying noise tail (energy -60 dB after rt60 s)."""
    n = int(rt60 * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    tail = rng.standard_normal(n) * np.exp(-6.908 * t / rt60)
    tail[: int(0.002 * SAMPLE_RATE)] = 0.0     # first reflections a few ms after the direct path
    tail *= 10 ** (-drr_db / 20) / (np.sqrt(np.sum(tail ** 2)) + 1e-12)
    tail[0] += 1.0
    return tail.astype(np.float32)


def reverb(rng, x, rt60=(0.15, 0.9), drr_db=(-3.0, 12.0)):
    h = room_impulse(rng, rng.uniform(*rt60), rng.uniform(*drr_db))
    y = signal.fftconvolve(x, h)[: len(x)]
    return y.astype(np.float32)


class EventFx:
    """Per-event augmentation; probabilities per effect."""

    def __init__(self, p_speed=0.3, speed=(0.9, 1.12), p_lowpass=0.3, lowpass_hz=(2500.0, 7500.0),
                 p_highpass=0.2, highpass_hz=(80.0, 500.0), p_eq=0.4):
        self.p_speed, self.speed = p_speed, speed
        self.p_lowpass, self.lowpass_hz = p_lowpass, lowpass_hz
        self.p_highpass, self.highpass_hz = p_highpass, highpass_hz
        self.p_eq = p_eq

    def __call__(self, rng, x, label):
        if rng.random() < self.p_speed:
            x = speed_change(x, rng.uniform(*self.speed))
        if rng.random() < self.p_lowpass:
            x = lowpass(x, rng.uniform(*self.lowpass_hz))
        if rng.random() < self.p_highpass:
            x = highpass(x, rng.uniform(*self.highpass_hz))
        if rng.random() < self.p_eq:
            x = random_eq(rng, x)
        return x


class MixFx:
    """Whole-mix augmentation: the room, the microphone and the level."""

    def __init__(self, p_reverb=0.4, p_mic_lowpass=0.25, mic_lowpass_hz=(3400.0, 7000.0), p_mic_eq=0.3,
                 peak_dbfs=(-30.0, -1.0)):
        self.p_reverb = p_reverb
        self.p_mic_lowpass, self.mic_lowpass_hz = p_mic_lowpass, mic_lowpass_hz
        self.p_mic_eq = p_mic_eq
        self.peak_dbfs = peak_dbfs

    def __call__(self, rng, mix):
        if rng.random() < self.p_reverb:
            mix = reverb(rng, mix)
        if rng.random() < self.p_mic_lowpass:
            mix = lowpass(mix, rng.uniform(*self.mic_lowpass_hz))
        if rng.random() < self.p_mic_eq:
            mix = random_eq(rng, mix, bands=(1, 2), gain_db=6.0)
        peak = float(np.max(np.abs(mix))) + 1e-9
        return (mix * (10 ** (rng.uniform(*self.peak_dbfs) / 20) / peak)).astype(np.float32)


# ---- feature level (numpy arrays (batch, frames, mels), targets (batch, out_frames, K)) ----

def filter_augment(rng, feats, bands=(2, 5), gain_db=6.0, p=0.5):
    """FilterAugment (Nam et al. 2022), step version: random gains on random mel bands, added in
    the log domain (features are natural-log mel power)."""
    out = feats.copy()
    n_mels = feats.shape[-1]
    for b in range(len(out)):
        if rng.random() >= p:
            continue
        k = rng.integers(bands[0], bands[1] + 1)
        edges = np.sort(rng.choice(np.arange(1, n_mels), size=k - 1, replace=False))
        edges = np.concatenate([[0], edges, [n_mels]])
        for lo, hi in zip(edges[:-1], edges[1:]):
            out[b, :, lo:hi] += rng.uniform(-gain_db, gain_db) * math.log(10) / 10
    return out


def spec_augment(rng, feats, max_freq=8, max_time=20, time_masks=1, fill=0.0):
    """One frequency mask and `time_masks` time masks per example, on normalised features."""
    out = feats.copy()
    b_, t_, f_ = out.shape
    for b in range(b_):
        w = rng.integers(0, max_freq + 1)
        s = rng.integers(0, f_ - w + 1)
        out[b, :, s:s + w] = fill
        for _ in range(time_masks):
            w = rng.integers(0, max_time + 1)
            s = rng.integers(0, t_ - w + 1)
            out[b, s:s + w, :] = fill
    return out


def mixup(rng, feats, targets, p=0.5, alpha=0.2):
    """Mix a share p of the batch with a shuffled partner (DCASE baseline style: the same lambda
    for features and soft targets)."""
    b = len(feats)
    if b < 2:
        return feats, targets
    chosen = rng.random(b) < p
    partner = rng.permutation(b)
    lam = rng.beta(alpha, alpha, size=b).astype(np.float32)
    lam = np.where(chosen, np.maximum(lam, 1 - lam), 1.0).astype(np.float32)
    f = lam[:, None, None] * feats + (1 - lam[:, None, None]) * feats[partner]
    t = lam[:, None, None] * targets + (1 - lam[:, None, None]) * targets[partner]
    return f.astype(np.float32), t.astype(np.float32)

"""DESED/Scaper-style soundscape generator: a background bed plus 1-5 foreground events.

Deterministic from a seed. Each soundscape is 10 s of 16 kHz mono. Events are placed at random
times with a random SNR (0-30 dB against the background), polyphony is allowed, but two events of
the same class never overlap. Strong labels (onset/offset in s, 1 ms precision) mark where each
event's (silence-trimmed) signal really is in the mix.

Typing and Footsteps sources are single keystrokes / single steps: the generator strings several
from one recording group into a sequence, and the whole sequence is one event.
"""
import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .audio_io import frame_db, read_wav, trim_silence
from .features import SAMPLE_RATE
from .fetch import clip_path, read_list
from .labels import LABELS

DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True)
class SoundscapeConfig:
    duration_s: float = 10.0
    min_events: int = 1
    max_events: int = 5
    snr_db: tuple = (0.0, 30.0)
    background_dbfs: tuple = (-50.0, -25.0)
    noise_background_prob: float = 0.25     # coloured noise instead of a recorded bed
    max_event_s: tuple = (2.0, 8.0)         # long sources (music, ambience) are excerpted
    fade_s: float = 0.01
    peak_limit: float = 0.95
    sequence_classes: dict = field(default_factory=lambda: {
        # label: (min items, max items, min gap s, max gap s)
        "Typing": (4, 14, 0.06, 0.25),
        "Footsteps": (3, 8, 0.25, 0.55),
    })

    @property
    def num_samples(self):
        return int(round(self.duration_s * SAMPLE_RATE))


@dataclass(frozen=True)
class Event:
    label: str
    onset: float      # seconds, rounded to 1 ms
    offset: float
    snr_db: float
    source: str       # package:path of the (first) source file


class SourceBank:
    """Decoded foreground clips (per class) and backgrounds of one split, held in memory.

    events: [(label, group, name, float32 samples)]; backgrounds: [(name, float32 samples)]."""

    def __init__(self, events, backgrounds, split="custom"):
        if not events:
            raise ValueError(f"no foreground sources for split {split!r}")
        self.split = split
        self.events = list(events)
        self.backgrounds = list(backgrounds)
        self.by_group = {}
        for i, (label, group, _, _) in enumerate(self.events):
            self.by_group.setdefault((label, group), []).append(i)

    @classmethod
    def load(cls, split, sources_tsv=DATA / "sources.tsv", backgrounds_tsv=DATA / "backgrounds.tsv",
             exclude_packages=()):
        """The split's clips from the decoded cache (see fetch.py), less the sources of exclude_packages
        (a run that started before a package joined the list keeps the pool it trained on)."""
        events = [(r["class"], r["group"], f"{r['package']}:{r['path']}",
                   read_wav(clip_path(r["package"], r["path"]))[0].astype(np.float32))
                  for r in read_list(sources_tsv) if r["split"] == split and r["package"] not in exclude_packages]
        backgrounds = [(f"{r['package']}:{r['path']}",
                        read_wav(clip_path(r["package"], r["path"]))[0].astype(np.float32))
                       for r in read_list(backgrounds_tsv) if r["split"] == split]
        return cls(events, backgrounds, split)


def active_rms(x):
    """RMS over the frames within 30 dB of the loudest (level of the sound while it sounds)."""
    db = frame_db(x)
    loud = db[db > db.max() - 30.0]
    return math.sqrt(float(np.mean(10 ** (loud / 10)))) if loud.size else 0.0


def coloured_noise(rng, n, exponent):
    """Noise with power spectrum ~ 1/f^exponent (0 white, 1 pink, 2 brown)."""
    spec = rng.standard_normal(n // 2 + 1) + 1j * rng.standard_normal(n // 2 + 1)
    f = np.arange(n // 2 + 1, dtype=np.float64)
    f[0] = 1.0
    x = np.fft.irfft(spec / f ** (exponent / 2.0), n=n)
    return (x / (np.sqrt(np.mean(x * x)) + 1e-12)).astype(np.float32)


def _fade(x, n):
    n = min(n, len(x) // 2)
    if n > 0:
        ramp = np.linspace(0.0, 1.0, n, dtype=np.float32)
        x = x.copy()
        x[:n] *= ramp
        x[-n:] *= ramp[::-1]
    return x


def _background(rng, bank, cfg):
    n = cfg.num_samples
    if not bank.backgrounds or rng.random() < cfg.noise_background_prob:
        x = coloured_noise(rng, n, rng.uniform(0.0, 2.0))
        name = "noise"
    else:
        name, src = bank.backgrounds[rng.integers(len(bank.backgrounds))]
        if len(src) < n:
            src = np.tile(src, n // len(src) + 1)
        start = rng.integers(0, len(src) - n + 1)
        x = src[start:start + n].copy()
    level = 10 ** (rng.uniform(*cfg.background_dbfs) / 20)
    return x * (level / (active_rms(x) + 1e-12)), name


def _event_signal(rng, bank, cfg, idx, event_fx=None):
    label, group, name, x = bank.events[idx]
    if label in cfg.sequence_classes and len(x) < SAMPLE_RATE:
        lo, hi, gap_lo, gap_hi = cfg.sequence_classes[label]
        members = bank.by_group[(label, group)]
        if label == "Typing":  # any key of the same keyboard
            members = [i for i, e in enumerate(bank.events) if e[0] == label]
        parts = []
        for k in range(rng.integers(lo, hi + 1)):
            if k:
                parts.append(np.zeros(int(rng.uniform(gap_lo, gap_hi) * SAMPLE_RATE), np.float32))
            parts.append(bank.events[members[rng.integers(len(members))]][3])
        x = np.concatenate(parts)
    limit = int(rng.uniform(*cfg.max_event_s) * SAMPLE_RATE)
    if len(x) > limit:
        start = rng.integers(0, len(x) - limit + 1)
        x = trim_silence(x[start:start + limit])
    if event_fx is not None and len(x):
        x = trim_silence(event_fx(rng, x, label))
    x = _fade(x, int(cfg.fade_s * SAMPLE_RATE))
    return label, name, x[: cfg.num_samples]


def generate(seed, bank, cfg=SoundscapeConfig(), event_fx=None, mix_fx=None):
    """One soundscape -> (mix float32 [-1,1] quantisable, events, background name, stems).

    stems holds each placed event's own signal (scaled, in mix coordinates) for the tests.
    event_fx(rng, x, label) -> x and mix_fx(rng, mix) -> mix are optional augmentations
    (augment.py); without them the draws, and so the soundscape, are exactly as before."""
    rng = np.random.default_rng(seed)
    n = cfg.num_samples
    bg, bg_name = _background(rng, bank, cfg)
    bg_rms = active_rms(bg)
    mix = bg.astype(np.float64)
    events, stems, busy = [], [], {}
    for _ in range(rng.integers(cfg.min_events, cfg.max_events + 1)):
        idx = int(rng.integers(len(bank.events)))
        label, name, x = _event_signal(rng, bank, cfg, idx, event_fx)
        if len(x) == 0:
            continue
        for _attempt in range(20):
            start = int(rng.integers(0, n - len(x) + 1))
            end = start + len(x)
            if all(end <= s or start >= e for s, e in busy.get(label, [])):
                break
        else:
            continue  # no room without a same-class overlap: skip this event
        busy.setdefault(label, []).append((start, end))
        snr = float(rng.uniform(*cfg.snr_db))
        gain = bg_rms * 10 ** (snr / 20) / (active_rms(x) + 1e-12)
        stem = np.zeros(n, np.float64)
        stem[start:end] = x * gain
        mix += stem
        stems.append(stem)
        events.append(Event(label, round(start / SAMPLE_RATE, 3), round(end / SAMPLE_RATE, 3), snr, name))
    if mix_fx is not None:
        # The room and microphone act on the mix; stems stay the dry signals the labels describe
        # (a causal room only adds a tail after each offset: DCASE labels keep the dry extent).
        mix = mix_fx(rng, mix.astype(np.float32)).astype(np.float64)
    peak = float(np.max(np.abs(mix)))
    if peak > cfg.peak_limit:
        scale = cfg.peak_limit / peak
        mix *= scale
        stems = [s * scale for s in stems]
    events.sort(key=lambda e: (e.onset, e.offset, e.label))
    return mix.astype(np.float32), events, bg_name, stems


def frame_targets(events, num_output_frames, frame_hop=1024, frame_offset=384):
    """Soft frame targets (frames, classes): the share of each output frame covered by an event."""
    y = np.zeros((num_output_frames, len(LABELS)), np.float32)
    starts = frame_offset + frame_hop * np.arange(num_output_frames)
    for e in events:
        on, off = e.onset * SAMPLE_RATE, e.offset * SAMPLE_RATE
        cover = np.clip(np.minimum(starts + frame_hop, off) - np.maximum(starts, on), 0, None) / frame_hop
        c = LABELS.index(e.label)
        y[:, c] = np.maximum(y[:, c], cover)
    return y


def write_strong_tsv(path, rows):
    """rows: (filename, Event). DCASE strong-label TSV with header."""
    with open(path, "w", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["filename", "onset", "offset", "event_label"])
        for fname, e in rows:
            w.writerow([fname, f"{e.onset:.3f}", f"{e.offset:.3f}", e.label])


def write_weak_tsv(path, rows):
    """rows: (filename, [events]). DCASE weak-label TSV: comma-separated labels per file."""
    with open(path, "w", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["filename", "event_labels"])
        for fname, events in rows:
            w.writerow([fname, ",".join(sorted({e.label for e in events}, key=LABELS.index))])

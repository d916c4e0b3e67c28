"""Generated foreground sources: espeak-ng speech, fluidsynth music from generated MIDI, synthesised alarms.

Each generated clip is named like a fetched one, by a package and a path:

    generated:espeak-ng      speech/<voice>/<n>.wav       voice = language+variant, e.g. de+f3
    generated:fluidsynth     music/<program family>/<n>.wav
    generated:synth-alarm    alarm/<recipe>/<n>.wav       recipe: beep, siren, chime, ring, buzzer, ...
    generated:synth-keys     typing/<kind>-<k>/<n>.wav    kind: clicky, linear, membrane, laptop, typewriter

and everything about it (text, speed, pitch, melody, tempo, partials...) is drawn from a
random generator seeded by a SHA-1 of `package|path`, so a clip is reproducible from its name
alone: `python3 -m earshot_sed.fetch data/sources.tsv` renders missing generated clips into the
clip cache the way it decodes missing Debian clips. The group (for splitting) is the voice, the
General MIDI program family, the alarm recipe or the keyboard (a synthesised keyboard's sound is drawn from
the name of its folder, its typing from the whole path).

Generated sources only ever go to the train split (curate.py), and stay under half of every
class's distinct files.

Usage: python3 -m earshot_sed.generated   (writes data/generated-candidates.tsv, renders the clips)
"""
import csv
import hashlib
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from .features import SAMPLE_RATE

DATA = Path(__file__).resolve().parents[1] / "data"
SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")

ESPEAK = "generated:espeak-ng"
FLUIDSYNTH = "generated:fluidsynth"
SYNTH_ALARM = "generated:synth-alarm"
SYNTH_KEYS = "generated:synth-keys"
PACKAGES = (ESPEAK, FLUIDSYNTH, SYNTH_ALARM, SYNTH_KEYS)

LICENCES = {
    ESPEAK: "GPL-3.0-or-later",       # espeak-ng and its voice data (espeak-ng-data copyright)
    FLUIDSYNTH: "MIT",                # FluidR3_GM soundfont (fluid-soundfont-gm copyright); MIDI generated here
    SYNTH_ALARM: "generated",         # numpy synthesis in this file, no third-party material
    SYNTH_KEYS: "generated",
}


def seed_of(package, path):
    return int.from_bytes(hashlib.sha1(f"{package}|{path}".encode()).digest()[:8], "little")


def rng_for(package, path):
    return np.random.default_rng(seed_of(package, path))


# ---------------------------------------------------------------------------------------------
# Speech: espeak-ng, many languages and voice variants

# (voice, script) pairs. Latin-script languages read pseudo-words spelled in their own
# orthography (espeak applies the language's letter-to-sound rules); other scripts get syllables
# of that script. Numbers are read as the language's own number words.
LANGUAGES = {
    "latin": ["af", "ca", "cs", "cy", "da", "de", "en", "en-us", "en-gb-scotland", "eo", "es",
              "es-419", "et", "eu", "fi", "fr", "ga", "hr", "hu", "id", "is", "it", "lt", "lv",
              "nl", "nb", "pl", "pt", "pt-br", "ro", "sk", "sl", "sq", "sv", "sw", "tr", "vi"],
    "cyrillic": ["ru", "uk", "bg"],
    "greek": ["el"],
    "devanagari": ["hi", "mr", "ne"],
    "hiragana": ["ja"],
}
VARIANTS = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5", "klatt",
            "klatt2", "klatt4", "croak", "whisper", "whisperf", "adam", "anika", "edward", "grandma",
            "grandpa", "linda", "michel", "norbert", "quincy", "steph", "victor", "zac", "aunty",
            "belinda", "boris", "gustave", "iven", "john", "kaukovalta", "max", "paul", "rob"]
SYLLABLES = {
    "latin": (list("bcdfghjklmnprstvz") + ["ch", "sh", "tr", "br", "st", "gr", "pl"],
              list("aeiou") + ["ai", "ou", "ie", "ea"]),
    "cyrillic": (list("бвгдзклмнпрстфхчшж"), list("аеиоуяюы")),
    "greek": (list("βγδζκλμνξπρστφχ"), list("αεηιουω")),
    "devanagari": (list("कखगचजटडतदनपबमयरलवसह"), ["", "ा", "ि", "ी", "ु", "े", "ो"]),
    "hiragana": (None, list("あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわん")),
}


def speech_voices():
    return [(lang, script) for script, langs in LANGUAGES.items() for lang in langs]


def _pseudo_text(rng, script):
    cons, vows = SYLLABLES[script]
    words = []
    for _ in range(int(rng.integers(3, 10))):
        if rng.random() < 0.12:
            words.append(str(int(rng.integers(1, 10000))))
            continue
        n = int(rng.integers(1, 4))
        if cons is None:
            words.append("".join(rng.choice(vows) for _ in range(n + 1)))
        else:
            w = "".join(rng.choice(cons) + rng.choice(vows) for _ in range(n))
            if script == "latin" and rng.random() < 0.3:
                w += rng.choice(cons)
            words.append(w)
    sep = "、" if script == "hiragana" else " "
    text = sep.join(words)
    return text + str(rng.choice([".", ".", "?", "!"]))


def speech_params(path):
    """Everything espeak-ng is told for one clip, from the clip's name."""
    rng = rng_for(ESPEAK, path)
    voice = path.split("/")[1]
    lang, variant = voice.split("+")
    script = next(s for s, langs in LANGUAGES.items() if lang in langs)
    return {
        "voice": voice,
        "text": _pseudo_text(rng, script),
        "speed": int(rng.integers(110, 230)),      # words per minute
        "pitch": int(rng.integers(15, 85)),        # 0-99
        "gap": int(rng.integers(0, 6)),            # extra pause between words, 10 ms units
        "amplitude": int(rng.integers(60, 180)),
    }


def render_speech(path):
    if shutil.which("espeak-ng") is None:
        raise RuntimeError("espeak-ng is not installed (apt-get install espeak-ng)")
    p = speech_params(path)
    proc = subprocess.run(
        ["espeak-ng", "-v", p["voice"], "-s", str(p["speed"]), "-p", str(p["pitch"]),
         "-g", str(p["gap"]), "-a", str(p["amplitude"]), "--stdout", p["text"]],
        capture_output=True, check=False)
    if proc.returncode != 0 or len(proc.stdout) < 100:
        raise ValueError(f"{ESPEAK}:{path}: espeak-ng failed: {proc.stderr.decode(errors='replace')[:200]}")
    return proc.stdout     # a WAV (22.05 kHz), decoded and resampled by the caller


# ---------------------------------------------------------------------------------------------
# Music: a tiny standard-MIDI-file writer, random melody / chords / drums, rendered by fluidsynth

# General MIDI program families (program numbers 0-127 in blocks of 8); percussion is channel 10.
GM_FAMILIES = ["piano", "chromatic-percussion", "organ", "guitar", "bass", "strings", "ensemble",
               "brass", "reed", "pipe", "synth-lead", "synth-pad", "synth-effects", "ethnic",
               "percussive"]   # family 15 (sound effects: seashore, birds, telephone...) is left out
SCALES = {"major": [0, 2, 4, 5, 7, 9, 11], "minor": [0, 2, 3, 5, 7, 8, 10],
          "dorian": [0, 2, 3, 5, 7, 9, 10], "pentatonic": [0, 2, 4, 7, 9],
          "blues": [0, 3, 5, 6, 7, 10], "mixolydian": [0, 2, 4, 5, 7, 9, 10]}


def _vlq(n):
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    return bytes(reversed(out))


def midi_file(events, ticks_per_beat=480):
    """Type-0 standard MIDI file from (tick, status_bytes) events (sorted here)."""
    track = b""
    last = 0
    for tick, data in sorted(events, key=lambda e: (e[0], e[1][0] & 0xF0 != 0x80)):
        track += _vlq(tick - last) + data
        last = tick
    track += _vlq(0) + b"\xff\x2f\x00"
    return (b"MThd" + struct.pack(">IHHH", 6, 0, 1, ticks_per_beat)
            + b"MTrk" + struct.pack(">I", len(track)) + track)


def music_midi(path):
    """A random piece for one clip: melody on a program of the clip's family, optional chords
    and drums. Returns (midi bytes, description)."""
    rng = rng_for(FLUIDSYNTH, path)
    family = GM_FAMILIES.index(path.split("/")[1])
    tpb = 480
    bpm = int(rng.integers(60, 180))
    seconds = float(rng.uniform(4.0, 9.0))
    beats = max(4, int(seconds * bpm / 60))
    program = family * 8 + int(rng.integers(0, 8))
    scale_name = str(rng.choice(sorted(SCALES)))
    scale = SCALES[scale_name]
    root = int(rng.integers(36, 49)) + (12 if family not in (4,) else 0)
    ev = [(0, b"\xff\x51\x03" + int(60e6 / bpm).to_bytes(3, "big")), (0, bytes([0xC0, program]))]
    # melody: random walk on the scale, note lengths of 1/4..2 beats, some rests
    t, degree = 0, int(rng.integers(0, len(scale)))
    end = beats * tpb
    while t < end:
        dur = int(tpb * rng.choice([0.25, 0.5, 0.5, 1, 1, 1.5, 2]))
        if rng.random() > 0.12:
            degree = int(np.clip(degree + rng.integers(-3, 4), -len(scale), 2 * len(scale)))
            octave, step = divmod(degree, len(scale))
            note = int(np.clip(root + 12 + 12 * octave + scale[step], 24, 108))
            vel = int(rng.integers(60, 120))
            ev += [(t, bytes([0x90, note, vel])), (t + int(dur * 0.9), bytes([0x80, note, 0]))]
        t += dur
    parts = ["melody"]
    if rng.random() < 0.6:     # chords on a second program, one per bar
        chord_prog = int(rng.integers(0, 15)) * 8 + int(rng.integers(0, 8))
        ev.append((0, bytes([0xC1, chord_prog])))
        for bar in range(0, beats, 4):
            d = int(rng.integers(0, len(scale)))
            notes = [root + scale[(d + k) % len(scale)] + 12 * ((d + k) // len(scale)) for k in (0, 2, 4)]
            for n in notes:
                ev += [(bar * tpb, bytes([0x91, n, 70])), (min(end, (bar + 4) * tpb) - 10, bytes([0x81, n, 0]))]
        parts.append(f"chords:{chord_prog}")
    if rng.random() < 0.5:     # drums: kick/snare/hat pattern, channel 10
        pattern = rng.random((3, 8)) < np.array([[0.5], [0.3], [0.8]])
        pattern[0, 0] = True
        for beat8 in range(beats * 2):
            for k, inst in enumerate((36, 38, 42)):
                if pattern[k, beat8 % 8]:
                    tick = beat8 * tpb // 2
                    ev += [(tick, bytes([0x99, inst, int(rng.integers(70, 120))])),
                           (tick + tpb // 4, bytes([0x89, inst, 0]))]
        parts.append("drums")
    desc = f"GM program {program}, {bpm} bpm, {scale_name}, {'+'.join(parts)}"
    return midi_file(ev, tpb), desc


def render_music(path):
    if shutil.which("fluidsynth") is None or not SOUNDFONT.exists():
        raise RuntimeError(f"fluidsynth or {SOUNDFONT} missing (apt-get install fluidsynth fluid-soundfont-gm)")
    midi, _ = music_midi(path)
    with tempfile.TemporaryDirectory() as d:
        mid, wav = Path(d) / "in.mid", Path(d) / "out.wav"
        mid.write_bytes(midi)
        proc = subprocess.run(
            ["fluidsynth", "-ni", "-q", "-g", "0.6", "-r", str(SAMPLE_RATE), "-F", str(wav),
             "-o", "synth.reverb.active=0", "-o", "synth.chorus.active=0",
             "-o", "audio.file.format=float", str(SOUNDFONT), str(mid)],
            capture_output=True, check=False)
        if proc.returncode != 0 or not wav.exists():
            raise ValueError(f"{FLUIDSYNTH}:{path}: fluidsynth failed: {proc.stderr.decode(errors='replace')[:200]}")
        return wav.read_bytes()


# ---------------------------------------------------------------------------------------------
# Alarms: beeps, sirens, chimes, rings, buzzers, synthesised in numpy

ALARM_RECIPES = ["beep", "siren", "chime", "ring", "buzzer", "klaxon", "alarm-clock", "doorbell"]


def _tone(rng, f, n, wave):
    t = np.arange(n) / SAMPLE_RATE
    phase = 2 * np.pi * np.cumsum(np.broadcast_to(f, (n,))) / SAMPLE_RATE if np.ndim(f) else 2 * np.pi * f * t
    if wave == "sine":
        return np.sin(phase)
    if wave == "square":
        return np.sign(np.sin(phase)) * 0.6
    if wave == "saw":
        return (2 * ((phase / (2 * np.pi)) % 1.0) - 1) * 0.6
    # triangle
    return (2 * np.abs(2 * ((phase / (2 * np.pi)) % 1.0) - 1) - 1)


def _env(n, attack, release):
    e = np.ones(n)
    a, r = min(n, max(1, int(attack * SAMPLE_RATE))), min(n, max(1, int(release * SAMPLE_RATE)))
    e[:a] *= np.linspace(0, 1, a)
    e[n - r:] *= np.linspace(1, 0, r)
    return e


def _bell(rng, f0, dur, partials=None):
    n = int(dur * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    ratios = partials or [1.0, 2.0, 2.4 + rng.uniform(-0.1, 0.1), 3.0, 4.5 + rng.uniform(-0.2, 0.2), 5.4]
    out = np.zeros(n)
    decay = rng.uniform(0.4, 2.0)
    for k, r in enumerate(ratios):
        out += np.sin(2 * np.pi * f0 * r * t + rng.uniform(0, 2 * np.pi)) * np.exp(-t * (1 + k) / decay) / (1 + k)
    return out * _env(n, 0.002, 0.02)


def synth_alarm(path):
    """One alarm-like sound, float32 at 16 kHz; the recipe is the path's second part."""
    rng = rng_for(SYNTH_ALARM, path)
    recipe = path.split("/")[1]
    sr = SAMPLE_RATE
    wave = str(rng.choice(["sine", "square", "saw", "triangle"]))
    if recipe == "beep":               # n identical beeps, regular gaps
        f = rng.uniform(500, 4000)
        on, off = rng.uniform(0.05, 0.4), rng.uniform(0.05, 0.4)
        parts = []
        for _ in range(int(rng.integers(1, 7))):
            n = int(on * sr)
            parts += [_tone(rng, f, n, wave) * _env(n, 0.003, 0.005), np.zeros(int(off * sr))]
        x = np.concatenate(parts)
    elif recipe == "siren":            # wail (slow sweep), yelp (fast sweep) or hi-lo
        kind = rng.choice(["wail", "yelp", "hilo"])
        dur = rng.uniform(1.5, 6.0)
        n = int(dur * sr)
        t = np.arange(n) / sr
        lo, hi = rng.uniform(400, 900), rng.uniform(1000, 2200)
        if kind == "hilo":
            period = rng.uniform(0.4, 1.2)
            f = np.where((t % period) < period / 2, hi, lo)
        else:
            rate = rng.uniform(0.15, 0.5) if kind == "wail" else rng.uniform(2.0, 6.0)
            f = lo + (hi - lo) * (0.5 - 0.5 * np.cos(2 * np.pi * rate * t))
        x = _tone(rng, f, n, wave) * _env(n, 0.05, 0.1)
    elif recipe == "chime":            # a few bell strokes on a random scale
        base = rng.uniform(300, 1500)
        notes = rng.choice([1.0, 1.125, 1.25, 1.335, 1.5, 1.68, 2.0], size=int(rng.integers(1, 5)))
        gap = rng.uniform(0.15, 0.6)
        dur = rng.uniform(0.8, 2.5)
        x = np.zeros(int((gap * len(notes) + dur) * sr))
        for k, r in enumerate(notes):
            b = _bell(rng, base * r, dur)
            s = int(k * gap * sr)
            x[s:s + len(b)] += b
    elif recipe == "doorbell":         # ding-dong: two bell tones, falling third or fourth
        f1 = rng.uniform(500, 1100)
        b1 = _bell(rng, f1, rng.uniform(0.8, 1.5), [1.0, 2.76, 5.4])
        b2 = _bell(rng, f1 / rng.choice([1.26, 1.335, 1.5]), rng.uniform(1.0, 2.0), [1.0, 2.76, 5.4])
        s = int(rng.uniform(0.3, 0.7) * sr)
        x = np.zeros(max(len(b1), s + len(b2)))
        x[:len(b1)] += b1
        x[s:s + len(b2)] += b2
    elif recipe == "ring":             # telephone: two tones, amplitude-modulated, ring cadence
        f1 = rng.uniform(350, 1000)
        f2 = f1 * rng.uniform(1.05, 1.3)
        mod = rng.uniform(15, 25)
        on, off = rng.uniform(0.4, 2.0), rng.uniform(0.2, 2.0)
        parts = []
        for _ in range(int(rng.integers(1, 4))):
            n = int(on * sr)
            t = np.arange(n) / sr
            tone = (np.sin(2 * np.pi * f1 * t) + np.sin(2 * np.pi * f2 * t)) * (0.6 + 0.4 * np.sign(np.sin(2 * np.pi * mod * t)))
            parts += [tone * _env(n, 0.005, 0.01), np.zeros(int(off * sr))]
        x = np.concatenate(parts)
    elif recipe == "buzzer":           # low harsh tone, amplitude-modulated
        f = rng.uniform(80, 400)
        n = int(rng.uniform(0.4, 3.0) * sr)
        t = np.arange(n) / sr
        am = 0.7 + 0.3 * np.sin(2 * np.pi * rng.uniform(5, 60) * t)
        x = _tone(rng, f, n, str(rng.choice(["square", "saw"]))) * am * _env(n, 0.01, 0.02)
    elif recipe == "klaxon":           # two-tone horn, detuned saws
        f = rng.uniform(250, 600)
        n = int(rng.uniform(0.5, 2.5) * sr)
        x = sum(_tone(rng, f * r, n, "saw") for r in (1.0, 1.26, 1.5)) * _env(n, 0.02, 0.05)
        parts = [x, np.zeros(int(rng.uniform(0.1, 0.5) * sr))] * int(rng.integers(1, 4))
        x = np.concatenate(parts)
    elif recipe == "alarm-clock":      # bursts of 2-5 fast beeps
        f = rng.uniform(1500, 4500)
        beep, gap = rng.uniform(0.03, 0.08), rng.uniform(0.03, 0.08)
        per_burst, pause = int(rng.integers(2, 6)), rng.uniform(0.2, 0.8)
        parts = []
        for _ in range(int(rng.integers(2, 6))):
            for _ in range(per_burst):
                n = int(beep * sr)
                parts += [_tone(rng, f, n, wave) * _env(n, 0.002, 0.004), np.zeros(int(gap * sr))]
            parts.append(np.zeros(int(pause * sr)))
        x = np.concatenate(parts)
    else:
        raise ValueError(f"{SYNTH_ALARM}:{path}: unknown recipe {recipe!r}")
    x = np.asarray(x, dtype=np.float64)
    peak = np.max(np.abs(x)) or 1.0
    return (x / peak * 10 ** (rng.uniform(-12, -3) / 20)).astype(np.float32)


# ---------------------------------------------------------------------------------------------
# Typing: synthesised keyboards. Every Typing recording in the inventory's training packages is one
# keyboard (bucklespring's IBM Model M), so the model learnt that keyboard, not typing (PSDS1 0 on
# the cross-source test's keyboard). Tried in a branch of the long run, they lost 0.02 validation macro AP
# (RESULTS.md, "The long run at step 20,500, and synthesised keyboards"). A synthesised keystroke is a short excitation ringing a few
# damped modes of the keycap, plate and case; the keyboard (kind, modes, click, loudness) is fixed
# by the folder's name, the keys and the rhythm by the clip's.

KEYBOARD_KINDS = ["clicky", "linear", "membrane", "laptop", "typewriter"]


def keyboard_params(folder):
    """The sound of one synthesised keyboard (typing/<kind>-<k>): its modes, decays, click, release."""
    rng = rng_for(SYNTH_KEYS, folder)
    kind = folder.split("/")[-1].split("-")[0]
    if kind not in KEYBOARD_KINDS:
        raise ValueError(f"{SYNTH_KEYS}:{folder}: unknown keyboard kind {kind!r}")
    lo, hi, decay = {                         # mode band (Hz) and decay time (s) by construction
        "clicky": (900, 7000, (0.004, 0.025)),
        "linear": (500, 5000, (0.005, 0.030)),
        "membrane": (300, 3000, (0.003, 0.015)),
        "laptop": (1200, 7500, (0.002, 0.010)),
        "typewriter": (250, 6000, (0.010, 0.080)),
    }[kind]
    n_modes = int(rng.integers(4, 9))
    return {
        "kind": kind,
        "modes": np.exp(rng.uniform(np.log(lo), np.log(hi), n_modes)),
        "gains": rng.uniform(0.2, 1.0, n_modes),
        "decays": rng.uniform(*decay, n_modes),
        "excite_s": rng.uniform(0.0003, 0.002),          # length of the impact's noise burst
        "click": kind == "clicky",                       # the switch's click leaf, before bottoming out
        "click_lead_s": rng.uniform(0.002, 0.008),
        "release_db": rng.uniform(-16, -5),              # the upstroke, quieter than the press
        "release_s": (rng.uniform(0.04, 0.09), rng.uniform(0.10, 0.20)),
        "thump_hz": rng.uniform(80, 250),                # the case's low thump (typewriter: the platen)
        "thump_db": rng.uniform(-18, -6) if kind != "typewriter" else rng.uniform(-6, 0),
        "speed_kps": (rng.uniform(2.5, 4.0), rng.uniform(4.5, 6.0)) if kind == "typewriter"
        else (rng.uniform(3.0, 5.0), rng.uniform(6.0, 10.0)),
    }


def _strike(rng, kb, n, detune=1.0, gain=1.0, modes_scale=1.0, decay_scale=1.0):
    """One impact ringing the keyboard's modes, n samples; each key detunes the modes a little."""
    t = np.arange(n) / SAMPLE_RATE
    out = np.zeros(n)
    for f, g, d in zip(kb["modes"], kb["gains"], kb["decays"]):
        f = min(f * detune * modes_scale * rng.uniform(0.94, 1.06), 0.45 * SAMPLE_RATE)
        out += g * np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi)) * np.exp(-t / (d * decay_scale))
    burst = max(2, int(kb["excite_s"] * SAMPLE_RATE))
    out[:burst] += rng.normal(0, 1.0, burst) * np.linspace(1, 0, burst)
    thump = 10 ** (kb["thump_db"] / 20) * np.sin(2 * np.pi * kb["thump_hz"] * t) * np.exp(-t / 0.012)
    return gain * (out + thump)


def synth_typing(path):
    """A burst of typing on one synthesised keyboard, 1-6 s, float32 at 16 kHz: words of keystrokes
    (press, then release), a space between words, the odd long key; no gap over 0.4 s, so the whole
    clip is one Typing event as labelled."""
    folder = "/".join(path.split("/")[:2])
    kb = keyboard_params(folder)
    rng = rng_for(SYNTH_KEYS, path)
    sr = SAMPLE_RATE
    total = int(rng.uniform(1.0, 6.0) * sr)
    x = np.zeros(total + sr)
    key_n = int(0.12 * sr)
    mean_gap = 1.0 / rng.uniform(*kb["speed_kps"])
    t, letters = 0.0, 0
    word = int(rng.integers(2, 9))
    while int(t * sr) < total:
        long_key = letters == word                       # the space bar, or enter now and then
        if long_key:
            letters, word = 0, int(rng.integers(2, 9))
        letters += 1
        detune = rng.uniform(0.85, 1.15)
        gain = 10 ** (rng.uniform(-5, 3) / 20)
        scale = (0.7, 1.6) if long_key else (1.0, 1.0)
        s = int(t * sr)
        press = _strike(rng, kb, key_n, detune, gain, *scale)
        if kb["click"]:
            lead = int(kb["click_lead_s"] * sr)
            click = _strike(rng, kb, key_n - lead, 1.8, 0.6 * gain, 1.0, 0.3)
            x[s:s + len(click)] += click
            s += lead
        x[s:s + key_n] += press
        if long_key and rng.random() < 0.6:              # a stabiliser's rattle just after
            r = s + int(rng.uniform(0.008, 0.02) * sr)
            x[r:r + key_n] += 0.4 * _strike(rng, kb, key_n, detune * 1.3, gain)
        if kb["kind"] != "typewriter" or rng.random() < 0.3:
            r = s + int(rng.uniform(*kb["release_s"]) * sr)
            x[r:r + key_n] += 10 ** (kb["release_db"] / 20) * _strike(rng, kb, key_n, detune * 1.1, gain)
        gap = mean_gap * rng.lognormal(0.0, 0.35) * (1.6 if long_key else 1.0)
        t += min(gap, 0.4)
    x = x[:total]
    peak = np.max(np.abs(x)) or 1.0
    return (x / peak * 10 ** (rng.uniform(-12, -3) / 20)).astype(np.float32)


# ---------------------------------------------------------------------------------------------
# The lists and the renderer fetch.py calls

def candidates(n_speech=180, n_music=120, n_alarm=160, n_typing=90):
    """Candidate rows (class, package, path, group, licence, note): files spread over voices,
    GM program families and recipes. curate.py caps them below half of each class."""
    rows = []
    voices = [(lang, v) for lang, _ in speech_voices() for v in VARIANTS]
    # a fixed, spread-out choice of voices: one clip per voice, voices drawn without replacement
    rng = np.random.default_rng(20261203)
    for i, k in enumerate(rng.permutation(len(voices))[:n_speech]):
        lang, variant = voices[k]
        voice = f"{lang}+{variant}"
        rows.append({"class": "Speech", "package": ESPEAK, "path": f"speech/{voice}/{i:04d}.wav",
                     "group": f"espeak:{voice}", "licence": LICENCES[ESPEAK],
                     "note": "espeak-ng speech, pseudo-words and numbers"})
    for i in range(n_music):
        fam = GM_FAMILIES[i % len(GM_FAMILIES)]
        rows.append({"class": "Music", "package": FLUIDSYNTH, "path": f"music/{fam}/{i:04d}.wav",
                     "group": f"fluidsynth:{fam}", "licence": LICENCES[FLUIDSYNTH],
                     "note": "generated MIDI rendered with fluidsynth + FluidR3_GM"})
    for i in range(n_alarm):
        recipe = ALARM_RECIPES[i % len(ALARM_RECIPES)]
        rows.append({"class": "Alarm", "package": SYNTH_ALARM, "path": f"alarm/{recipe}/{i:04d}.wav",
                     "group": f"synth-alarm:{recipe}", "licence": LICENCES[SYNTH_ALARM],
                     "note": f"synthesised {recipe}"})
    for i in range(n_typing):
        kind = KEYBOARD_KINDS[i % len(KEYBOARD_KINDS)]
        folder = f"typing/{kind}-{i // len(KEYBOARD_KINDS):02d}"     # one clip per keyboard
        rows.append({"class": "Typing", "package": SYNTH_KEYS, "path": f"{folder}/{i:04d}.wav",
                     "group": f"synth-keys:{folder.split('/')[1]}", "licence": LICENCES[SYNTH_KEYS],
                     "note": f"synthesised typing, {kind} keyboard"})
    return rows


def render(package, path):
    """Audio of one generated clip: WAV bytes (espeak, fluidsynth) or float32 samples at 16 kHz."""
    if package == ESPEAK:
        return render_speech(path)
    if package == FLUIDSYNTH:
        return render_music(path)
    if package == SYNTH_ALARM:
        return synth_alarm(path)
    if package == SYNTH_KEYS:
        return synth_typing(path)
    raise ValueError(f"{package}: not a generated source (known: {', '.join(PACKAGES)})")


CANDIDATE_COLUMNS = ["class", "package", "path", "group", "licence", "note"]


def main():
    rows = candidates()
    out = DATA / "generated-candidates.tsv"
    with open(out, "w", newline="") as f:
        w = csv.DictWriter(f, CANDIDATE_COLUMNS, delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} rows to {out}")
    from .fetch import fetch_lists
    return 1 if fetch_lists([out], workers=int(os.environ.get("FETCH_WORKERS", "2"))) else 0


if __name__ == "__main__":
    sys.exit(main())

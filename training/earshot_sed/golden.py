"""Golden feature files for the Java feature extractor and ONNX session (models/golden/).

make_wavs() builds four short 16 kHz mono 16-bit WAVs from test-split sources (committed, so
Java never needs the cache); write_json() stores, for each, the float64 log-mel matrix, the
normalised model input and the float32 eval-mode model outputs.
"""
import json
from pathlib import Path

import numpy as np
import torch

from .audio_io import read_wav, write_wav
from .features import logmel, normalise
from .fetch import clip_path
from .soundscapes import coloured_noise

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "models" / "golden"

SPEECH = ("asterisk-core-sounds-en-wav", "usr/share/asterisk/sounds/en_US_f_Allison/conf-userwilljoin.wav")
SPEECH_SHORT = ("asterisk-core-sounds-en-wav", "usr/share/asterisk/sounds/en_US_f_Allison/vm-and.wav")
ALARM = ("yaru-theme-sound", "usr/share/sounds/Yaru/stereo/dialog-question.oga")
BLAST = ("supertuxkart-data", "usr/share/games/supertuxkart/data/sfx/explosion.ogg")
SOURCES = {
    "speech.wav": [SPEECH],
    "speech_silence_alarm.wav": [SPEECH_SHORT, ALARM],
    "transient.wav": [BLAST],
    "noise_ramp.wav": [],
}


def _clip(src):
    return read_wav(clip_path(*src))[0]


def make_wavs():
    GOLDEN.mkdir(parents=True, exist_ok=True)
    sr = 16000
    # 1. a spoken sentence, 1.8 s
    write_wav(GOLDEN / "speech.wav", _clip(SPEECH)[: 2 * sr])
    # 2. a word, 0.5 s of digital silence (exact zeros: the log floor), then a chime
    x = np.concatenate([_clip(SPEECH_SHORT), np.zeros(sr // 2), _clip(ALARM)])
    write_wav(GOLDEN / "speech_silence_alarm.wav", x)
    # 3. quiet pink noise with a loud blast at 0.3 s (peak 0.95)
    rng = np.random.default_rng(11)
    n = int(1.5 * sr)
    x = 0.003 * coloured_noise(rng, n, 1.0).astype(np.float64)
    blast = _clip(BLAST)[: n - int(0.3 * sr)]
    blast = 0.95 * blast / np.max(np.abs(blast))
    x[int(0.3 * sr): int(0.3 * sr) + len(blast)] += blast
    write_wav(GOLDEN / "transient.wav", np.clip(x, -1, 32767 / 32768))
    # 4. white noise rising from -80 to -6 dBFS over 1 s, with an odd sample count (length edge)
    n = sr + 777
    x = coloured_noise(rng, n, 0.0) * 10 ** (np.linspace(-80, -6, n) / 20)
    write_wav(GOLDEN / "noise_ramp.wav", np.clip(x, -1, 32767 / 32768))


def _round(a, digits=10):
    return [[float(f"{v:.{digits}g}") for v in row] for row in np.atleast_2d(a)]


def write_json(model, mean, std):
    model.eval()
    for wav in sorted(GOLDEN.glob("*.wav")):
        x, rate = read_wav(wav)
        assert rate == 16000, wav
        feats = logmel(x)                              # float64
        inp = normalise(feats, mean, std)
        with torch.no_grad():
            frame, clip = model(torch.from_numpy(inp.astype(np.float32))[None])
        doc = {"wav": wav.name, "num_samples": len(x), "logmel": _round(feats), "input": _round(inp),
               "frame_probs": _round(frame[0].numpy()), "clip_probs": _round(clip[0].numpy())[0]}
        (GOLDEN / (wav.stem + ".json")).write_text(json.dumps(doc, separators=(",", ":")))

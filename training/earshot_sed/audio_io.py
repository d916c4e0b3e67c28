"""Small audio helpers: 16-bit PCM WAV read/write, ffmpeg decoding, silence trimming."""
import subprocess
import wave

import numpy as np

from .features import SAMPLE_RATE


def read_wav(path):
    """Mono 16-bit WAV -> float64 samples in [-1, 1] (PCM / 32768)."""
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            raise ValueError(f"{path}: expected 16-bit mono WAV")
        rate = w.getframerate()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return data.astype(np.float64) / 32768.0, rate


def to_pcm16(samples):
    return np.clip(np.round(np.asarray(samples) * 32768.0), -32768, 32767).astype("<i2")


def write_wav(path, samples, rate=SAMPLE_RATE):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(to_pcm16(samples).tobytes())


def decode_bytes(data, name="input"):
    """Decode any ffmpeg-readable audio (bytes) to 16 kHz mono float32."""
    proc = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", "pipe:0", "-ac", "1", "-ar", str(SAMPLE_RATE),
         "-f", "f32le", "pipe:1"],
        input=data, capture_output=True, check=False)
    if proc.returncode != 0:
        raise ValueError(f"{name}: ffmpeg failed: {proc.stderr.decode(errors='replace')[:300]}")
    return np.frombuffer(proc.stdout, dtype="<f4").astype(np.float32)


def frame_db(x, frame=320):
    """dBFS of consecutive 20 ms frames (RMS)."""
    n = len(x) // frame
    if n == 0:
        return np.array([-120.0])
    f = np.asarray(x[: n * frame], dtype=np.float64).reshape(n, frame)
    return 10 * np.log10(np.mean(f * f, axis=1) + 1e-12)


def trim_silence(x, rel_db=40.0, floor_db=-70.0, margin=160, frame=320):
    """Cut leading/trailing frames quieter than max(loudest - rel_db, floor_db)."""
    db = frame_db(x, frame)
    thr = max(db.max() - rel_db, floor_db)
    active = np.nonzero(db > thr)[0]
    if active.size == 0:
        return x[:0]
    start = max(0, active[0] * frame - margin)
    end = min(len(x), (active[-1] + 1) * frame + margin)
    return x[start:end]

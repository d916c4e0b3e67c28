"""Log-mel features exactly as the model manifest specifies them (numpy only, no torch).

The Java detector implements the same contract; the golden files in models/golden prove both agree.
Frame i covers samples [i*HOP, i*HOP + N_FFT) of the stream: no centring, no padding.
"""
import numpy as np

SAMPLE_RATE = 16000
N_FFT = 1024
HOP = 256
N_MELS = 64
FMIN = 50.0
FMAX = 8000.0
LOG_OFFSET = 1e-6
TIME_POOLING = 4
# An output frame summarises input frames 4j..4j+3; their centres span samples
# [384 + 1024 j, 384 + 1024 (j + 1)).
FRAME_HOP_SAMPLES = HOP * TIME_POOLING
FRAME_OFFSET_SAMPLES = (N_FFT - HOP) // 2


def hz_to_mel(f):
    return 2595.0 * np.log10(1.0 + np.asarray(f, dtype=np.float64) / 700.0)


def mel_to_hz(m):
    return 700.0 * (10.0 ** (np.asarray(m, dtype=np.float64) / 2595.0) - 1.0)


def periodic_hann(n=N_FFT):
    return 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n) / n)


def mel_filterbank():
    """(N_MELS, N_FFT//2+1) triangular HTK filters, peak 1, no area normalisation."""
    edges = mel_to_hz(np.linspace(hz_to_mel(FMIN), hz_to_mel(FMAX), N_MELS + 2))
    freqs = np.arange(N_FFT // 2 + 1) * SAMPLE_RATE / N_FFT
    fb = np.zeros((N_MELS, freqs.size))
    for m in range(N_MELS):
        lo, c, hi = edges[m], edges[m + 1], edges[m + 2]
        up = (freqs - lo) / (c - lo)
        down = (hi - freqs) / (hi - c)
        fb[m] = np.maximum(0.0, np.minimum(up, down))
    return fb


_WINDOW = periodic_hann()
_FB = mel_filterbank()


def num_frames(num_samples):
    return 0 if num_samples < N_FFT else (num_samples - N_FFT) // HOP + 1


def logmel(samples, dtype=np.float64):
    """Log-mel matrix (frames, 64) of mono samples in [-1, 1]."""
    x = np.asarray(samples, dtype=np.float64)
    n = num_frames(x.size)
    if n == 0:
        return np.zeros((0, N_MELS), dtype=dtype)
    idx = np.arange(N_FFT)[None, :] + HOP * np.arange(n)[:, None]
    spec = np.fft.rfft(x[idx] * _WINDOW, n=N_FFT, axis=1)
    power = spec.real ** 2 + spec.imag ** 2
    return np.log(power @ _FB.T + LOG_OFFSET).astype(dtype)


def normalise(features, mean, std):
    return (features - np.asarray(mean)) / np.asarray(std)


def output_frame_bounds(j):
    """Sample interval [start, end) that output frame j stands for."""
    start = FRAME_OFFSET_SAMPLES + FRAME_HOP_SAMPLES * j
    return start, start + FRAME_HOP_SAMPLES


def num_output_frames(num_input_frames):
    return -(-num_input_frames // TIME_POOLING)

"""CRNN in the DCASE-baseline family with shift-robust pooling (BlurPool) or plain max pooling.

Input  logmel      (batch, time, 64), normalised log-mel.
Output frame_probs (batch, ceil(time/4), 12) sigmoid; clip_probs (batch, 12) by linear-softmax
pooling over time (sum p^2 / sum p), which keeps clip and frame outputs consistent.
"""
import torch
import torch.nn.functional as F
from torch import nn

from .labels import LABELS


def _shift_max(x, dim):
    """max(x[i], x[i+1]) along dim, the last element repeating itself (length kept)."""
    n = x.shape[dim]
    nxt = torch.cat([x.narrow(dim, 1, n - 1), x.narrow(dim, n - 1, 1)], dim=dim)
    return torch.maximum(x, nxt)


def _blur_subsample(x, dim):
    """Binomial [1, 2, 1] / 4 low-pass, then keep every second sample (zero beyond the edges):
    y[j] = (x[2j-1] + 2 x[2j] + x[2j+1]) / 4, ceil(n / 2) outputs."""
    n = x.shape[dim]
    zero = x.narrow(dim, 0, 1) * 0.0
    prev = torch.cat([zero, x.narrow(dim, 0, n - 1)], dim=dim)
    nxt = torch.cat([x.narrow(dim, 1, n - 1), zero], dim=dim)
    idx = [slice(None)] * x.dim()
    idx[dim] = slice(0, None, 2)
    idx = tuple(idx)
    return (prev[idx] + 2.0 * x[idx] + nxt[idx]) * 0.25


class MaxBlurPool(nn.Module):
    """Max over the pooling window at stride 1, then a binomial low-pass, then subsampling
    (Zhang 2019, "Making convolutional networks shift-invariant again") along time; plain max
    pooling along frequency. Pooling factor 1 or 2 per axis; an axis of length n comes out with
    ceil(n / 2) steps, like MaxPool2d(ceil_mode=True).
    Written with shifted views and elementwise ops: far faster to train in torch on a CPU than
    max_pool2d(stride=1) + a depthwise conv, and it exports to plain Slice/Concat/Max/Add/Mul."""

    def __init__(self, stride):
        super().__init__()
        if any(s not in (1, 2) for s in stride):
            raise ValueError(f"MaxBlurPool supports strides 1 or 2, got {stride}")
        self.stride = tuple(stride)

    def forward(self, x):
        # Frequency needs no shift invariance (the mel grid is fixed): plain max pooling there,
        # first, so the time-axis work runs on the smaller tensor.
        if self.stride[1] == 2:
            x = F.max_pool2d(x, (1, 2), (1, 2), ceil_mode=True)
        if self.stride[0] == 2:
            x = _blur_subsample(_shift_max(x, 2), 2)
        return x


class ConvBlock(nn.Module):
    def __init__(self, c_in, c_out, pool, blur, freq_stride=1):
        super().__init__()
        # A frequency stride in the first conv halves the largest tensor; it does not touch time,
        # so it costs no shift robustness.
        self.conv = nn.Conv2d(c_in, c_out, 3, stride=(1, freq_stride), padding=1, bias=False)
        self.bn = nn.BatchNorm2d(c_out)
        if pool == (1, 1):
            self.pool = nn.Identity()
        else:
            self.pool = MaxBlurPool(pool) if blur else nn.MaxPool2d(pool, pool, ceil_mode=True)

    def forward(self, x):
        return self.pool(F.relu(self.bn(self.conv(x))))


class CRNN(nn.Module):
    def __init__(self, n_mels=64, n_classes=len(LABELS), channels=(16, 32, 64, 64, 64),
                 pools=((2, 2), (2, 2), (1, 2), (1, 2), (1, 1)), stem_freq_stride=2, rnn_hidden=64,
                 rnn_layers=2, dropout=0.2, blur=True):
        super().__init__()
        blocks, c_in, f = [], 1, -(-n_mels // stem_freq_stride)
        for i, (c, p) in enumerate(zip(channels, pools)):
            blocks.append(ConvBlock(c_in, c, tuple(p), blur, stem_freq_stride if i == 0 else 1))
            c_in, f = c, -(-f // p[1])
        self.cnn = nn.Sequential(*blocks)
        self.drop = nn.Dropout(dropout)
        self.rnn = nn.GRU(c_in * f, rnn_hidden, num_layers=rnn_layers, batch_first=True,
                          bidirectional=True, dropout=dropout if rnn_layers > 1 else 0.0)
        self.head = nn.Linear(2 * rnn_hidden, n_classes)
        self.time_pooling = 1
        for p in pools:
            self.time_pooling *= p[0]
        self.config = dict(n_mels=n_mels, n_classes=n_classes, channels=list(channels),
                           pools=[list(p) for p in pools], stem_freq_stride=stem_freq_stride,
                           rnn_hidden=rnn_hidden, rnn_layers=rnn_layers, dropout=dropout, blur=blur)

    def forward(self, logmel):
        x = self.cnn(logmel.unsqueeze(1))          # (B, C, T', F')
        x = x.permute(0, 2, 1, 3).flatten(2)       # (B, T', C*F')
        x, _ = self.rnn(self.drop(x))
        frame = torch.sigmoid(self.head(x))        # (B, T', K)
        clip = (frame * frame).sum(1) / frame.sum(1).clamp_min(1e-7)
        return frame, clip


def count_params(model):
    return sum(p.numel() for p in model.parameters())

"""Streaming CRNN: causal convolutions with carried caches, a unidirectional GRU, a fixed look-ahead.

Every time operation looks only backwards, so the network can run block by block with a small
carried state (the last input frames each convolution and pooling needs, plus the GRU hidden
state) and give exactly what it gives on the whole stream at once: `forward` (training, offline
evaluation) is the block computation with an all-zero initial state, so the two cannot drift apart.

Look-ahead is bought by delay, not by acausal layers: model output j is trained to predict decision
frame j - lookahead_frames. The detector therefore waits lookahead_frames output frames (x 64 ms)
for a decision, and the model may use that much future audio to make it.

Contract with the Java detector: docs/model-manifest.md ("kind": "streaming").
Input  logmel (batch, time, 64) normalised log-mel, time a multiple of 4 (time_pooling).
Output frame_probs (batch, time / 4, K).
"""
import torch
import torch.nn.functional as F
from torch import nn

from .labels import LABELS

CONV_CONTEXT = 2   # a time kernel of 3 needs the two previous frames


class CausalConvBlock(nn.Module):
    """3x3 conv (causal in time, 'same' in frequency), BN, ReLU, max pooling in frequency, causal
    max-blur pooling in time (max over the frame and the one before, then a [1,2,1]/4 low-pass
    that keeps every second frame: shift-robust like BlurPool, and causal)."""

    def __init__(self, c_in, c_out, pool, freq_stride=1):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, 3, stride=(1, freq_stride), padding=(0, 1), bias=False)
        self.bn = nn.BatchNorm2d(c_out)
        self.time_stride, self.freq_pool = pool
        if self.time_stride not in (1, 2) or self.freq_pool not in (1, 2):
            raise ValueError(f"pooling factors must be 1 or 2, got {pool}")
        self.freq_stride = freq_stride

    def state_shapes(self, c_in, f_in):
        """Per-batch-row shapes of the carried tensors, given the block's input channels/bins."""
        f_conv = -(-f_in // self.freq_stride)
        f_out = -(-f_conv // self.freq_pool)
        shapes = [(c_in, CONV_CONTEXT, f_in)]
        if self.time_stride == 2:
            c_out = self.conv.out_channels
            shapes += [(c_out, 1, f_out), (c_out, 1, f_out)]
        return shapes, f_out

    def forward(self, x, states):
        """x (B, C, T, F); states: the tensors of state_shapes. Returns (y, new states)."""
        conv_cache = states[0]
        z = torch.cat([conv_cache, x], dim=2)
        new = [z[:, :, z.shape[2] - CONV_CONTEXT:]]
        y = F.relu(self.bn(self.conv(z)))
        if self.freq_pool == 2:
            y = F.max_pool2d(y, (1, 2), (1, 2), ceil_mode=True)
        if self.time_stride == 2:
            prev_x, prev_m = states[1], states[2]
            zx = torch.cat([prev_x, y], dim=2)                       # T + 1
            m = torch.maximum(zx[:, :, :-1], zx[:, :, 1:])          # m[i] = max(y[i-1], y[i])
            zm = torch.cat([prev_m, m], dim=2)                      # w[0] = m[-1]
            n = m.shape[2]
            y_out = (zm[:, :, 0:n:2] + 2.0 * zm[:, :, 1:n + 1:2] + zm[:, :, 2:n + 1:2]) * 0.25
            new += [y[:, :, n - 1:], m[:, :, n - 1:]]
            y = y_out
        return y, new


class StreamingCRNN(nn.Module):
    def __init__(self, n_mels=64, n_classes=len(LABELS), channels=(16, 32, 64, 64, 64),
                 pools=((2, 2), (2, 2), (1, 2), (1, 2), (1, 1)), stem_freq_stride=2, rnn_hidden=96,
                 rnn_layers=2, dropout=0.2, lookahead_frames=8, block_frames=8):
        super().__init__()
        self.blocks = nn.ModuleList()
        self._shapes = []
        c_in, f = 1, n_mels
        for i, (c, p) in enumerate(zip(channels, pools)):
            block = CausalConvBlock(c_in, c, tuple(p), stem_freq_stride if i == 0 else 1)
            shapes, f = block.state_shapes(c_in, f)
            self._shapes.append(shapes)
            self.blocks.append(block)
            c_in = c
        self.drop = nn.Dropout(dropout)
        self.rnn = nn.GRU(c_in * f, rnn_hidden, num_layers=rnn_layers, batch_first=True,
                          dropout=dropout if rnn_layers > 1 else 0.0)
        self.head = nn.Linear(rnn_hidden, n_classes)
        self.time_pooling = 1
        for p in pools:
            self.time_pooling *= p[0]
        self.rnn_layers, self.rnn_hidden = rnn_layers, rnn_hidden
        self.lookahead_frames, self.block_frames = lookahead_frames, block_frames
        self.config = dict(n_mels=n_mels, n_classes=n_classes, channels=list(channels),
                           pools=[list(p) for p in pools], stem_freq_stride=stem_freq_stride,
                           rnn_hidden=rnn_hidden, rnn_layers=rnn_layers, dropout=dropout,
                           lookahead_frames=lookahead_frames, block_frames=block_frames)

    # ---- state layout: conv/pool caches in block order, then the GRU hidden state ----
    def state_sizes(self):
        sizes = []
        for shapes in self._shapes:
            for s in shapes:
                sizes.append(s[0] * s[1] * s[2])
        sizes.append(self.rnn_layers * self.rnn_hidden)
        return sizes

    @property
    def state_size(self):
        return sum(self.state_sizes())

    def zero_state(self, batch):
        return torch.zeros(batch, self.state_size)

    def _unflatten(self, state):
        tensors, pos = [], 0
        for shapes in self._shapes:
            group = []
            for s in shapes:
                n = s[0] * s[1] * s[2]
                group.append(state[:, pos:pos + n].reshape(-1, s[0], s[1], s[2]))
                pos += n
            tensors.append(group)
        h = state[:, pos:pos + self.rnn_layers * self.rnn_hidden]
        h = h.reshape(-1, self.rnn_layers, self.rnn_hidden).transpose(0, 1).contiguous()
        return tensors, h

    def step(self, logmel, state):
        """One block (or a whole sequence): logmel (B, T, mels) with T % time_pooling == 0,
        state (B, S). Returns frame_probs (B, T / time_pooling, K) and the new state (B, S)."""
        caches, h = self._unflatten(state)
        x = logmel.unsqueeze(1)                                     # (B, 1, T, F)
        flat = []
        for block, cache in zip(self.blocks, caches):
            x, new = block(x, cache)
            flat += [t.flatten(1) for t in new]
        x = x.permute(0, 2, 1, 3).flatten(2)                        # (B, T', C*F')
        x, h = self.rnn(self.drop(x), h)
        frame = torch.sigmoid(self.head(x))
        flat.append(h.transpose(0, 1).flatten(1))
        return frame, torch.cat(flat, dim=1)

    def forward(self, logmel):
        """Offline: the whole sequence from a zero state (exactly the block computation)."""
        frame, _ = self.step(logmel, self.zero_state(logmel.shape[0]))
        return frame


class StreamingExport(nn.Module):
    """The ONNX graph of one block: (logmel, state_in) -> (frame_probs, state_out)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, logmel, state_in):
        return self.model.step(logmel, state_in)


def decision_frames(model_out, lookahead_frames, num_decisions):
    """Model outputs (T', K) of a stream from its start -> decision frames (M, K): output j
    predicts decision frame j - lookahead_frames."""
    return model_out[lookahead_frames:lookahead_frames + num_decisions]


def padded_input(features, model):
    """Normalised features (F, mels) of a whole stream, zero-padded at the end as the detector
    does at end of stream: to whole blocks, until decision frame ceil(F/4) - 1 is produced."""
    tp, bf, la = model.time_pooling, model.block_frames, model.lookahead_frames
    n_dec = -(-features.shape[0] // tp)
    need_out = n_dec + la
    blocks = -(-need_out // bf)
    total = blocks * bf * tp
    pad = torch.zeros(total - features.shape[0], features.shape[1], dtype=features.dtype)
    return torch.cat([features, pad]), n_dec


@torch.no_grad()
def reference_stream(model, features):
    """Decision-frame probabilities (M, K) of one whole stream of normalised features (F, mels),
    exactly as the detector computes them block by block (see docs/model-manifest.md)."""
    model.eval()
    x, n_dec = padded_input(torch.as_tensor(features, dtype=torch.float32), model)
    out = model(x[None])[0]
    return decision_frames(out, model.lookahead_frames, n_dec)


@torch.no_grad()
def blockwise_stream(model, features):
    """The same as reference_stream, computed block by block with the carried state (tests)."""
    model.eval()
    x, n_dec = padded_input(torch.as_tensor(features, dtype=torch.float32), model)
    step = model.block_frames * model.time_pooling
    state, outs = model.zero_state(1), []
    for start in range(0, x.shape[0], step):
        out, state = model.step(x[None, start:start + step], state)
        outs.append(out[0])
    return decision_frames(torch.cat(outs), model.lookahead_frames, n_dec)

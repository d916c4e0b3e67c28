"""The streaming CRNN gives the same frames block by block as on the whole stream (torch needed:
skipped where Debian's python3-torch is not installed, as in CI)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from earshot_sed.stream_model import StreamingCRNN, blockwise_stream, padded_input, reference_stream  # noqa: E402


def _model(**kw):
    torch.manual_seed(0)
    m = StreamingCRNN(**kw)
    for mod in m.modules():
        if isinstance(mod, torch.nn.BatchNorm2d):
            mod.running_mean.uniform_(-0.5, 0.5)
            mod.running_var.uniform_(0.5, 2.0)
    return m.eval()


@pytest.mark.parametrize("frames", [4, 31, 32, 33, 777])
def test_blockwise_equals_whole_stream(frames):
    m = _model()
    f = torch.randn(frames, 64)
    a, b = reference_stream(m, f), blockwise_stream(m, f)
    assert a.shape == (-(-frames // 4), 12)
    assert torch.max(torch.abs(a - b)).item() < 1e-5


def test_output_is_causal_up_to_the_lookahead():
    """Changing feature frames from t on leaves every decision frame that the model had output
    before seeing them unchanged: decision m depends on input frames < 4 (m + lookahead + 1)."""
    m = _model(lookahead_frames=4)
    f = torch.randn(400, 64)
    g = f.clone()
    g[200:] = torch.randn(200, 64)
    a, b = reference_stream(m, f), reference_stream(m, g)
    last_safe = 200 // 4 - 4 - 1
    assert torch.max(torch.abs(a[:last_safe] - b[:last_safe])).item() == 0.0
    assert torch.max(torch.abs(a[last_safe + 2:] - b[last_safe + 2:])).item() > 0.0


def test_state_size_is_what_the_state_holds():
    m = _model()
    _, state = m.step(torch.randn(2, 32, 64), m.zero_state(2))
    assert state.shape == (2, m.state_size)
    x, n = padded_input(torch.randn(50, 64), m)
    assert n == 13 and x.shape[0] % 32 == 0 and x.shape[0] >= (n + m.lookahead_frames) * 4


@pytest.mark.parametrize("block", [2, 4, 16])
def test_block_size_does_not_change_the_decisions(block):
    """export_v2 --block-frames exports trained weights with another block: the same decision frames
    (the end is padded to whole blocks, which the decisions of real frames never see)."""
    m8 = _model()
    other = _model(block_frames=block)
    other.load_state_dict(m8.state_dict())
    other.eval()
    f = torch.randn(301, 64)
    a, b = blockwise_stream(m8, f), blockwise_stream(other, f)
    assert a.shape == b.shape
    assert torch.max(torch.abs(a - b)).item() < 1e-5

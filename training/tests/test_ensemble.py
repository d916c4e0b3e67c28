"""The probability ensemble gives each member its own normalisation and averages their outputs."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from earshot_sed.ensemble import ProbabilityEnsemble  # noqa: E402
from earshot_sed.model import CRNN  # noqa: E402


def _member(seed, **cfg):
    torch.manual_seed(seed)
    return CRNN(**cfg).eval()


def test_members_see_their_own_normalisation_and_probabilities_are_averaged():
    rng = np.random.default_rng(0)
    raw = torch.from_numpy(rng.normal(-6.0, 3.0, (2, 96, 64)).astype(np.float32))  # log-mel, unnormalised
    stats = [(rng.normal(-6, 1, 64), rng.uniform(1, 4, 64)), (rng.normal(-5, 1, 64), rng.uniform(1, 4, 64))]
    small = _member(1)
    wide = _member(2, channels=(16, 32, 64, 128, 128), rnn_hidden=96)
    ens = ProbabilityEnsemble([small, wide], stats, *stats[0]).eval()

    def norm(x, mean, std):
        return (x - torch.as_tensor(mean, dtype=torch.float32)) / torch.as_tensor(std, dtype=torch.float32)

    with torch.no_grad():
        f_ens, c_ens = ens(norm(raw, *stats[0]))
        outs = [m(norm(raw, *s)) for m, s in zip((small, wide), stats)]
    f_mean = (outs[0][0] + outs[1][0]) / 2
    c_mean = (outs[0][1] + outs[1][1]) / 2
    assert torch.allclose(f_ens, f_mean, atol=1e-5)
    assert torch.allclose(c_ens, c_mean, atol=1e-5)
    # and not the members' outputs on the shared input: the renormalisation matters here
    with torch.no_grad():
        unnormalised = (small(norm(raw, *stats[0]))[0] + wide(norm(raw, *stats[0]))[0]) / 2
    assert not torch.allclose(f_ens, unnormalised, atol=1e-3)


def test_one_member_is_that_member():
    x = torch.randn(1, 48, 64)
    m = _member(3)
    stats = (np.zeros(64), np.ones(64))
    ens = ProbabilityEnsemble([m], [stats], *stats).eval()
    with torch.no_grad():
        assert torch.allclose(ens(x)[0], m(x)[0], atol=1e-6)


def test_members_must_share_the_feature_layout():
    with pytest.raises(ValueError, match="feature layout"):
        ProbabilityEnsemble([_member(4)], [(np.zeros(40), np.ones(40))], np.zeros(64), np.ones(64))
    with pytest.raises(ValueError, match="at least one"):
        ProbabilityEnsemble([], [], np.zeros(64), np.ones(64))

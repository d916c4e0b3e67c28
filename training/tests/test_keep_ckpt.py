"""A compacted checkpoint (Adam moments in bfloat16) resumes: the optimizer loads it as float32 and
steps; the moments differ from the originals only by bfloat16 rounding."""
import pytest

torch = pytest.importorskip("torch")

from earshot_sed.keep_ckpt import compact_optimizer_state  # noqa: E402


def test_compacted_adam_state_resumes_in_float32():
    torch.manual_seed(0)
    model = torch.nn.Linear(5, 3)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(3):
        opt.zero_grad()
        model(torch.randn(8, 5)).pow(2).sum().backward()
        opt.step()
    full = opt.state_dict()
    small = compact_optimizer_state(full)
    assert all(s["exp_avg"].dtype == torch.bfloat16 for s in small["state"].values())
    assert all(s["exp_avg"].dtype == torch.float32 for s in full["state"].values())  # original untouched
    resumed = torch.optim.Adam(model.parameters(), lr=1e-3)
    resumed.load_state_dict(small)
    for p in model.parameters():
        s, f = resumed.state[p], opt.state[p]
        assert s["exp_avg"].dtype == torch.float32
        assert torch.allclose(s["exp_avg"], f["exp_avg"], rtol=1e-2, atol=1e-8)
        assert torch.allclose(s["exp_avg_sq"], f["exp_avg_sq"], rtol=1e-2, atol=1e-12)
    resumed.zero_grad()
    model(torch.randn(8, 5)).pow(2).sum().backward()
    resumed.step()
    assert all(torch.isfinite(p).all() for p in model.parameters())

"""The model soup averages floating-point weights and keeps counters."""
import pytest

torch = pytest.importorskip("torch")

from earshot_sed.soup import soup  # noqa: E402


def test_soup_is_the_mean_of_float_weights_and_keeps_counters():
    a = {"w": torch.tensor([1.0, 2.0]), "bn.running_var": torch.tensor([4.0]), "bn.num_batches_tracked": torch.tensor(7)}
    b = {"w": torch.tensor([3.0, 6.0]), "bn.running_var": torch.tensor([2.0]), "bn.num_batches_tracked": torch.tensor(9)}
    s = soup([a, b])
    assert torch.equal(s["w"], torch.tensor([2.0, 4.0]))
    assert torch.equal(s["bn.running_var"], torch.tensor([3.0]))
    assert s["bn.num_batches_tracked"].item() == 7  # the first ingredient's, not a mean
    assert torch.equal(a["w"], torch.tensor([1.0, 2.0]))  # ingredients untouched


def test_soup_of_identical_weights_is_those_weights():
    torch.manual_seed(0)
    m = torch.nn.Linear(4, 3)
    s = soup([m.state_dict(), m.state_dict(), m.state_dict()])
    for k, v in m.state_dict().items():
        assert torch.allclose(s[k], v)

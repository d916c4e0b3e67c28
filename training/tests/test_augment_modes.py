"""The trainer's augmentation modes (torch needed for the dataset class: skipped where Debian's
python3-torch is not installed)."""
import pytest

pytest.importorskip("torch")

from earshot_sed.onthefly import AUGMENT_MODES, OnTheFlyBatches  # noqa: E402


@pytest.mark.parametrize("given, mode", [(True, "full"), (False, "none"), ("full", "full"), ("light", "light"),
                                         ("none", "none")])
def test_modes_and_the_old_boolean(given, mode):
    assert OnTheFlyBatches("train", 2, 7, 0, [0.0] * 64, [1.0] * 64, augment=given).augment == mode


def test_an_unknown_mode_is_refused_by_name():
    with pytest.raises(ValueError, match="heavy"):
        OnTheFlyBatches("train", 2, 7, 0, [0.0] * 64, [1.0] * 64, augment="heavy")
    assert AUGMENT_MODES == ("full", "light", "none")

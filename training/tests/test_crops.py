import numpy as np
import torch

from earshot_sed.onthefly import random_crops
from earshot_sed.train_otf import validation_crops


def _ramp(batch, frames, k=3):
    # feature value = frame index, target of output frame j = j: alignment is visible in the values
    f = np.tile(np.arange(frames, dtype=np.float32)[None, :, None], (batch, 1, 64))
    t = np.tile(np.arange(-(-frames // 4), dtype=np.float32)[None, :, None], (batch, 1, k))
    return f, t


def test_crops_keep_features_and_targets_aligned():
    f, t = _ramp(8, 625)
    fc, tc = random_crops(np.random.default_rng(3), f, t, 248)
    assert fc.shape == (8, 248, 64) and tc.shape == (8, 62, 3)
    for i in range(8):
        start = int(fc[i, 0, 0])
        assert start % 4 == 0 and start + 248 <= 625
        assert tc[i, 0, 0] == start // 4
        np.testing.assert_array_equal(fc[i, :, 0], np.arange(start, start + 248))
        np.testing.assert_array_equal(tc[i, :, 0], np.arange(start // 4, start // 4 + 62))


def test_crops_are_deterministic_per_seed_and_vary_across_examples():
    f, t = _ramp(16, 625)
    a = random_crops(np.random.default_rng(11), f, t, 248)[0][:, 0, 0]
    b = random_crops(np.random.default_rng(11), f, t, 248)[0][:, 0, 0]
    np.testing.assert_array_equal(a, b)
    assert len(set(a.tolist())) > 1


def test_crop_length_is_checked():
    f, t = _ramp(2, 100)
    for bad in (250, 104):
        try:
            random_crops(np.random.default_rng(0), f, t, bad)
        except ValueError as e:
            assert str(bad) in str(e)
        else:
            raise AssertionError(f"crop {bad} accepted")


def test_validation_crops_are_consecutive_and_aligned():
    f, t = _ramp(3, 625)
    xs, ys = validation_crops(torch.from_numpy(f), torch.from_numpy(t), 248)
    assert xs.shape == (6, 248, 64) and ys.shape == (6, 62, 3)
    assert xs[0, 0, 0] == 0 and xs[3, 0, 0] == 248
    assert ys[3, 0, 0] == 62


def test_branch_from_a_run_that_kept_only_its_selected_weights(tmp_path):
    import json
    from earshot_sed.train_otf import build_model, load_branch_source, model_from_checkpoint
    model = build_model("crnn", "small")
    torch.save({"state": model.state_dict(), "config": model.config, "arch": "crnn", "step": 600,
                "mean": [0.0] * 64, "std": [1.0] * 64}, tmp_path / "best.pt")
    hist = {"args": {"lr": 1e-3, "steps": 800}, "history": [{"step": 400}, {"step": 600}, {"step": 800}],
            "best_frame_macro_ap": 0.3, "spent": {"wall_s": 1.0, "cpu_s": 1.0, "clip_s": 5.0}}
    (tmp_path / "history.json").write_text(json.dumps(hist))
    ckpt = load_branch_source(tmp_path)
    assert ckpt["step"] == 600 and [h["step"] for h in ckpt["history"]] == [400, 600]
    rebuilt = model_from_checkpoint(ckpt)
    rebuilt.load_state_dict(ckpt["state"])
    for k, v in model.state_dict().items():
        assert torch.equal(v, rebuilt.state_dict()[k])
    opt = torch.optim.Adam(rebuilt.parameters())
    opt.load_state_dict(ckpt["opt"])


def test_branch_from_a_run_without_weights_is_refused(tmp_path):
    from earshot_sed.train_otf import load_branch_source
    try:
        load_branch_source(tmp_path)
    except SystemExit as e:
        assert str(tmp_path) in str(e)
    else:
        raise AssertionError("branched from nothing")


def test_cnn_warm_start_gives_a_streaming_model_the_windowed_convolutions():
    from earshot_sed.train_otf import build_model, cnn_warm_start
    torch.manual_seed(1)
    windowed = build_model("crnn", "small")
    for p in windowed.parameters():
        torch.nn.init.normal_(p)
    windowed.cnn[0].bn.running_mean.fill_(0.25)
    torch.manual_seed(2)
    stream = build_model("stream", "small")
    gru_before = stream.rnn.weight_hh_l0.clone()
    copied = cnn_warm_start(stream, windowed.state_dict())
    assert "blocks.0.conv.weight" in copied and not any(n.startswith(("rnn.", "head.")) for n in copied)
    for i, block in enumerate(stream.blocks):
        torch.testing.assert_close(block.conv.weight, windowed.cnn[i].conv.weight, rtol=0, atol=0)
        torch.testing.assert_close(block.bn.running_mean, windowed.cnn[i].bn.running_mean, rtol=0, atol=0)
    torch.testing.assert_close(stream.rnn.weight_hh_l0, gru_before, rtol=0, atol=0)
    # a causal 3x3 convolution is the centred one delayed by a frame: same kernel, same features
    x = torch.randn(1, 1, 20, 32)
    centred = windowed.cnn[0].conv(x)
    causal = stream.blocks[0].conv(torch.cat([x.new_zeros(1, 1, 2, 32), x], dim=2))
    torch.testing.assert_close(causal[:, :, 1:], centred[:, :, :-1])


def test_cnn_warm_start_refuses_another_size():
    from earshot_sed.train_otf import build_model, cnn_warm_start
    try:
        cnn_warm_start(build_model("stream", "base"), build_model("crnn", "small").state_dict())
    except ValueError as e:
        assert "another model size" in str(e)
    else:
        raise AssertionError("a small CRNN's blocks were accepted by a base model")


def test_teacher_sees_its_own_normalisation_and_targets_blend(tmp_path):
    from earshot_sed.train_otf import Teacher, build_model, distilled_targets
    torch.manual_seed(0)
    teacher = build_model("crnn", "small")
    t_mean, t_std = np.linspace(-3, 3, 64), np.linspace(1, 2, 64)
    torch.save({"state": teacher.state_dict(), "config": teacher.config, "arch": "crnn", "step": 800,
                "mean": t_mean.tolist(), "std": t_std.tolist()}, tmp_path / "best.pt")
    s_mean, s_std = np.linspace(0, 1, 64), np.linspace(2, 3, 64)
    t = Teacher(tmp_path, s_mean.tolist(), s_std.tolist())
    raw = torch.randn(2, 64, 64) * 2 + 1
    student_x = (raw - torch.tensor(s_mean, dtype=torch.float32)) / torch.tensor(s_std, dtype=torch.float32)
    teacher_x = (raw - torch.tensor(t_mean, dtype=torch.float32)) / torch.tensor(t_std, dtype=torch.float32)
    torch.testing.assert_close(student_x * t.scale + t.shift, teacher_x, rtol=1e-5, atol=1e-5)
    teacher.eval()
    with torch.no_grad():
        torch.testing.assert_close(t.frames(student_x), teacher(teacher_x)[0], rtol=1e-4, atol=1e-5)
    y, p = torch.tensor([[1.0, 0.0]]), torch.tensor([[0.6, 0.2]])
    torch.testing.assert_close(distilled_targets(y, p, 0.5), torch.tensor([[0.8, 0.1]]))
    try:
        distilled_targets(y, p, 1.5)
    except ValueError as e:
        assert "1.5" in str(e)
    else:
        raise AssertionError("a teacher weight above 1 was accepted")

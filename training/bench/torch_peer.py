"""The plain PyTorch loop the detector is compared with (issue 10, docs/performance.md).

One thread, no Kafka: torchaudio log-mel with the manifest's settings, then the same architecture as
the model the detector runs, on N continuous streams of S seconds:

  --mode streaming  the streaming CRNN (earshot_sed.stream_model.StreamingCRNN, config from the
                    manifest's training.model_config) block by block with carried state, one stream
                    at a time, as the detector runs it (32 frames per block, zero-padded end);
  --mode windowed   the windowed CRNN (earshot_sed.model.CRNN) on windows of --window-frames with a
                    hop of --hop-frames, one window per call, as a plain offline loop would.

Random weights: the cost does not depend on them. Prints one line `audio_s_per_cpu_s=X` (audio
seconds analysed per CPU second of this process) that RealTimeSourcesBench reads when it runs this
script in the same run. Run with Debian's interpreter:
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 training/bench/torch_peer.py --manifest M.json --mode streaming
"""
import argparse
import json
import math
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import torch  # noqa: E402
import torchaudio  # noqa: E402

# after PYTHONPATH, so a checkout named there (one with earshot_sed.stream_model) wins
sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def frontend(manifest):
    f = manifest["features"]
    mel = torchaudio.transforms.MelSpectrogram(
        sample_rate=f["sample_rate"], n_fft=f["n_fft"], win_length=f["win_length"], hop_length=f["hop_length"],
        f_min=f["mel"]["fmin"], f_max=f["mel"]["fmax"], n_mels=f["mel"]["n_mels"], power=2.0, center=False,
        norm=None, mel_scale="htk", window_fn=torch.hann_window)
    mean = torch.tensor(f["normalization"]["mean"], dtype=torch.float32)
    std = torch.tensor(f["normalization"]["std"], dtype=torch.float32)
    offset = f["log"]["offset"]

    def features(samples):
        return (torch.log(mel(samples) + offset).transpose(0, 1) - mean) / std     # (T, mels)
    return features


def streams(n, seconds, rate):
    """n streams of low noise with bursts: the cost does not depend on the content."""
    g = torch.Generator().manual_seed(42)
    out = []
    for _ in range(n):
        x = 0.01 * torch.randn(int(seconds * rate), generator=g)
        for start in range(rate, x.numel() - rate, 3 * rate):
            x[start:start + rate // 2] += 0.3 * torch.sin(torch.arange(rate // 2) * 0.3)
        out.append(x)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--mode", choices=["streaming", "windowed"], required=True)
    ap.add_argument("--streams", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--window-frames", type=int, default=248)
    ap.add_argument("--hop-frames", type=int, default=124)
    a = ap.parse_args()
    torch.set_num_threads(1)
    with open(a.manifest) as fh:
        manifest = json.load(fh)
    rate = manifest["features"]["sample_rate"]
    config = dict(manifest.get("training", {}).get("model_config", {}))
    features = frontend(manifest)
    audio = streams(a.streams, a.seconds, rate)
    if a.mode == "streaming":
        from earshot_sed.stream_model import StreamingCRNN
        model = StreamingCRNN(**config).eval()
        st = manifest["streaming"]
        pooling = manifest["output"]["time_pooling"]
        block = st["block_frames"] * pooling
    else:
        from earshot_sed.model import CRNN
        config.pop("lookahead_frames", None)
        config.pop("block_frames", None)
        model = CRNN(**config).eval()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    with torch.inference_mode():
        for x in audio:
            feats = features(x)
            if a.mode == "streaming":
                frames = feats.shape[0]
                decisions = math.ceil(frames / pooling)
                blocks = math.ceil((decisions + st["lookahead_frames"]) / st["block_frames"])
                padded = torch.zeros(blocks * block, feats.shape[1])
                padded[:frames] = feats
                state = model.zero_state(1)
                for b in range(blocks):
                    _, state = model.step(padded[b * block:(b + 1) * block].unsqueeze(0), state)
            else:
                start = 0
                while True:
                    end = min(start + a.window_frames, feats.shape[0])
                    model(feats[start:end].unsqueeze(0))
                    if end == feats.shape[0]:
                        break
                    start += a.hop_frames
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    seconds = a.streams * a.seconds
    print(f"torch peer ({a.mode}, torch {torch.__version__}, 1 thread): {seconds:.0f} audio s in {cpu:.2f} CPU s "
          f"({wall:.2f} s wall)")
    print(f"audio_s_per_cpu_s={seconds / cpu:.1f}")


if __name__ == "__main__":
    main()

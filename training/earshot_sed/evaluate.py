"""Evaluate trained runs on the test split and tune their decoding on validation.

Usage: python3 -m earshot_sed.evaluate RUN [RUN ...] [--no-shift]
For each run writes work/eval/<run>/: decoding.json (tuned on validation), detections.tsv
(DCASE: filename onset offset event_label), scores/<stem>.tsv (sed_scores_eval score tables:
onset offset <class...> per output frame), metrics.json (from `./earshot eval`, or the
evaluation module's jar through tools/Evaluate.java) and shift.json (shift consistency).
"""
import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch

from .decoding import decode
from .export import load_model
from .features import FRAME_HOP_SAMPLES, FRAME_OFFSET_SAMPLES, SAMPLE_RATE, logmel
from .audio_io import read_wav
from .labels import LABELS
from .tune import read_strong, tune

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "training" / "work"
M2 = Path.home() / ".m2" / "repository"


def split_probs(model, dataset, split, mean, std):
    d = Path(dataset) / split
    x = np.load(d / "features.npy")
    x = ((x - mean.astype(np.float32)) / std.astype(np.float32)).astype(np.float32)
    names = [r["filename"] for r in csv.DictReader(open(d / "durations.tsv"), delimiter="\t")]
    out = {}
    model.eval()
    with torch.no_grad():
        for i in range(0, len(x), 50):
            f, _ = model(torch.from_numpy(x[i:i + 50]))
            for j, p in enumerate(f.numpy()):
                out[names[i + j]] = p.astype(np.float64)
    return out


def write_score_tables(probs_by_file, out_dir, duration=10.0):
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, p in probs_by_file.items():
        n = len(p)
        on = (FRAME_OFFSET_SAMPLES + FRAME_HOP_SAMPLES * np.arange(n)) / SAMPLE_RATE
        off = np.minimum(on + FRAME_HOP_SAMPLES / SAMPLE_RATE, duration)
        on[0] = 0.0  # the first 24 ms belong to frame 0 (see docs/model-manifest.md)
        off[-1] = duration
        with open(out_dir / (Path(name).stem + ".tsv"), "w") as f:
            f.write("onset\toffset\t" + "\t".join(LABELS) + "\n")
            for j in range(n):
                f.write(f"{on[j]:.6f}\t{off[j]:.6f}\t" + "\t".join(f"{v:.6f}" for v in p[j]) + "\n")


def write_detections(probs_by_file, params, path, duration=10.0):
    with open(path, "w") as f:
        f.write("filename\tonset\toffset\tevent_label\n")
        for name in sorted(probs_by_file):
            for on, off, label in decode(probs_by_file[name], params, duration):
                f.write(f"{name}\t{on:.3f}\t{off:.3f}\t{label}\n")


def median_filter_spec(params):
    """`earshot eval --median-filter` argument for a decoding's per-class median lengths."""
    return ",".join(f"{l}={params['median_filter_frames'][l]}" for l in LABELS)


def earshot_eval(gt, durations, scores_dir, detections, out_json, params=None):
    """Metrics from `./earshot eval` (the project's one metrics implementation) when the launcher
    is built; otherwise from the evaluation module's jar through tools/Evaluate.java. With decoding
    params, also the scores post-processed by their median filters ("scores_median_filtered": PSDS as
    the DCASE baselines report it, on the posteriors the events are cut from)."""
    launcher = ROOT / "launcher" / "target" / "earshot-launcher-0.1.0-SNAPSHOT.jar"
    if launcher.exists():
        common = ["--json", "--ground-truth", str(gt), "--durations", str(durations),
                  "--classes", ",".join(LABELS)]
        run = lambda extra: json.loads(subprocess.run([str(ROOT / "earshot"), "eval", *common, *extra],
                                                      check=True, capture_output=True, text=True).stdout)
        out = {"tool": "earshot eval", "scores": run(["--scores", str(scores_dir)]),
               "detections": run(["--detections", str(detections)])}
        if params is not None:
            out["scores_median_filtered"] = run(["--scores", str(scores_dir),
                                                 "--median-filter", median_filter_spec(params)])
        Path(out_json).write_text(json.dumps(out, indent=1))
        print(f"earshot eval: PSDS1 {out['scores']['psds1']['value']:.4f} PSDS2 {out['scores']['psds2']['value']:.4f}")
        if params is not None:
            mf = out["scores_median_filtered"]
            print(f"  median-filtered scores: PSDS1 {mf['psds1']['value']:.4f} PSDS2 {mf['psds2']['value']:.4f}")
        return out
    return java_metrics(gt, durations, scores_dir, detections, out_json)


def java_metrics(gt, durations, scores_dir, detections, out_json):
    jar = ROOT / "evaluation" / "target" / "earshot-evaluation-0.1.0-SNAPSHOT.jar"
    pom = (ROOT / "pom.xml").read_text()
    v = pom.split("<jackson.version>")[1].split("<")[0]
    jackson = [M2 / "com/fasterxml/jackson/core" / a / v / f"{a}-{v}.jar"
               for a in ("jackson-databind", "jackson-core")]
    ann = sorted((M2 / "com/fasterxml/jackson/core/jackson-annotations").glob("*/jackson-annotations-*.jar"))
    cp = [jar] + jackson + ann[-1:]
    if not all(p.exists() for p in cp):
        print("evaluation jar or jackson not found: build with mvn -pl evaluation -am package -DskipTests")
        return None
    subprocess.run(["java", "-cp", ":".join(map(str, cp)), str(ROOT / "training/tools/Evaluate.java"),
                    str(gt), str(durations), str(scores_dir), str(detections), str(out_json), *LABELS],
                   check=True)
    return json.loads(Path(out_json).read_text())


def shift_consistency(run, params, dataset, n_clips=100,
                      delays=(1, 16, 64, 128, 256, 384, 512, 768, 1024)):
    """Delay the input by d samples (prepend d zeros) and compare with the undelayed outputs at
    the same absolute times: mean |dp| of frame probabilities (delayed outputs interpolated onto
    the original frame grid), the share of frame decisions (p > threshold_on) that flip, and the
    event-level agreement (F1 of delayed vs original events, 200 ms collar). ``run(x)`` maps a
    waveform to frame probabilities (frames x labels) on the decision grid."""
    from .tune import count_matches
    audio = Path(dataset) / "test" / "audio"
    names = sorted(p.name for p in audio.glob("*.wav"))[:n_clips]
    thr = np.array([params["threshold_on"][l] for l in LABELS])
    res = {}
    base = {}
    for n in names:
        x = read_wav(audio / n)[0]
        base[n] = (x, run(x))
    for d in delays:
        diffs, flips, tp, n_ref, n_est = [], [], 0, 0, 0
        for n in names:
            x, p0 = base[n]
            p1 = run(np.concatenate([np.zeros(d), x]))
            # output frame j of the delayed run is centred (d / hop) frames later
            t0 = np.arange(len(p0))
            t1 = np.arange(len(p1)) - d / FRAME_HOP_SAMPLES
            pi = np.stack([np.interp(t0, t1, p1[:, k]) for k in range(p1.shape[1])], 1)
            valid = slice(1, len(p0) - 1)
            diffs.append(np.abs(pi[valid] - p0[valid]).mean())
            flips.append(((pi[valid] > thr) != (p0[valid] > thr)).mean())
            e0 = decode(p0, params, 10.0)
            e1 = [(on - d / SAMPLE_RATE, off - d / SAMPLE_RATE, l) for on, off, l in decode(p1, params, 10.0 + d / SAMPLE_RATE)]
            for label in LABELS:
                r = [(a, b) for a, b, l in e0 if l == label]
                e = [(a, b) for a, b, l in e1 if l == label]
                tp += count_matches(r, e)
                n_ref += len(r)
                n_est += len(e)
        res[d] = {"mean_abs_prob_diff": float(np.mean(diffs)), "frame_decision_flip_rate": float(np.mean(flips)),
                  "event_agreement_f1": 2 * tp / (n_ref + n_est) if n_ref + n_est else 1.0}
        print(f"  delay {d:5d}: |dp| {res[d]['mean_abs_prob_diff']:.4f} flips {res[d]['frame_decision_flip_rate']:.4f} "
              f"event agreement F1 {res[d]['event_agreement_f1']:.3f}", flush=True)
    return res


def evaluate_run(run, dataset=WORK / "dataset", shift=True):
    """Tune decoding on validation, then score the test split (and check shift consistency)."""
    torch.set_num_threads(2)
    run_dir = WORK / "runs" / run
    out = WORK / "eval" / run
    out.mkdir(parents=True, exist_ok=True)
    model, ckpt = load_model(run_dir)
    stats = json.loads((Path(dataset) / "stats.json").read_text())
    mean, std = np.array(stats["mean"]), np.array(stats["std"])
    print(f"{run}: epoch {ckpt['epoch']}; tuning decoding on validation", flush=True)
    val = split_probs(model, dataset, "validation", mean, std)
    params, val_f1 = tune(val, read_strong(Path(dataset) / "validation" / "strong.tsv"))
    (out / "decoding.json").write_text(json.dumps(params, indent=1))
    (out / "validation_f1.json").write_text(json.dumps(val_f1, indent=1))
    test = split_probs(model, dataset, "test", mean, std)
    write_score_tables(test, out / "scores")
    write_detections(test, params, out / "detections.tsv")
    metrics = earshot_eval(Path(dataset) / "test" / "strong.tsv", Path(dataset) / "test" / "durations.tsv",
                           out / "scores", out / "detections.tsv", out / "metrics.json")
    if shift:
        print(f"{run}: shift consistency", flush=True)
        model.eval()

        def run_model(x):
            f = (logmel(x) - mean) / std
            with torch.no_grad():
                return model(torch.from_numpy(f.astype(np.float32))[None])[0][0].numpy().astype(np.float64)

        sc = shift_consistency(run_model, params, dataset)
        (out / "shift.json").write_text(json.dumps(sc, indent=1))
    return metrics


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    for r in args:
        evaluate_run(r, shift="--no-shift" not in sys.argv)

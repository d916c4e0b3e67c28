"""Evaluate v2 runs (windowed or streaming) and exported ONNX models on the fixed v2 splits.

Usage: python3 -m earshot_sed.evaluate_otf [--dataset work/dataset-v2] NAME [NAME ...]
NAME is a run (work/runs/NAME/best.pt) or an exported windowed model (models/NAME.json, scored
with ONNX Runtime Java through tools/OnnxPredict.java, e.g. earshot-sed-v1 as the baseline).
Per NAME writes work/eval-v2/NAME/: decoding.json (tuned on the cross-source validation split),
and per test split (test = cross-source, id_test = in-distribution, test_v1clean and test_unheard =
audio v1 did not train on either) score tables, detections and
metrics.json from `./earshot eval`.
"""
import argparse
import csv
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import torch

from .evaluate import earshot_eval, shift_consistency, write_detections, write_score_tables
from .features import logmel
from .labels import LABELS
from .stream_model import StreamingCRNN
from .train_otf import model_from_checkpoint, predict
from .tune import read_strong, tune

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "training" / "work"
JAR = Path.home() / ".m2/repository/com/microsoft/onnxruntime/onnxruntime/1.23.2/onnxruntime-1.23.2.jar"
STREAM_MEDIANS = (1, 3, 5, 7)


def _names(d):
    return [r["filename"] for r in csv.DictReader(open(d / "durations.tsv"), delimiter="\t")]


class RunScorer:
    def __init__(self, run):
        ckpt = torch.load(WORK / "runs" / run / "best.pt", map_location="cpu")
        self.model = model_from_checkpoint(ckpt)
        self.model.load_state_dict(ckpt["state"])
        self.model.eval()
        self.mean, self.std = np.array(ckpt["mean"], np.float32), np.array(ckpt["std"], np.float32)
        self.streaming = isinstance(self.model, StreamingCRNN)
        self.step = ckpt["step"]

    def probs(self, feats):
        x = torch.from_numpy(((feats - self.mean) / self.std).astype(np.float32))
        return predict(self.model, x).numpy().astype(np.float64)


class OnnxScorer:
    def __init__(self, name):
        self.manifest = json.loads((ROOT / "models" / f"{name}.json").read_text())
        n = self.manifest["features"]["normalization"]
        self.mean, self.std = np.array(n["mean"], np.float32), np.array(n["std"], np.float32)
        self.onnx = ROOT / "models" / self.manifest["onnx"]
        self.streaming = self.manifest.get("kind") == "streaming"
        self.step = None

    def probs(self, feats):
        x = ((feats - self.mean) / self.std).astype("<f4")
        n, t = x.shape[:2]
        with tempfile.TemporaryDirectory() as tmp:
            x.tofile(Path(tmp) / "in.f32")
            subprocess.run(["java", "-cp", str(JAR), str(ROOT / "training/tools/OnnxPredict.java"), str(self.onnx),
                            str(Path(tmp) / "in.f32"), str(n), str(t), str(Path(tmp) / "out.f32")], check=True)
            out = np.fromfile(Path(tmp) / "out.f32", "<f4")
        return out.reshape(n, -(-t // 4), len(LABELS)).astype(np.float64)


def scorer(name):
    return RunScorer(name) if (WORK / "runs" / name / "best.pt").exists() else OnnxScorer(name)


def split_probs(sc, dataset, split):
    d = Path(dataset) / split
    feats = np.load(d / "features.npy")
    p = sc.probs(feats)
    return dict(zip(_names(d), p))


TEST_SPLITS = ("test", "id_test", "test_v1clean", "test_unheard")


def _score_split(sc, dataset, split, params, out):
    d = Path(dataset) / split
    probs = split_probs(sc, dataset, split)
    write_score_tables(probs, out / split / "scores")
    write_detections(probs, params, out / split / "detections.tsv")
    return earshot_eval(d / "strong.tsv", d / "durations.tsv", out / split / "scores",
                        out / split / "detections.tsv", out / split / "metrics.json", params)


def evaluate(name, dataset, splits=TEST_SPLITS):
    torch.set_num_threads(2)
    sc = scorer(name)
    out = WORK / "eval-v2" / name
    out.mkdir(parents=True, exist_ok=True)
    print(f"{name}: tuning decoding on the cross-source validation split", flush=True)
    val = split_probs(sc, dataset, "validation")
    params, val_f1 = tune(val, read_strong(Path(dataset) / "validation" / "strong.tsv"),
                          medians=STREAM_MEDIANS if sc.streaming else (1, 3, 5, 9, 13, 17, 21))
    (out / "decoding.json").write_text(json.dumps(params, indent=1))
    result = {"name": name, "step": sc.step, "streaming": sc.streaming, "validation_event_f1": val_f1}
    for split in splits:
        if (Path(dataset) / split).exists():
            result[split] = _score_split(sc, dataset, split, params, out)
    (out / "summary.json").write_text(json.dumps(result, indent=1))
    return result


def add_splits(name, dataset, splits):
    """Score an evaluated NAME on more splits with the decoding it was tuned to (no re-tuning), adding
    them to its summary.json: a split made after the model was evaluated (e.g. test_unheard)."""
    torch.set_num_threads(2)
    sc = scorer(name)
    out = WORK / "eval-v2" / name
    result = json.loads((out / "summary.json").read_text())
    params = json.loads((out / "decoding.json").read_text())
    for split in splits:
        if not (Path(dataset) / split).exists():
            raise SystemExit(f"{dataset}/{split}: no such split (make_dataset makes it)")
        print(f"{name} {split}:", flush=True)
        result[split] = _score_split(sc, dataset, split, params, out)
    (out / "summary.json").write_text(json.dumps(result, indent=1))
    return result


def rescore(name, dataset):
    """Re-run `./earshot eval` on an evaluation's saved score tables and detections (no model needed),
    adding what newer versions of earshot_eval compute (e.g. the median-filtered scores)."""
    out = WORK / "eval-v2" / name
    result = json.loads((out / "summary.json").read_text())
    params = json.loads((out / "decoding.json").read_text())
    for split in TEST_SPLITS:
        d = Path(dataset) / split
        if split in result and (out / split / "scores").exists():
            print(f"{name} {split}:", flush=True)
            result[split] = earshot_eval(d / "strong.tsv", d / "durations.tsv", out / split / "scores",
                                         out / split / "detections.tsv", out / split / "metrics.json", params)
    (out / "summary.json").write_text(json.dumps(result, indent=1))
    return result


def shift(name, dataset, n_clips):
    """Shift consistency of a run (as v1's RESULTS reports it) on the cross-source test, with the decoding
    evaluate() tuned: delays of 1-1024 samples against the undelayed run at the same absolute times."""
    torch.set_num_threads(2)
    sc = RunScorer(name)
    params = json.loads((WORK / "eval-v2" / name / "decoding.json").read_text())
    print(f"{name}: shift consistency on {n_clips} cross-source test clips", flush=True)
    res = shift_consistency(lambda x: sc.probs(logmel(x)[None].astype(np.float32))[0], params, dataset, n_clips)
    (WORK / "eval-v2" / name / "shift.json").write_text(json.dumps(res, indent=1))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="+")
    ap.add_argument("--dataset", default=str(WORK / "dataset-v2"))
    ap.add_argument("--splits", default=",".join(TEST_SPLITS))
    ap.add_argument("--add", action="store_true",
                    help="only score --splits for runs already evaluated, with their saved decoding")
    ap.add_argument("--shift", action="store_true",
                    help="only the shift consistency of runs already evaluated (work/eval-v2/NAME/shift.json)")
    ap.add_argument("--shift-clips", type=int, default=100)
    ap.add_argument("--rescore", action="store_true",
                    help="only re-run ./earshot eval on the saved score tables and detections of NAME")
    a = ap.parse_args()
    for n in a.names:
        if a.shift:
            shift(n, a.dataset, a.shift_clips)
        elif a.rescore:
            rescore(n, a.dataset)
        elif a.add:
            add_splits(n, a.dataset, tuple(a.splits.split(",")))
        else:
            evaluate(n, a.dataset, tuple(a.splits.split(",")))


if __name__ == "__main__":
    main()

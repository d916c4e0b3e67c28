"""Average the selected weights of runs that share a starting point (a "model soup").

Usage: python3 -m earshot_sed.soup NAME RUN RUN [RUN ...]
Writes work/runs/NAME/best.pt (the mean of the runs' best.pt weights; BatchNorm running statistics
averaged too) and a history.json that records the ingredients, so evaluate_otf and export_v2 treat
the soup like a run. Averaging only makes sense for branches of one checkpoint (the same parent
weights, fine-tuned apart): their weights lie in one basin; independent runs would not.
"""
import argparse
import json
from pathlib import Path

import torch

RUNS = Path(__file__).resolve().parents[1] / "work" / "runs"


def soup(states):
    out = {}
    for k, v in states[0].items():
        if v.is_floating_point():
            out[k] = sum(s[k] for s in states) / len(states)
        else:
            out[k] = v.clone()  # counters (num_batches_tracked): not averaged
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("runs", nargs="+")
    a = ap.parse_args()
    if len(a.runs) < 2:
        ap.error("a soup needs at least two runs")
    ckpts = [torch.load(RUNS / r / "best.pt", map_location="cpu") for r in a.runs]
    first = ckpts[0]
    for r, c in zip(a.runs[1:], ckpts[1:]):
        if c["config"] != first["config"] or c["arch"] != first["arch"] or c["mean"] != first["mean"]:
            ap.error(f"{r} is not the same architecture / normalisation as {a.runs[0]}")
    out = RUNS / a.name
    out.mkdir(parents=True, exist_ok=True)
    torch.save(dict(first, state=soup([c["state"] for c in ckpts]), step=max(c["step"] for c in ckpts)),
               out / "best.pt")
    hists = [json.loads((RUNS / r / "history.json").read_text()) for r in a.runs]
    # Averaging costs no training; what one path of training saw is the largest ingredient's spending
    # (branches include their shared parent's, so a sum would count it twice).
    spent = {k: max(h["spent"].get(k, 0.0) for h in hists) for k in hists[0]["spent"]}
    (out / "history.json").write_text(json.dumps({
        "args": {"soup_of": a.runs}, "params": hists[0]["params"], "history": [],
        "best_frame_macro_ap": None, "spent": spent}, indent=1))
    parts = ", ".join(f"{r}@{c['step']}" for r, c in zip(a.runs, ckpts))
    print(f"{a.name}: mean of {parts}")


if __name__ == "__main__":
    main()

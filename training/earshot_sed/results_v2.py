"""Tables for RESULTS.md's v2 section from work/eval-v2/*/summary.json and work/runs/*/history.json.

Usage: python3 -m earshot_sed.results_v2 NAME [NAME ...] > work/results_v2.md
The prose around the tables in RESULTS.md is written by hand.
"""
import json
import sys
from pathlib import Path

from .labels import LABELS
from .results import G_CO2E_PER_KWH, WATTS_PER_CORE

WORK = Path(__file__).resolve().parents[1] / "work"
SPLITS = (("test", "cross-source test"), ("test_v1clean", "cross-source test, v1-clean subset"),
          ("test_unheard", "unheard test (400 soundscapes from the test packages less v1's training files)"),
          ("id_test", "in-distribution test"))


def _summary(name):
    return json.loads((WORK / "eval-v2" / name / "summary.json").read_text())


def overall(names):
    out = []
    for split, title in SPLITS:
        out += [f"**{title}**", "",
                "| model | PSDS1 | PSDS2 | PSDS1 median-filtered | PSDS2 median-filtered | event F1 macro | "
                "event F1 micro | segment F1 macro |",
                "|---|---|---|---|---|---|---|---|"]
        for n in names:
            m = _summary(n).get(split)
            if not m:
                continue
            s, d = m["scores"], m["detections"]
            mf = m.get("scores_median_filtered")
            mf_cells = (f"{mf['psds1']['value']:.3f} | {mf['psds2']['value']:.3f}" if mf else "- | -")
            out.append(f"| {n} | {s['psds1']['value']:.3f} | {s['psds2']['value']:.3f} | {mf_cells} | "
                       f"{d['event_based']['macro']['f1']:.3f} | {d['event_based']['micro']['f1']:.3f} | "
                       f"{d['segment_based']['macro']['f1']:.3f} |")
        out.append("")
    return out


def per_class(names, split="test"):
    out = ["| class | " + " | ".join(f"{n} PSDS1 | {n} event F1" for n in names) + " |",
           "|---|" + "---|---|" * len(names)]
    for label in LABELS:
        cells = []
        for n in names:
            m = _summary(n)[split]
            psds1 = m['scores']['psds1']['single_class'].get(label)  # absent: no such event in the split
            f1 = m['detections']['event_based']['class_wise'].get(label, {}).get('f1')
            cells.append("-" if psds1 is None else f"{psds1:.3f}")
            cells.append("-" if f1 is None else f"{f1:.3f}")
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    return out


def runs(names):
    out = ["| run | params | steps | clip-hours seen | best step | best val AP (EMA) | CPU-hours | energy |",
           "|---|---|---|---|---|---|---|---|"]
    curves = []
    total_cpu = 0.0
    for n in names:
        p = WORK / "runs" / n / "history.json"
        if not p.exists():
            continue
        h = json.loads(p.read_text())
        hist, spent = h["history"], h["spent"]
        best = max(hist, key=lambda r: r["frame_macro_ap"]) if hist else None
        cpu = spent["cpu_s"]
        total_cpu += cpu
        wh = cpu * WATTS_PER_CORE / 3600
        out.append(f"| {n} | {h['params']:,} | {hist[-1]['step'] if hist else 0} | {spent['clip_s'] / 3600:.1f} | "
                   f"{best['step'] if best else '-'} | {best['frame_macro_ap'] if best else float('nan'):.4f} | "
                   f"{cpu / 3600:.2f} | {wh:.1f} Wh |")
        curves.append(f"- {n} (step: validation AP): " + ", ".join(
            f"{r['step']}: {r['frame_macro_ap']:.3f}" for r in hist[:: max(1, len(hist) // 12)]))
    kwh = total_cpu * WATTS_PER_CORE / 3.6e6
    out += ["", "Validation curves (cross-source validation, frame-level macro AP of the EMA weights):", ""] + curves
    out += ["", f"Energy: {total_cpu / 3600:.2f} CPU-hours x {WATTS_PER_CORE:.2f} W per busy core (the telemetry "
            f"module's CPU-time model) = {kwh * 1000:.0f} Wh ({kwh * G_CO2E_PER_KWH:.0f} g CO2e at "
            f"{G_CO2E_PER_KWH:.0f} g/kWh); no RAPL counters on this VM, so a model, not a measurement."]
    return out


def main(names):
    lines = ["### Overall", ""] + overall(names) + ["### Per class (cross-source test)", ""] + per_class(names)
    unheard = [n for n in names if "test_unheard" in _summary(n)]
    if unheard:
        lines += ["", "### Per class (unheard test)", ""] + per_class(unheard, "test_unheard")
    lines += ["", "### Training runs", ""] + runs([n for n in names if (WORK / "runs" / n).exists()])
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])

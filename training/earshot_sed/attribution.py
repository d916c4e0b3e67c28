"""SOUND-SOURCES.md: every package and generator the model and the committed audio draw on.

Written by `python3 -m earshot_sed.attribution` (and by demo.py, which rebuilds the demo set).
"""
from collections import Counter, defaultdict
from pathlib import Path

from .fetch import read_list

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "training" / "data"

GENERATORS = {
    "generated:espeak-ng": "speech synthesised with espeak-ng (Debian package espeak-ng, voice data "
                           "espeak-ng-data; © Jonathan Duddington, Reece H. Dunn and contributors; "
                           "GPL-3.0-or-later) from pseudo-words and numbers, many languages and voice variants",
    "generated:fluidsynth": "music rendered with fluidsynth from MIDI written by training/earshot_sed/generated.py, "
                            "instruments from the FluidR3_GM soundfont (Debian package fluid-soundfont-gm; "
                            "© Frank Wen, Toby Smithe; MIT)",
    "generated:synth-alarm": "beeps, sirens, chimes, rings, buzzers, klaxons and door bells synthesised in "
                             "numpy by training/earshot_sed/generated.py (no third-party material)",
    "generated:synth-keys": "typing on synthesised keyboards (clicky, linear, membrane, laptop, typewriter: "
                            "keystrokes as damped modes) in numpy by training/earshot_sed/generated.py "
                            "(no third-party material)",
}


def sound_sources_md(sources, backgrounds):
    per_pkg = defaultdict(Counter)
    splits = defaultdict(Counter)
    for r in sources + backgrounds:
        per_pkg[r["package"]][r["licence"]] += 1
        splits[r["package"]][r.get("split", "")] += 1
    lines = [
        "# Sound sources",
        "",
        "Every recorded sound in this repository comes from Debian bookworm (main) packages, under the",
        "licences their Debian copyright files state; the rest is generated (table at the end). They",
        "reach the repository in three ways:",
        "",
        "- the **default model** (`models/`) was trained on soundscapes mixed from the files listed in",
        "  `training/data/sources.tsv` (foreground events) and `training/data/backgrounds.tsv` (beds);",
        "  both list each file's package, path inside the package, licence and split (train,",
        "  validation, test, id_test; validation and test packages are held out of training);",
        "- the **demo** soundscapes in `demo/audio/` are mixes of test-split files; `demo/ATTRIBUTION.md`",
        "  names the files inside each WAV with their copyright holders;",
        "- the **golden** feature files in `models/golden/` are excerpts of the files named in",
        "  `demo/ATTRIBUTION.md` (section Golden files).",
        "",
        "Copy-left licences (GPL, CC-BY-SA) apply to these derived works: the mixes are distributed under",
        "the licences of their sources, and the source packages' full copyright files are in Debian",
        "(`/usr/share/doc/PACKAGE/copyright`). Background-noise beds marked `noise` are generated.",
        "",
        "| package | files used | licences (number of files) | splits |",
        "|---|---|---|---|",
    ]
    for pkg in sorted(p for p in per_pkg if p not in GENERATORS):
        lic = ", ".join(f"{l} ({n})" for l, n in per_pkg[pkg].most_common())
        sp = ", ".join(f"{s} {n}" for s, n in sorted(splits[pkg].items()))
        lines.append(f"| {pkg} | {sum(per_pkg[pkg].values())} | {lic} | {sp} |")
    lines += ["", "Generated sources (train split only; under half of any class):", "",
              "| generator | files used | licence | what |", "|---|---|---|---|"]
    for gen, what in GENERATORS.items():
        if gen in per_pkg:
            lic = ", ".join(per_pkg[gen])
            lines.append(f"| {gen} | {sum(per_pkg[gen].values())} | {lic} | {what} |")
    return "\n".join(lines) + "\n"


def write_sound_sources():
    text = sound_sources_md(read_list(DATA / "sources.tsv"), read_list(DATA / "backgrounds.tsv"))
    (ROOT / "SOUND-SOURCES.md").write_text(text)


if __name__ == "__main__":
    write_sound_sources()

"""Demo set and sound-source attribution.

Usage: python3 -m earshot_sed.demo [--count 20]
Copies COUNT soundscapes of the cross-source test split (every class at least 3 times) to demo/audio/ with demo/ground_truth.tsv and
demo/durations.tsv (DCASE formats), and writes SOUND-SOURCES.md (every package the model and the
committed audio draw on, with licences) and demo/ATTRIBUTION.md (the source files inside each
committed WAV, with their copyright lines from the packages' Debian copyright files).
"""
import argparse
import csv
import fnmatch
import shutil
from collections import Counter, defaultdict
from pathlib import Path

from .fetch import COPYRIGHT, read_list
from .golden import SOURCES as GOLDEN_SOURCES

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "training" / "data"
DATASET = ROOT / "training" / "work" / "dataset-v2"


def dep5_stanzas(package):
    """[(patterns, copyright, licence)] from a DEP-5 copyright file ([] if free-form or missing)."""
    path = COPYRIGHT / f"{package}.txt"
    if not path.exists():
        return []
    stanzas, cur, key = [], {}, None
    for line in path.read_text(errors="replace").splitlines() + [""]:
        if not line.strip():
            if "Files" in cur:
                stanzas.append((cur["Files"].split(), cur.get("Copyright", "").strip(),
                                cur.get("License", "").strip().splitlines()[0] if cur.get("License") else ""))
            cur, key = {}, None
        elif line[0] in " \t" and key:
            cur[key] += "\n" + line.strip()
        elif ":" in line:
            key, value = line.split(":", 1)
            cur[key] = value.strip()
    return stanzas


def copyright_of(package, path):
    """Copyright and licence of the last DEP-5 stanza whose pattern matches a suffix of path."""
    inner = path.split(":", 1)[1] if path.startswith("public.zip:") else path
    parts = inner.split("/")
    found = None
    for patterns, holder, licence in dep5_stanzas(package):
        for pat in patterns:
            if any(fnmatch.fnmatchcase("/".join(parts[i:]), pat) for i in range(len(parts))):
                found = (holder, licence)
    return found


def pick_demo(strong_rows, all_names, count, per_class=3):
    """The first `count` soundscapes in split order such that every class occurs at least
    per_class times: greedily take the soundscape that adds most to the classes still short,
    then fill up in split order."""
    labels_of = defaultdict(list)
    for r in strong_rows:
        labels_of[r["filename"]].append(r["event_label"])
    have, chosen = Counter(), []
    while len(chosen) < count:
        def gain(n):
            return sum(min(k, max(0, per_class - have[l])) for l, k in Counter(labels_of[n]).items())
        short = [n for n in all_names if n not in chosen and gain(n) > 0]
        if not short:
            break
        best = max(short, key=lambda n: (gain(n), -all_names.index(n)))
        chosen.append(best)
        have.update(labels_of[best])
    chosen += [n for n in all_names if n not in chosen][:count - len(chosen)]
    return sorted(chosen, key=all_names.index)


def make_demo(count):
    demo = ROOT / "demo"
    audio = demo / "audio"
    if audio.exists():
        shutil.rmtree(audio)
    audio.mkdir(parents=True)
    test = DATASET / "test"
    names = pick_demo(read_list(test / "strong.tsv"), [r["filename"] for r in read_list(test / "durations.tsv")],
                      count)
    for n in names:
        shutil.copy(test / "audio" / n, audio / n)
    keep = set(names)
    with open(demo / "ground_truth.tsv", "w") as f:
        f.write("filename\tonset\toffset\tevent_label\n")
        for r in read_list(test / "strong.tsv"):
            if r["filename"] in keep:
                f.write(f"{r['filename']}\t{r['onset']}\t{r['offset']}\t{r['event_label']}\n")
    with open(demo / "durations.tsv", "w") as f:
        f.write("filename\tduration\n")
        for n in names:
            f.write(f"{n}\t10.000\n")
    return [r for r in read_list(test / "meta.tsv") if r["filename"] in keep]


def write_attribution(demo_meta):
    sources = read_list(DATA / "sources.tsv")
    backgrounds = read_list(DATA / "backgrounds.tsv")
    licence_of = {(r["package"], r["path"]): r["licence"] for r in sources + backgrounds}
    per_pkg = defaultdict(Counter)
    for r in sources + backgrounds:
        per_pkg[r["package"]][r["licence"]] += 1
    lines = [
        "# Sound sources",
        "",
        "Every sound in this repository comes from Debian bookworm (main) packages, under the licences",
        "their Debian copyright files state. They reach the repository in three ways:",
        "",
        "- the **model** `models/earshot-sed-v1.onnx` was trained on soundscapes mixed from the files listed",
        "  in `training/data/sources.tsv` (foreground events) and `training/data/backgrounds.tsv` (beds);",
        "  both list each file's package, path inside the package and licence;",
        "- the **demo** soundscapes in `demo/audio/` are mixes of test-split files; `demo/ATTRIBUTION.md`",
        "  names the files inside each WAV with their copyright holders;",
        "- the **golden** feature files in `models/golden/` are excerpts of the files named in",
        "  `demo/ATTRIBUTION.md` (section Golden files).",
        "",
        "Copy-left licences (GPL, CC-BY-SA) apply to these derived works: the mixes are distributed under",
        "the licences of their sources, and the source packages' full copyright files are in Debian",
        "(`/usr/share/doc/PACKAGE/copyright`). Background-noise beds marked `noise` are generated.",
        "",
        "| package | files used | licences (number of files) |",
        "|---|---|---|",
    ]
    for pkg in sorted(per_pkg):
        lic = ", ".join(f"{l} ({n})" for l, n in per_pkg[pkg].most_common())
        lines.append(f"| {pkg} | {sum(per_pkg[pkg].values())} | {lic} |")
    (ROOT / "SOUND-SOURCES.md").write_text("\n".join(lines) + "\n")

    def holder(pkg, path):
        c = copyright_of(pkg, path)
        return c[0].replace("\n", "; ") if c else f"see /usr/share/doc/{pkg}/copyright"

    out = ["# Attribution for the committed audio", "",
           "Generated by `python3 -m earshot_sed.demo`. Licences as recorded in training/data/*.tsv;",
           "copyright holders from the matching stanza of the package's Debian copyright file.",
           "A Typing or Footsteps event is a sequence of keystrokes or steps: the table names its first",
           "file; the others come from the same recording group (Typing: any key of bucklespring-data).", "",
           "## Demo soundscapes (demo/audio)", "",
           "| file | event | package | path | licence | copyright |", "|---|---|---|---|---|---|"]
    for r in demo_meta:
        pkg, path = r["source"].split(":", 1)
        out.append(f"| {r['filename']} | {r['event_label']} | {pkg} | {path} | "
                   f"{licence_of.get((pkg, path), '?')} | {holder(pkg, path)} |")
    beds = sorted({(r["filename"], r["background"]) for r in demo_meta})
    out += ["", "Backgrounds:", "", "| file | background | licence |", "|---|---|---|"]
    for fname, bg in beds:
        if bg == "noise":
            out.append(f"| {fname} | generated coloured noise | none needed |")
        else:
            pkg, path = bg.split(":", 1)
            out.append(f"| {fname} | {pkg}:{path} | {licence_of.get((pkg, path), '?')} |")
    out += ["", "## Golden files (models/golden)", "", "| file | package | path | licence | copyright |",
            "|---|---|---|---|---|"]
    for wav, srcs in GOLDEN_SOURCES.items():
        if not srcs:
            out.append(f"| {wav} | generated noise | | none needed | |")
        for pkg, path in srcs:
            out.append(f"| {wav} | {pkg} | {path} | {licence_of.get((pkg, path), '?')} | {holder(pkg, path)} |")
    (ROOT / "demo" / "ATTRIBUTION.md").write_text("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=20)
    a = ap.parse_args()
    write_attribution(make_demo(a.count))


if __name__ == "__main__":
    main()

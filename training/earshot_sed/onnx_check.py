"""Write torch reference cases for tools/OnnxCheck.java and run it with ONNX Runtime Java.

Usage: python3 -m earshot_sed.onnx_check RUN_DIR   (needs java and the onnxruntime jar in ~/.m2)
"""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch

from .export import load_model

ROOT = Path(__file__).resolve().parents[2]
JAR = Path.home() / ".m2/repository/com/microsoft/onnxruntime/onnxruntime/1.23.2/onnxruntime-1.23.2.jar"


def main(run_dir, onnx_path=ROOT / "models" / "earshot-sed-v1.onnx"):
    torch.set_num_threads(1)
    model, _ = load_model(run_dir)
    out = ROOT / "training" / "work" / "onnx_check"
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    cases = []
    for t in (624, 622, 625, 1000, 7, 1):
        x = rng.standard_normal((1, t, 64)).astype(np.float32)
        cases.append((f"random{t}", x))
    for g in sorted((ROOT / "models" / "golden").glob("*.json")):
        cases.append((g.stem, np.array(json.loads(g.read_text())["input"], np.float32)[None]))
    lines = []
    with torch.no_grad():
        for name, x in cases:
            f, c = model(torch.from_numpy(x))
            x.tofile(out / f"{name}.in.f32")
            f.numpy().astype("<f4").tofile(out / f"{name}.frame.f32")
            c.numpy().astype("<f4").tofile(out / f"{name}.clip.f32")
            lines.append(f"{name} {x.shape[1]}")
    (out / "cases.txt").write_text("\n".join(lines) + "\n")
    return subprocess.run(["java", "-cp", str(JAR), str(ROOT / "training" / "tools" / "OnnxCheck.java"),
                           str(onnx_path), str(out)], check=True)


if __name__ == "__main__":
    main(sys.argv[1])

"""The demo set shows every class at least three times when the split allows it."""
from collections import Counter

from earshot_sed.demo import pick_demo
from earshot_sed.labels import LABELS


def _rows(spec):
    return [{"filename": f, "event_label": l} for f, labels in spec.items() for l in labels]


def test_every_class_three_times_within_the_count():
    # 60 soundscapes; the rare classes occur only late in split order
    spec = {f"s{i:03d}.wav": ["Speech", "Music"] for i in range(50)}
    for i, label in enumerate(LABELS[2:] * 3):
        spec[f"s{50 + i % 10:03d}.wav"] = spec.get(f"s{50 + i % 10:03d}.wav", []) + [label]
    names = sorted(spec)
    chosen = pick_demo(_rows(spec), names, 20)
    assert len(chosen) == 20 and len(set(chosen)) == 20
    counts = Counter(l for f in chosen for l in spec[f])
    assert all(counts[l] >= 3 for l in LABELS), counts
    assert chosen == sorted(chosen, key=names.index)


def test_fills_up_in_split_order_when_classes_are_covered():
    spec = {f"s{i:02d}.wav": list(LABELS) for i in range(30)}
    assert pick_demo(_rows(spec), sorted(spec), 5) == [f"s{i:02d}.wav" for i in range(5)]

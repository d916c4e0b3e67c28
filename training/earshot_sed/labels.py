"""The fixed class vocabulary, in model output order."""

LABELS = (
    "Speech", "Music", "Bird", "Animal", "Water", "Vehicle",
    "Explosion", "Footsteps", "Tools", "Scream", "Alarm", "Typing",
)
LABEL_INDEX = {name: i for i, name in enumerate(LABELS)}

# Packages held back for an independent evaluation: never read, never train on them.
RESERVED_PACKAGES = frozenset({
    "scorched3d-data", "triplea", "scratch", "xemacs21-basesupport", "lugaru-data",
    "flare-game", "caveexpress-data", "mazeofgalious-data", "freedroidrpg-data",
    "fillets-ng-data-cs", "sonic-pi-samples",
})

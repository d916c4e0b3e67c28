"""Generated sources are reproducible from their name, differ between names, and sound like their class."""
import shutil

import numpy as np
import pytest

from earshot_sed import generated as g
from earshot_sed.audio_io import decode_bytes
from earshot_sed.features import SAMPLE_RATE

ALARMS = [r["path"] for r in g.candidates() if r["package"] == g.SYNTH_ALARM]
MUSIC = [r["path"] for r in g.candidates() if r["package"] == g.FLUIDSYNTH]
SPEECH = [r["path"] for r in g.candidates() if r["package"] == g.ESPEAK]


def test_candidate_list_is_deterministic_and_spread():
    assert g.candidates() == g.candidates()
    assert len({p.split("/")[1] for p in ALARMS}) == len(g.ALARM_RECIPES)
    assert len({p.split("/")[1] for p in MUSIC}) == len(g.GM_FAMILIES)
    voices = {p.split("/")[1] for p in SPEECH}
    assert len(voices) == len(SPEECH)                      # one clip per voice
    assert len({v.split("+")[0] for v in voices}) >= 30    # many languages


@pytest.mark.parametrize("path", ALARMS[:len(g.ALARM_RECIPES)])
def test_synth_alarm_same_seed_same_samples_other_seed_differs(path):
    a, b = g.synth_alarm(path), g.synth_alarm(path)
    assert a.dtype == np.float32 and np.array_equal(a, b)
    recipe, n = path.split("/")[1], int(path.split("/")[2][:4])
    other = g.synth_alarm(f"alarm/{recipe}/{n + 1000:04d}.wav")
    assert len(other) != len(a) or not np.array_equal(other, a)
    # audible, not clipped, at most a few seconds
    assert 0.05 < np.max(np.abs(a)) <= 1.0
    assert 0.1 < len(a) / SAMPLE_RATE < 15.0


def test_alarm_recipes_have_their_shape():
    # a siren sweeps: its dominant frequency moves; a beep train has silent gaps between beeps
    siren = g.synth_alarm("alarm/siren/0001.wav").astype(np.float64)
    frame = 1024
    peaks = [np.argmax(np.abs(np.fft.rfft(siren[i:i + frame]))) for i in range(0, len(siren) - frame, frame)]
    assert max(peaks) - min(peaks) >= 3
    beep = g.synth_alarm("alarm/beep/0000.wav").astype(np.float64)
    rms = np.sqrt(np.mean(beep[: len(beep) // 160 * 160].reshape(-1, 160) ** 2, axis=1))
    assert np.mean(rms < 1e-6) > 0.1 and np.mean(rms > 1e-3) > 0.1


def test_midi_writer_is_a_valid_deterministic_file():
    midi, desc = g.music_midi(MUSIC[0])
    assert (midi, desc) == g.music_midi(MUSIC[0])
    assert g.music_midi(MUSIC[1])[0] != midi
    assert midi[:4] == b"MThd" and midi[14:18] == b"MTrk"
    length = int.from_bytes(midi[18:22], "big")
    assert len(midi) == 22 + length and midi.endswith(b"\xff\x2f\x00")
    assert 60 <= int(desc.split(", ")[1].split()[0]) < 180       # tempo in the drawn range
    assert g._vlq(0) == b"\x00" and g._vlq(0x80) == b"\x81\x00" and g._vlq(0x3FFF) == b"\xff\x7f"


def test_speech_parameters_follow_the_name():
    p = g.speech_params(SPEECH[0])
    assert p == g.speech_params(SPEECH[0])
    assert p != g.speech_params(SPEECH[1])
    assert p["voice"] == SPEECH[0].split("/")[1]
    assert 110 <= p["speed"] < 230 and 15 <= p["pitch"] < 85


def test_render_refuses_unknown_package():
    with pytest.raises(ValueError, match="not a generated source"):
        g.render("generated:nothing", "x/y/0.wav")


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_espeak_render_is_deterministic():
    a = decode_bytes(g.render(g.ESPEAK, SPEECH[0]))
    assert np.array_equal(a, decode_bytes(g.render(g.ESPEAK, SPEECH[0])))
    b = decode_bytes(g.render(g.ESPEAK, SPEECH[1]))
    assert len(a) != len(b) or not np.array_equal(a, b)
    assert len(a) / SAMPLE_RATE > 0.5 and np.max(np.abs(a)) > 0.05


@pytest.mark.skipif(shutil.which("fluidsynth") is None or not g.SOUNDFONT.exists(),
                    reason="fluidsynth or the FluidR3 soundfont not installed")
def test_fluidsynth_render_is_deterministic():
    a = decode_bytes(g.render(g.FLUIDSYNTH, MUSIC[0]))
    assert np.array_equal(a, decode_bytes(g.render(g.FLUIDSYNTH, MUSIC[0])))
    assert len(a) / SAMPLE_RATE > 3.0 and np.max(np.abs(a)) > 0.01


TYPING = [r["path"] for r in g.candidates() if r["package"] == g.SYNTH_KEYS]


def _onsets_and_longest_gap(x, hop=160):
    """Keystroke onsets (10-ms frames rising 20 dB above the previous frame's level) and the longest
    run of frames 40 dB below the clip's loudest."""
    n = len(x) // hop
    db = 10 * np.log10(np.mean(x[: n * hop].astype(np.float64).reshape(n, hop) ** 2, axis=1) + 1e-20)
    onsets = int(np.sum((db[1:] - db[:-1] > 20) & (db[1:] > db.max() - 40)))
    quiet, longest, run = db < db.max() - 40, 0, 0
    for q in quiet:
        run = run + 1 if q else 0
        longest = max(longest, run)
    return onsets, longest * hop / SAMPLE_RATE


def test_typing_candidates_are_one_clip_per_keyboard_of_every_kind():
    folders = {"/".join(p.split("/")[:2]) for p in TYPING}
    assert len(folders) == len(TYPING)                          # one clip per keyboard
    assert {f.split("/")[1].split("-")[0] for f in folders} == set(g.KEYBOARD_KINDS)


def test_synth_typing_same_name_same_samples_and_a_keyboard_keeps_its_sound():
    a = g.synth_typing(TYPING[0])
    assert a.dtype == np.float32 and np.array_equal(a, g.synth_typing(TYPING[0]))
    other = g.synth_typing(TYPING[len(g.KEYBOARD_KINDS)])      # the same kind, another keyboard
    assert len(other) != len(a) or not np.array_equal(other, a)
    # the keyboard's sound comes from its folder, the keys and the rhythm from the whole name
    folder = "/".join(TYPING[0].split("/")[:2])
    assert g.keyboard_params(folder)["modes"].tolist() == g.keyboard_params(folder)["modes"].tolist()
    again = g.synth_typing(f"{folder}/9999.wav")
    assert not np.array_equal(again[: len(a)], a[: len(again)])
    with pytest.raises(ValueError, match="unknown keyboard kind"):
        g.synth_typing("typing/harpsichord-00/0000.wav")


@pytest.mark.parametrize("path", TYPING[:len(g.KEYBOARD_KINDS)])
def test_synth_typing_is_one_event_of_keystrokes(path):
    x = g.synth_typing(path)
    dur = len(x) / SAMPLE_RATE
    # at least 1 s: the soundscape generator strings only shorter clips into sequences (soundscapes.py)
    assert 1.0 <= dur <= 6.0 and 0.05 < np.max(np.abs(x)) <= 1.0
    onsets, gap = _onsets_and_longest_gap(x)
    assert 2.0 <= onsets / dur <= 15.0          # typing speed: a few keys a second
    assert gap <= 0.45                           # no pause that would split the labelled event

"""Checks for the exercises of chapter 9, "When to use ReLU, and where it is used"."""
from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Mapping
from numbers import Integral
from typing import Any, Callable

from relu_course.checks.exercise import Exercise
from relu_course.checks.probing import NotAttempted
from relu_course.checks.report import Part
from relu_course._validation import sequence_of

CHAPTER = "09_when_to_use"
NAME = "activation_counts"

# (description, sequence of per-layer names, hint when wrong but not diagnosed). Every case is built so
# that each typical slip gives a different dict, and _diagnose names the slip.
CASES: list[tuple[str, list[str], str]] = [
    ("counts the activations of a small classifier",
     ["linear", "relu", "linear", "relu", "linear", "softmax"],
     "count each name except 'linear' and a 'softmax' in the last position."),
    ("counts every kind separately (a MobileNetV3-like sequence)",
     ["linear", "linear", "hard_silu", "linear", "relu", "linear", "relu", "hard_sigmoid", "linear",
      "hard_silu", "linear", "hard_silu", "linear", "softmax"],
     "keep one entry per kind: 'hard_silu', 'relu' and 'hard_sigmoid' are three different kinds."),
    ("counts every activation of a model without a classifier",
     ["linear", "relu6", "linear", "relu6", "linear", "gelu"],
     "this sequence does not end with 'softmax', so it has no classifier to leave out: every "
     "activation counts, the last one included."),
    ("leaves out only the final softmax, not a softmax inside the network",
     ["linear", "softmax", "linear", "gelu", "linear", "softmax"],
     "the first 'softmax' is inside the network (as in an attention layer) and counts; only the last "
     "entry is the classifier."),
    ("gives an empty dict for an empty sequence",
     [], "an empty sequence has no activations: return {}."),
    ("gives an empty dict when there is no activation at all",
     ["linear", "linear", "linear"], "'linear' means 'no activation': there is nothing to count."),
]


def expected_counts(sequence: list[str]) -> dict[str, int]:
    """The reference answer, written out differently from the notebook's solution."""
    sequence_of(sequence, str, "sequence", "activation names (strings)")
    body = sequence[:-1] if sequence and sequence[-1] == "softmax" else sequence
    return dict(Counter(name for name in body if name != "linear"))


def _normalised(result: Any) -> dict[str, int] | str:
    """The learner's result as a plain dict without zero entries, or a message saying what is wrong."""
    if not isinstance(result, Mapping):
        return (f"returned {type(result).__name__} {result!r:.80}; return a dict that maps each kind to its "
                "count, such as {'relu': 2}")
    out = {}
    for key, value in result.items():
        if isinstance(value, bool) or not isinstance(value, Integral):
            return f"returned a count {value!r} for {key!r}; each count must be a whole number (an int)"
        if value:
            out[key] = int(value)
    return out


def _diagnose(sequence: list[str], got: dict[str, int]) -> str:
    """A hint naming the slip when ``got`` matches a typical wrong answer for ``sequence`` (else "")."""
    right = expected_counts(sequence)
    slips = [
        (dict(Counter(n for n in (sequence[:-1] if sequence and sequence[-1] == "softmax" else sequence))),
         "your dict counts 'linear' too. 'linear' marks a layer with no activation function: skip it."),
        (dict(Counter(n for n in sequence if n != "linear")),
         "your dict counts the final 'softmax'. That is the classifier's output, not a hidden activation: "
         "leave the last entry out when it is 'softmax'."),
        (dict(Counter(n for n in sequence if n not in ("linear", "softmax"))),
         "your dict leaves out every 'softmax'. Only the last entry is the classifier; a softmax inside "
         "the network is an activation like any other."),
        (dict(Counter(n for n in sequence[:-1] if n != "linear")),
         "your dict always drops the last entry. Drop it only when it is 'softmax' (a classifier); a "
         "network may end with another activation, or with none."),
        (dict(Counter(sequence)),
         "your dict counts every entry. Skip 'linear' (no activation) and a final 'softmax' (the classifier)."),
    ]
    for wrong, hint in slips:
        if wrong != right and got == wrong:
            return hint
    return ""


def check_activation_counts(func: Callable[..., Any], name: str = NAME) -> list[Part]:
    """ex-when-to-use-activation-counts: counts per kind, without 'linear' and the final softmax."""
    parts = []
    for description, sequence, hint in CASES:
        shown = f"{name}({sequence!r})"
        try:
            result = func(copy.deepcopy(sequence))
        except NotImplementedError:
            raise NotAttempted from None
        except Exception as err:  # the learner's bug, reported rather than raised
            parts.append(Part(description, False, f"{shown} raised {type(err).__name__}: {err}"))
            continue
        got = _normalised(result)
        if isinstance(got, str):
            parts.append(Part(description, False, f"{shown} {got}."))
            continue
        if got == expected_counts(sequence):
            parts.append(Part(description, True))
            continue
        specific = _diagnose(sequence, got)
        parts.append(Part(description, False, f"{shown} returned {got}; " + (specific or hint)))
    parts.append(_input_untouched(func, name))
    return parts


def _input_untouched(func: Callable[..., Any], name: str) -> Part:
    description = "leaves the caller's list unchanged"
    sequence = ["linear", "relu", "linear", "softmax"]
    before = list(sequence)
    try:
        func(sequence)
    except NotImplementedError:
        raise NotAttempted from None
    except Exception:  # reported by the other parts
        pass
    if sequence == before:
        return Part(description, True)
    return Part(description, False, f"after {name}(sequence) the caller's list changed from {before} to "
                                    f"{sequence}; read the list (or a slice of it) instead of removing entries "
                                    "with pop() or remove().")


EXERCISES = [
    Exercise("ex-when-to-use-activation-counts", CHAPTER, NAME, check_activation_counts),
]

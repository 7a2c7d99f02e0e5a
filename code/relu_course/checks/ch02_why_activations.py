"""Checks for the exercises of chapter 2, "Why networks need activation functions"."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from relu_course.checks.exercise import Exercise
from relu_course.checks.probing import NotAttempted, Outcome, call_learner
from relu_course.checks.report import Part


def _stack(shapes: list[tuple[int, int]], seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape) for shape in shapes]


def _product(weights: list[np.ndarray]) -> np.ndarray:
    out = weights[0]
    for W in weights[1:]:
        out = out @ W
    return out


def call_with_matrices(func: Callable[..., Any], weights: list[np.ndarray], name: str) -> Outcome:
    """Call ``func`` on a copy of the list of matrices; a shape error gets a hint about the order."""
    shown = "a list of matrices with shapes " + ", ".join(str(W.shape) for W in weights)
    outcome = call_learner(func, weights, name, shown=shown)
    if not outcome.ok and any(word in outcome.problem for word in ("matmul", "aligned", "broadcast")):
        return Outcome(None, outcome.problem + ". The matrices only fit together in the order the input "
                                               "meets them: x @ W1 has W1's outputs as columns, which are W2's inputs.")
    return outcome


def _diagnose(got: np.ndarray, weights: list[np.ndarray], name: str) -> str:
    """A hint for a matrix of the right shape but the wrong values."""
    if len({W.shape for W in weights}) == 1 and got.shape == weights[0].shape:
        if np.allclose(got, _product(weights[::-1])):
            return (f"{name} multiplied the matrices in reverse order. A row vector meets W1 first: "
                    "x @ W1 @ W2 @ ..., and matrix products do not commute.")
        if np.allclose(got, sum(weights)):
            return f"{name} added the matrices; applying layers one after another multiplies them."
        if np.allclose(got, np.prod(np.stack(weights), axis=0)):
            return (f"{name} multiplied element by element (`*`); composing layers needs the matrix "
                    "product `@` (or np.matmul).")
        if np.allclose(got, weights[-1]) or np.allclose(got, weights[0]):
            return f"{name} returned one of the matrices; every layer in the list contributes."
    return (f"for {len(weights)} matrices, x @ {name}(weights) differs from applying the matrices to x "
            "one after another.")


def check_compose_linear(func: Callable[..., Any], name: str = "compose_linear") -> list[Part]:
    """ex-why-activations-compose: ``compose_linear(weights)`` returns W1 @ W2 @ ... @ Wk."""
    parts = []
    chain = _stack([(2, 3), (3, 4), (4, 1)], seed=0)
    outcome = call_with_matrices(func, chain, name)
    description = "returns one matrix of shape (inputs of the first, outputs of the last)"
    if not outcome.ok:
        parts.append(Part(description, False, outcome.problem))
    elif outcome.value.shape != (2, 1):
        parts.append(Part(description, False, f"for shapes (2, 3), (3, 4), (4, 1) {name} returned shape "
                                              f"{outcome.value.shape}; x has 2 entries and the last layer "
                                              "has 1 output, so the matrix must be (2, 1)."))
    else:
        parts.append(Part(description, True))
    for description, weights in [
        ("equals applying the layers one after another (3 square layers)", _stack([(3, 3)] * 3, seed=1)),
        ("works for a chain of differently sized layers", chain),
        ("works for a single layer", _stack([(2, 5)], seed=2)),
        ("works for a deep stack (20 layers)", [W / np.sqrt(3) for W in _stack([(3, 3)] * 20, seed=3)]),
    ]:
        parts.append(_matches_product(func, weights, name, description))
    parts.append(_input_untouched(func, name))
    return parts


def _matches_product(func: Callable[..., Any], weights: list[np.ndarray], name: str,
                     description: str) -> Part:
    outcome = call_with_matrices(func, weights, name)
    if not outcome.ok:
        return Part(description, False, outcome.problem)
    expected = _product(weights)
    got = outcome.value
    if got.shape != expected.shape:
        return Part(description, False, f"{name} returned shape {got.shape}; the composed matrix has "
                                        f"shape {expected.shape} (inputs of the first, outputs of the last).")
    if np.allclose(got, expected, rtol=1e-9, atol=1e-9 * float(np.max(np.abs(expected)))):
        return Part(description, True)
    return Part(description, False, _diagnose(got, weights, name))


def _input_untouched(func: Callable[..., Any], name: str) -> Part:
    description = "leaves the list and its matrices unchanged"
    weights = _stack([(3, 3)] * 3, seed=4)
    given = list(weights)
    before = [W.copy() for W in weights]
    try:
        func(given)
    except NotImplementedError:
        raise NotAttempted from None
    except Exception:  # reported by the other parts
        pass
    if len(given) == len(before) and all(np.array_equal(W, B) for W, B in zip(given, before)):
        return Part(description, True)
    return Part(description, False, f"after {name}(weights) the caller's list or one of its matrices "
                                    "changed; build the product in a new variable instead (e.g. avoid "
                                    "`weights.pop()` or `W @= ...` on the list's matrices).")


EXERCISES = [
    Exercise("ex-why-activations-compose", "02_why_activations", "compose_linear", check_compose_linear),
]

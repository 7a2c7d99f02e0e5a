"""The guide's "mini experiment", actually run: deep MLPs on the digits, plain SGD and Adam, several seeds.

Chapter 11 trains 2 optimizers x several activations x several seeds. Keras's ``model.fit`` takes
seconds per small network on a 2-core CPU, too much for ~30 networks in a chapter that must run in
about a minute, so the networks are trained here in NumPy, in float32 as Keras does. The backward
pass is the one of :func:`relu_course.backprop.mlp_gradients` (softmax cross-entropy, hand-written
backpropagation), generalised to every activation of :mod:`relu_course.activation_registry`; the
tests check that the two agree and that both match finite differences. Initial weights come from
:func:`relu_course.backprop.random_mlp_parameters`. Every run is deterministic for its seed.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from relu_course._validation import as_real_array, classification_data, positive_int, real_scalar
from relu_course.activation_registry import Activation, get_activation
from relu_course.backprop import INITS, Parameters, random_mlp_parameters
from relu_course.datasets import digits
from relu_course.seeding import MAX_SEED, seed_everything

OPTIMIZERS = ("sgd", "adam")
#: Adam's decay rates and epsilon: the defaults of Kingma & Ba (2014), Algorithm 1.
#: (Keras's Adam uses the same betas but epsilon = 1e-7.)
ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON = 0.9, 0.999, 1e-8
N_CLASSES = 10
#: The trainer computes in 32-bit floats, as Keras does by default (and twice as fast as 64-bit here).
DTYPE = np.float32


# ------------------------------------------------------------------ validation helpers
def _seed(value: Any, name: str = "seed") -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer in [0, {MAX_SEED}], got {type(value).__name__} ({value!r})")
    if not 0 <= value <= MAX_SEED:
        raise ValueError(f"{name} must be an integer in [0, {MAX_SEED}], got {value}")
    return int(value)


def _sequence(value: Any, name: str) -> list[Any]:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(f"{name} must be a sequence, got {type(value).__name__} ({value!r})")
    items = list(value)
    if not items:
        raise ValueError(f"{name} must not be empty")
    return items


def _optimizer(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"optimizer must be one of {OPTIMIZERS}, got {type(value).__name__} ({value!r})")
    if value not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {value!r}")
    return value


def _learning_rate(value: Any, name: str = "learning_rate") -> float:
    rate = real_scalar(value, name, low=0.0, high=100.0)
    if rate == 0:
        raise ValueError(f"{name} must be positive, got 0")
    return rate


def _rate(value: Any) -> float | np.ndarray:
    """A positive learning rate, or an array of them (one per parameter, for a stack of networks)."""
    if isinstance(value, np.ndarray) and value.ndim:
        rates = as_real_array(value, "learning_rate")
        if not np.all(np.isfinite(rates) & (rates > 0)):
            raise ValueError("learning_rate must hold positive finite numbers only")
        return rates
    return _learning_rate(value)


def _activation(value: Any) -> Activation:
    if isinstance(value, Activation):
        return value
    return get_activation(value)


def _params(params: Any) -> Parameters:
    if not isinstance(params, (list, tuple)) or not params:
        raise TypeError("params must be a non-empty list of (kernel, bias) pairs")
    checked: Parameters = []
    for i, pair in enumerate(params):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise TypeError(f"params[{i}] must be a (kernel, bias) pair")
        W = as_real_array(pair[0], f"params[{i}] kernel").astype(np.float64)
        b = as_real_array(pair[1], f"params[{i}] bias").astype(np.float64)
        if W.ndim != 2 or b.shape != (W.shape[1],):
            raise ValueError(f"params[{i}] must be a 2-D kernel and a bias with one entry per unit, "
                             f"got shapes {W.shape} and {b.shape}")
        if checked and checked[-1][0].shape[1] != W.shape[0]:
            raise ValueError(f"params[{i}] kernel expects {W.shape[0]} inputs but the layer before "
                             f"has {checked[-1][0].shape[1]} units")
        checked.append((W, b))
    return checked


def _data(params: Parameters, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    X, y = classification_data(X, y)
    if X.shape[1] != params[0][0].shape[0]:
        raise ValueError(f"X has {X.shape[1]} features but the first kernel expects {params[0][0].shape[0]}")
    n_out = params[-1][0].shape[1]
    if y.size and (y.min() < 0 or y.max() >= n_out):
        raise ValueError(f"y must hold class indices in [0, {n_out - 1}]")
    return X.astype(np.float64), y


# ------------------------------------------------------------------ data
@dataclass(frozen=True)
class DigitsSplit:
    """A train/test split of the digits, standardised with the training set's statistics only."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    seed: int


def split_digits(test_fraction: float = 0.25, *, seed: int = 0) -> DigitsSplit:
    """scikit-learn's bundled digits (offline), split stratified by class with ``seed``.

    Each pixel is standardised with the mean and standard deviation of the *training* images (pixels
    constant there are only centred), so nothing about the test set leaks into training.
    """
    from sklearn.model_selection import train_test_split

    test_fraction = real_scalar(test_fraction, "test_fraction", low=0.05, high=0.95)
    seed = _seed(seed)
    X, y = digits(standardise=False)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_fraction, stratify=y,
                                                        random_state=seed)
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    scale = np.where(std > 0, std, 1.0)
    return DigitsSplit((X_train - mean) / scale, y_train, (X_test - mean) / scale, y_test, seed)


# ------------------------------------------------------------------ forward and backward pass
# The core works on *stacks* of networks: kernels (networks, inputs, units), biases (networks, units),
# batches (networks, examples, features) or one batch (examples, features) shared by all. np.matmul
# multiplies the stacks pairwise, so several networks train in one pass of Python code.

def _forward(params: Parameters, X: np.ndarray, act: Activation) -> tuple[np.ndarray, list, list]:
    inputs, zs, h = [], [], X
    last = len(params) - 1
    for i, (W, b) in enumerate(params):
        inputs.append(h)
        z = h @ W + b[:, None, :]
        zs.append(z)
        h = act(z) if i < last else z
    return h, inputs, zs


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _picked(log_p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """log p of the true class, shape (networks, examples); ``y`` is (examples,) or (networks, examples)."""
    return np.take_along_axis(log_p, np.broadcast_to(y, log_p.shape[:-1])[..., None], axis=-1)[..., 0]


def _allocate(sizes: Sequence[int], n_networks: int, dtype: Any) -> tuple[np.ndarray, Parameters]:
    """One flat zero buffer and (kernel, bias) views into it for a stack of ``n_networks`` networks with
    layer sizes ``sizes``, so that an optimizer updates every parameter with a few array operations."""
    shapes = [((n_networks, i, o), (n_networks, o)) for i, o in zip(sizes[:-1], sizes[1:])]
    flat = np.zeros(sum(math.prod(w) + math.prod(b) for w, b in shapes), dtype=dtype)
    views, offset = [], 0
    for w_shape, b_shape in shapes:
        W = flat[offset:offset + math.prod(w_shape)].reshape(w_shape)
        offset += W.size
        b = flat[offset:offset + math.prod(b_shape)].reshape(b_shape)
        offset += b.size
        views.append((W, b))
    return flat, views


def _loss_and_gradients(params: Parameters, X: np.ndarray, y: np.ndarray, act: Activation,
                        grads: Parameters) -> np.ndarray:
    """Per-network mean cross-entropy, shape (networks,); writes the gradient of each network's own loss into
    ``grads`` (same shapes as ``params``)."""
    logits, inputs, zs = _forward(params, X, act)
    log_p = _log_softmax(logits)
    loss = -_picked(log_p, y).mean(axis=-1)
    delta = np.exp(log_p)
    index = np.broadcast_to(y, delta.shape[:-1])[..., None]
    np.put_along_axis(delta, index, np.take_along_axis(delta, index, axis=-1) - 1.0, axis=-1)
    delta /= logits.shape[1]  # dL/dlogits
    for i in range(len(params) - 1, -1, -1):
        if i < len(params) - 1:
            delta = delta * act.grad(zs[i])
        np.matmul(np.swapaxes(inputs[i], -1, -2), delta, out=grads[i][0])
        delta.sum(axis=1, out=grads[i][1])
        if i:
            delta = delta @ np.swapaxes(params[i][0], -1, -2)
    return loss


def mlp_loss_and_gradients(params: Parameters, X: Any, y: Any, activation: Any) -> tuple[float, Parameters]:
    """Mean softmax cross-entropy of one MLP with ``activation`` (a registry key such as "gelu") in
    every hidden layer and linear logits, and ``(dL/dkernel, dL/dbias)`` of every layer, by
    backpropagation (the trainer's own code path, for one network, in float64)."""
    act = _activation(activation)
    params = _params(params)
    X, y = _data(params, X, y)
    sizes = [params[0][0].shape[0], *(W.shape[1] for W, _ in params)]
    _, grads = _allocate(sizes, 1, np.float64)
    loss = _loss_and_gradients([(W[None], b[None]) for W, b in params], X, y, act, grads)
    return float(loss[0]), [(dW[0], db[0]) for dW, db in grads]


def _evaluate(params: Parameters, X: np.ndarray, y: np.ndarray, act: Activation) -> np.ndarray:
    """(loss, accuracy) of every network of the stack: shape (2, networks); NaN where one diverged."""
    with np.errstate(over="ignore", invalid="ignore"):
        logits = _forward(params, X, act)[0]
        finite = np.all(np.isfinite(logits), axis=(1, 2))
        loss = -_picked(_log_softmax(logits), y).mean(axis=-1)
    accuracy = np.mean(logits.argmax(axis=-1) == y, axis=-1)
    return np.where(finite, np.vstack([loss, accuracy]), np.nan)


def evaluate(params: Parameters, X: Any, y: Any, activation: Any) -> tuple[float, float]:
    """Mean softmax cross-entropy and accuracy (share of correct argmax predictions) of one MLP on
    ``(X, y)``; NaN and NaN when its outputs are not finite."""
    act = _activation(activation)
    params = _params(params)
    X, y = _data(params, X, y)
    loss, accuracy = _evaluate([(W[None], b[None]) for W, b in params], X, y, act)[:, 0]
    return float(loss), float(accuracy)


# ------------------------------------------------------------------ optimizers
class SGD:
    """Plain stochastic gradient descent, ``theta -= learning_rate * gradient`` (no momentum).

    ``learning_rate`` is a number, or an array with one rate per parameter.
    """

    def __init__(self, learning_rate: float | np.ndarray) -> None:
        self.learning_rate = _rate(learning_rate)

    def step(self, params: np.ndarray, grads: np.ndarray) -> None:
        """Update the array ``params`` in place from ``grads`` (same shape)."""
        params -= self.learning_rate * grads


class Adam:
    """Adam (Kingma & Ba 2014, Algorithm 1): steps scaled by bias-corrected running averages of the
    gradient (first moment) and of its square (second moment), elementwise. ``learning_rate`` is a
    number, or an array with one rate per parameter."""

    def __init__(self, learning_rate: float | np.ndarray, beta1: float = ADAM_BETA1,
                 beta2: float = ADAM_BETA2, epsilon: float = ADAM_EPSILON) -> None:
        self.learning_rate = _rate(learning_rate)
        self.beta1 = real_scalar(beta1, "beta1", low=0.0, high=0.999999)
        self.beta2 = real_scalar(beta2, "beta2", low=0.0, high=0.999999)
        self.epsilon = real_scalar(epsilon, "epsilon", low=0.0, high=1.0)
        self.t = 0
        self._m: np.ndarray | None = None
        self._v: np.ndarray | None = None

    def step(self, params: np.ndarray, grads: np.ndarray) -> None:
        """Update the array ``params`` in place from ``grads`` (same shape)."""
        if self._m is None or self._v is None:
            self._m, self._v = np.zeros_like(params), np.zeros_like(params)
        self.t += 1
        self._m *= self.beta1
        self._m += (1.0 - self.beta1) * grads
        self._v *= self.beta2
        self._v += (1.0 - self.beta2) * grads * grads
        m_hat = self._m / (1.0 - self.beta1**self.t)
        v_hat = self._v / (1.0 - self.beta2**self.t)
        params -= self.learning_rate * m_hat / (np.sqrt(v_hat) + self.epsilon)


def make_optimizer(optimizer: str, learning_rate: float | np.ndarray) -> SGD | Adam:
    """``SGD(learning_rate)`` for "sgd", ``Adam(learning_rate)`` with the paper's defaults for "adam"."""
    return SGD(learning_rate) if _optimizer(optimizer) == "sgd" else Adam(learning_rate)


# ------------------------------------------------------------------ training
@dataclass(frozen=True)
class Runs:
    """Networks of one activation and optimizer, trained side by side, each with its own seed and
    learning rate, measured on the whole training and test set after every epoch.

    Every curve has shape (networks, epochs + 1): column 0 is the untrained network, column k the
    network after k epochs. A diverged network (outputs no longer finite) reads NaN from then on.
    """

    activation: str
    optimizer: str
    seeds: tuple[int, ...]
    learning_rates: tuple[float, ...]
    train_loss: np.ndarray
    train_accuracy: np.ndarray
    test_loss: np.ndarray
    test_accuracy: np.ndarray

    @property
    def final_test_accuracy(self) -> np.ndarray:
        """Test accuracy after the last epoch, one entry per network (NaN for a diverged one)."""
        return self.test_accuracy[:, -1]

    @property
    def epochs(self) -> int:
        return self.train_loss.shape[1] - 1


def _hidden(hidden: Any) -> list[int]:
    return [positive_int(w, "hidden") for w in _sequence(hidden, "hidden")]


def _networks(seeds: Any, learning_rates: Any) -> list[tuple[int, float]]:
    """(seed, learning rate) per network; a single seed or rate is used for every network."""
    seed_list = [_seed(s, "seeds") for s in _sequence(seeds, "seeds")]
    rate_list = [_learning_rate(r, "learning_rates") for r in _sequence(learning_rates, "learning_rates")]
    n = max(len(seed_list), len(rate_list))
    if len(seed_list) not in (1, n) or len(rate_list) not in (1, n):
        raise ValueError(f"seeds and learning_rates must have the same length (or length 1), got "
                         f"{len(seed_list)} and {len(rate_list)}")
    pairs = list(zip(seed_list * (n // len(seed_list)), rate_list * (n // len(rate_list))))
    if len(set(pairs)) != n:
        raise ValueError(f"every network needs its own (seed, learning rate), got {pairs}")
    return pairs


def train_mlps(split: DigitsSplit, *, activation: Any, optimizer: str, seeds: Sequence[int],
               learning_rates: Sequence[float], hidden: Sequence[int], epochs: int, batch_size: int,
               init: str = "glorot") -> Runs:
    """Train networks ``64 inputs -> hidden... -> 10 logits`` with ``activation``, one per (seed,
    learning rate) pair, side by side; a single seed or learning rate is shared by all networks.

    A network's seed fixes its initial kernels (normal with the standard deviation of ``init``:
    "glorot" sqrt(2 / (fan_in + fan_out)), "he" sqrt(2 / fan_in); zero biases) and the order in which
    each epoch visits the training set in mini-batches of ``batch_size``. The networks never interact:
    each one's result is the same whichever others train beside it.
    """
    from threadpoolctl import threadpool_limits

    if not isinstance(split, DigitsSplit):
        raise TypeError(f"split must be a DigitsSplit (see split_digits), got {type(split).__name__}")
    act = _activation(activation)
    optimizer = _optimizer(optimizer)
    networks, widths = _networks(seeds, learning_rates), _hidden(hidden)
    epochs, batch_size = positive_int(epochs, "epochs"), positive_int(batch_size, "batch_size")
    if not isinstance(init, str) or init not in INITS:
        raise ValueError(f"init must be one of {tuple(INITS)}, got {init!r}")
    X, y = split.X_train.astype(DTYPE), split.y_train
    X_test = split.X_test.astype(DTYPE)
    if batch_size > y.size:
        raise ValueError(f"batch_size must be at most the {y.size} training examples, got {batch_size}")
    sizes = [X.shape[1], *widths, N_CLASSES]
    flat_params, params = _allocate(sizes, len(networks), DTYPE)
    flat_grads, grads = _allocate(sizes, len(networks), DTYPE)
    flat_rates, rates = _allocate(sizes, len(networks), DTYPE)
    for k, (seed, rate) in enumerate(networks):
        for (W, b), (W_k, b_k), (rW, rb) in zip(params, random_mlp_parameters(sizes, init=init, seed=seed), rates):
            W[k], b[k], rW[k], rb[k] = W_k, b_k, rate, rate
    opt = make_optimizer(optimizer, flat_rates)
    rngs = [seed_everything(seed) for seed, _ in networks]
    curves = np.empty((4, len(networks), epochs + 1))
    # Tiny matrices: one BLAS thread is faster than several, and immune to a busy machine.
    with threadpool_limits(1, user_api="blas"):
        for epoch in range(epochs + 1):
            if epoch:
                orders = np.stack([r.permutation(y.size) for r in rngs])
                with np.errstate(over="ignore", invalid="ignore"):
                    for start in range(0, y.size, batch_size):
                        rows = orders[:, start:start + batch_size]
                        _loss_and_gradients(params, X[rows], y[rows], act, grads)
                        opt.step(flat_params, flat_grads)
            curves[:2, :, epoch] = _evaluate(params, X, y, act)
            curves[2:, :, epoch] = _evaluate(params, X_test, split.y_test, act)
    seeds_out, rates_out = zip(*networks)
    return Runs(act.key, optimizer, tuple(seeds_out), tuple(rates_out), *curves)


Results = Mapping[tuple[str, str], Runs]


def run_grid(split: DigitsSplit, *, activations: Sequence[str], learning_rates: Mapping[str, float],
             seeds: Sequence[int], hidden: Sequence[int], epochs: int, batch_size: int,
             init: str = "glorot") -> dict[tuple[str, str], Runs]:
    """Train every (optimizer, activation) pair once per seed; keys are ``(optimizer, activation)``.

    ``learning_rates`` maps each optimizer to use ("sgd", "adam") to its one learning rate.
    """
    keys = [_activation(a).key for a in _sequence(activations, "activations")]
    if not isinstance(learning_rates, Mapping) or not learning_rates:
        raise TypeError("learning_rates must be a non-empty mapping such as {'sgd': 0.1, 'adam': 0.001}")
    return {(_optimizer(opt), key): train_mlps(split, activation=key, optimizer=opt, seeds=seeds,
                                               learning_rates=[rate], hidden=hidden, epochs=epochs,
                                               batch_size=batch_size, init=init)
            for opt, rate in learning_rates.items() for key in keys}


# ------------------------------------------------------------------ summaries
def _curve(curve: Any) -> np.ndarray:
    values = as_real_array(curve, "curve")
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"curve must be a non-empty 1-D array (one value per epoch), got shape {values.shape}")
    return values


def epochs_to_accuracy(curve: Any, target: float) -> float:
    """The first epoch k with ``curve[k] >= target`` (``curve[0]`` is the untrained network), or NaN
    when the curve never reaches ``target``. Returned as a float so that NaN can stand for "not reached"."""
    values = _curve(curve)
    target = real_scalar(target, "target", low=0.0, high=1.0)
    reached = np.flatnonzero(values >= target)
    return float(reached[0]) if reached.size else math.nan


def loss_spikes(curve: Any, rise: float = 0.1) -> int:
    """How many epochs ended with a loss more than ``rise`` (a fraction: 0.1 = 10 %) above the epoch
    before: 0 for a loss that only falls or wobbles less. A measure of how bumpy training is; NaN
    entries (a diverged run) are not counted."""
    values = _curve(curve)
    rise = real_scalar(rise, "rise", low=0.0, high=100.0)
    with np.errstate(invalid="ignore"):
        return int(np.sum(values[1:] > (1.0 + rise) * values[:-1]))


def mean_and_spread(values: Any) -> tuple[float, float]:
    """Mean and *sample* standard deviation (ddof = 1) of a few runs, e.g. one accuracy per seed.

    The sample standard deviation estimates the spread of all possible seeds from the few that ran;
    it needs at least two values. NaN (a diverged run) propagates.
    """
    array = as_real_array(values, "values")
    if array.ndim != 1 or array.size < 2:
        raise ValueError(f"values must be a 1-D sequence of at least two numbers, got shape {array.shape}")
    return float(array.mean()), float(array.std(ddof=1))


@dataclass(frozen=True)
class Summary:
    """What one (optimizer, activation) cell of the measured table says, over its seeds."""

    optimizer: str
    activation: str
    test_accuracy_mean: float
    test_accuracy_std: float
    test_accuracy_range: float        # max - min over seeds
    epochs_to_target: tuple[float, ...]  # per seed; NaN where the target was not reached
    loss_spikes: tuple[int, ...]         # per seed: epochs whose training loss jumped (loss_spikes)
    target: float

    @property
    def reached_all(self) -> bool:
        return not any(math.isnan(e) for e in self.epochs_to_target)


def summarise(results: Results, target: float, rise: float = 0.1) -> list[Summary]:
    """One :class:`Summary` per entry of ``results``: final test accuracy over seeds, the epochs each
    seed needed to reach training accuracy ``target``, and each seed's training-loss spikes (epochs
    whose loss rose by more than the fraction ``rise``)."""
    if not isinstance(results, Mapping) or not results:
        raise TypeError("results must be a non-empty mapping (optimizer, activation) -> Runs")
    target = real_scalar(target, "target", low=0.0, high=1.0)
    rows = []
    for (optimizer, activation), runs in results.items():
        if not isinstance(runs, Runs):
            raise TypeError(f"results[{(optimizer, activation)!r}] must be Runs, got {type(runs).__name__}")
        final = runs.final_test_accuracy
        mean, std = mean_and_spread(final) if final.size > 1 else (float(final[0]), math.nan)
        speed = tuple(epochs_to_accuracy(c, target) for c in runs.train_accuracy)
        rises = tuple(loss_spikes(c, rise) for c in runs.train_loss)
        rows.append(Summary(optimizer, activation, mean, std, float(final.max() - final.min()), speed, rises,
                            target))
    return rows


# ------------------------------------------------------------------ a table for the notebook
@dataclass(frozen=True)
class Table:
    """A small table that Jupyter (and the book) shows as HTML and a terminal shows as text."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        if any(len(r) != len(self.headers) for r in self.rows):
            raise ValueError("every row must have one entry per header")

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.headers)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in self.rows)
        return (f'<table class="table table-sm" style="font-size: 0.9em"><thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>")

    def __str__(self) -> str:
        cells = [self.headers, *self.rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(self.headers))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)

    __repr__ = __str__


def format_epochs(epochs: Sequence[float]) -> str:
    """Epochs to a target over seeds as text: "5", "4–6" (fewest–most), "not reached", or
    "12–15 (1 of 3 not reached)"."""
    values = [real_scalar(e, "epochs") if not _is_nan(e) else math.nan for e in _sequence(epochs, "epochs")]
    reached = [int(e) for e in values if not math.isnan(e)]
    if not reached:
        return "not reached"
    lo, hi = min(reached), max(reached)
    text = f"{lo}" if lo == hi else f"{lo}–{hi}"
    missed = len(values) - len(reached)
    return text + (f" ({missed} of {len(values)} not reached)" if missed else "")


def _is_nan(value: Any) -> bool:
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def percent(value: float, std: float | None = None) -> str:
    """``0.9634`` -> "96.3 %"; with ``std=0.004`` -> "96.3 ± 0.4 %"; NaN -> "diverged"."""
    if _is_nan(value):
        return "diverged"
    value = real_scalar(value, "value")
    if std is None or _is_nan(std):
        return f"{100 * value:.1f} %"
    return f"{100 * value:.1f} ± {100 * real_scalar(std, 'std', low=0.0):.1f} %"


def measured_table(results: Results, target: float, guide: Mapping[str, str] | None = None) -> Table:
    """The measured table: one row per activation, and per optimizer the final test accuracy (mean ±
    sample standard deviation over seeds) and the epochs to training accuracy ``target``. With
    ``guide`` (activation key -> text), a first column shows what the guide claims for that row."""
    rows = summarise(results, target)
    optimizers = list(dict.fromkeys(r.optimizer for r in rows))
    activations = list(dict.fromkeys(r.activation for r in rows))
    by_key = {(r.optimizer, r.activation): r for r in rows}
    if guide is not None and not isinstance(guide, Mapping):
        raise TypeError(f"guide must be a mapping from activation key to text, got {type(guide).__name__}")
    headers = ["activation"] + (["guide (no settings, no source)"] if guide is not None else [])
    for opt in optimizers:
        headers += [f"{_OPTIMIZER_NAMES[opt]}: test accuracy",
                    f"{_OPTIMIZER_NAMES[opt]}: epochs to {100 * target:.0f} % train acc."]
    table_rows = []
    for key in activations:
        row = [get_activation(key).name] + ([guide.get(key, "—")] if guide is not None else [])
        for opt in optimizers:
            summary = by_key.get((opt, key))
            if summary is None:
                row += ["—", "—"]
                continue
            row += [percent(summary.test_accuracy_mean, summary.test_accuracy_std),
                    format_epochs(summary.epochs_to_target)]
        table_rows.append(tuple(row))
    return Table(tuple(headers), tuple(table_rows))


def stability_table(results: Results, rise: float = 0.1) -> Table:
    """Per activation and optimizer: the range (max - min) of the final test accuracy over seeds, and
    for each seed the number of epochs whose training loss rose by more than the fraction ``rise``."""
    rows = summarise(results, 1.0, rise)
    optimizers = list(dict.fromkeys(r.optimizer for r in rows))
    by_key = {(r.optimizer, r.activation): r for r in rows}
    headers = ["activation"]
    for opt in optimizers:
        headers += [f"{_OPTIMIZER_NAMES[opt]}: test accuracy range over seeds",
                    f"{_OPTIMIZER_NAMES[opt]}: loss spikes (> {100 * rise:g} %), per seed"]
    table_rows = []
    for key in dict.fromkeys(r.activation for r in rows):
        row = [get_activation(key).name]
        for opt in optimizers:
            summary = by_key.get((opt, key))
            if summary is None:
                row += ["—", "—"]
                continue
            spread = summary.test_accuracy_range
            row += ["diverged" if math.isnan(spread) else f"{100 * spread:.1f} points",
                    ", ".join(str(n) for n in summary.loss_spikes)]
        table_rows.append(tuple(row))
    return Table(tuple(headers), tuple(table_rows))


_OPTIMIZER_NAMES = {"sgd": "SGD", "adam": "Adam"}

"""The mini-experiment explorer and figures, driven by synthetic results (nothing is trained here)."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from relu_course.mini_experiment import Runs
from relu_course.widgets import mini_experiment as w

OPTIMIZERS = ("sgd", "adam")
ACTIVATIONS = ("sigmoid", "tanh", "relu", "elu")
EPOCHS = 6


def fake_runs(activation, optimizer, seeds=(0, 1, 2), rates=None, diverge=False):
    """Curves with a distinct, known value for every (activation, optimizer, seed, epoch)."""
    n = len(seeds) if rates is None else len(rates)
    rates = rates or (0.1,) * n
    seeds = seeds if len(seeds) == n else (seeds[0],) * n
    base = ACTIVATIONS.index(activation) + 10 * OPTIMIZERS.index(optimizer)
    epochs = np.arange(EPOCHS + 1)
    loss = np.array([2.3 * np.exp(-(base + s + 1) * epochs / 20) for s in range(n)])
    accuracy = np.array([0.1 + 0.85 * (1 - np.exp(-(base + s + 1) * epochs / 10)) for s in range(n)])
    test = accuracy - 0.02
    if diverge:
        loss[-1, 3:] = accuracy[-1, 3:] = test[-1, 3:] = np.nan
    return Runs(activation, optimizer, tuple(seeds), tuple(rates), loss, accuracy, loss + 0.1, test)


@pytest.fixture
def results():
    return {(o, a): fake_runs(a, o, diverge=(o, a) == ("sgd", "relu")) for o in OPTIMIZERS for a in ACTIVATIONS}


def test_panel_over_every_choice_shows_the_stored_curves(results):
    for opt in OPTIMIZERS:
        for act in ACTIVATIONS:
            for metric in w.METRICS:
                fig = w.mini_experiment_panel(results, opt, act, metric)
                ax = fig.axes[0]
                expected = getattr(results[(opt, act)], metric)
                assert [line.get_label() for line in ax.lines] == ["seed 0", "seed 1", "seed 2"]
                for line, curve in zip(ax.lines, expected):
                    np.testing.assert_array_equal(line.get_xdata(), np.arange(EPOCHS + 1))
                    np.testing.assert_array_equal(line.get_ydata(), curve)
                assert ax.get_yscale() == ("log" if metric == "train_loss" else "linear")
                assert ax.get_ylabel() == w.METRICS[metric]
                plt.close(fig)


def test_panel_title_names_the_run_and_its_final_test_accuracies(results):
    fig = w.mini_experiment_panel(results, "sgd", "relu", "test_accuracy")
    title = fig.axes[0].get_title()
    finals = results[("sgd", "relu")].final_test_accuracy
    assert title.startswith("ReLU, plain SGD (lr 0.1)")
    assert f"{100 * finals[0]:.1f} %" in title and title.endswith("—")  # the diverged seed


@pytest.mark.parametrize("args, error, word", [
    (("momentum", "relu"), ValueError, "optimizer"), (("sgd", "gelu"), ValueError, "activation"),
    (("sgd", "relu", "test_loss"), ValueError, "metric"),
])
def test_panel_validates(results, args, error, word):
    with pytest.raises(error, match=word):
        w.mini_experiment_panel(results, *args)


@pytest.mark.parametrize("bad", [{}, [1, 2], {("sgd", "relu"): [0.9]}, {"relu": fake_runs("relu", "sgd")}])
def test_functions_reject_what_is_not_results(bad):
    with pytest.raises(TypeError, match="results"):
        w.mini_experiment_small_multiples(bad)
    with pytest.raises(TypeError, match="results"):
        w.final_accuracy_figure(bad)


def test_small_multiples_one_panel_per_optimizer_and_activation(results):
    fig = w.mini_experiment_small_multiples(results, "train_loss")
    titled = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in titled] == [f"{n}, {o}" for o in ("plain SGD", "Adam")
                                                  for n in ("Sigmoid", "Tanh", "ReLU", "ELU")]
    for ax, key in zip(titled, results):
        np.testing.assert_array_equal(ax.lines[2].get_ydata(), results[key].train_loss[2])
    assert len(fig.legends) == 1


def test_small_multiples_leave_missing_pairs_empty(results):
    del results[("adam", "elu")]
    fig = w.mini_experiment_small_multiples(results, "test_accuracy")
    assert sum(1 for ax in fig.axes if ax.get_title()) == len(OPTIMIZERS) * len(ACTIVATIONS) - 1


def test_final_accuracy_figure_draws_every_seed_and_the_mean(results):
    fig = w.final_accuracy_figure(results)
    assert [ax.get_title() for ax in fig.axes] == ["plain SGD", "Adam"]
    sgd = fig.axes[0]
    points = [c.get_offsets()[:, 1] for c in sgd.collections if hasattr(c, "get_offsets") and len(c.get_offsets())]
    finals = results[("sgd", "tanh")].final_test_accuracy
    assert any(np.allclose(p, finals) for p in points)
    diverged = results[("sgd", "relu")].final_test_accuracy
    assert np.isnan(diverged[-1]) and any(np.allclose(p, np.nan_to_num(diverged)) for p in points)
    assert [t.get_text() for t in sgd.get_xticklabels()] == ["Sigmoid", "Tanh", "ReLU", "ELU"]


def test_learning_rate_figure_orders_rates_and_marks_divergence():
    sweep = fake_runs("relu", "sgd", seeds=(3,), rates=(1.0, 0.01, 0.1), diverge=True)
    adam = fake_runs("sigmoid", "adam", seeds=(3,), rates=(1e-3, 1e-2))
    fig = w.learning_rate_figure([sweep, adam])
    sgd_ax, adam_ax = fig.axes
    assert sgd_ax.get_title() == "plain SGD" and adam_ax.get_xscale() == "log"
    line = sgd_ax.lines[0]
    np.testing.assert_array_equal(line.get_xdata(), [0.01, 0.1, 1.0])
    finals = sweep.final_test_accuracy  # the last network (rate 0.1) diverged
    assert np.isnan(finals[2])
    np.testing.assert_array_equal(line.get_ydata(), finals[[1, 2, 0]])
    np.testing.assert_array_equal(sgd_ax.lines[1].get_xdata(), [0.1])  # the diverged network, drawn at 0
    np.testing.assert_array_equal(sgd_ax.lines[1].get_ydata(), [0.0])
    with pytest.raises(TypeError, match="sweeps"):
        w.learning_rate_figure(sweep)


def test_plot_runs_validates():
    fig, ax = plt.subplots()
    with pytest.raises(TypeError, match="runs"):
        w.plot_runs(ax, {"train_loss": [1.0]})
    with pytest.raises(ValueError, match="metric"):
        w.plot_runs(ax, fake_runs("relu", "sgd"), "loss")


def test_live_explorer_offers_exactly_the_stored_choices(results):
    pytest.importorskip("ipywidgets")
    explorer = w.mini_experiment_explorer(results)
    controls = {c.description: c for c in explorer.children if getattr(c, "description", "")}
    assert [v for _, v in controls["optimizer"].options] == list(OPTIMIZERS)
    assert [v for _, v in controls["activation"].options] == list(ACTIVATIONS)
    assert [v for _, v in controls["curve"].options] == list(w.METRICS)
    controls["activation"].value = "elu"
    controls["curve"].value = "test_accuracy"
    explorer.update()

"""The architecture census of chapter 9: reading activations, roles and linear layers from a model's
configuration. Small hand-written configurations (in the format of Keras 3's ``model.get_config()``)
give every expected value by hand; one test builds a real MobileNetV3Small and compares the census
with counts taken independently from the live layer objects."""
import math
import socket

import numpy as np
import pytest

from relu_course import architecture_census as ac
from relu_course.tf_loader import tensorflow_available


# ------------------------------------------------------------------ a tiny configuration builder
def tensor(name, shape=(None, 8, 8, 4)):
    return {"class_name": "__keras_tensor__", "config": {"shape": list(shape), "dtype": "float32",
                                                         "keras_history": [name, 0, 0]}}


def layer(name, class_name, inputs=(), shapes=None, module="keras.layers", constants=(), **config):
    """One layer of a configuration; ``inputs`` are names, ``shapes`` their tensor shapes."""
    shapes = shapes or [(None, 8, 8, 4)] * len(inputs)
    refs = [tensor(n, s) for n, s in zip(inputs, shapes)]
    args = ([refs] if len(refs) > 1 else refs) + list(constants)
    return {"module": module, "class_name": class_name, "name": name, "config": {"name": name, **config},
            "inbound_nodes": [{"args": args, "kwargs": {}}] if inputs else []}


def op(name, class_name, source, constant, shape=(None, 1, 1, 4)):
    return layer(name, class_name, [source], [shape], module="keras.src.ops.numpy", constants=[constant])


def model_config(layers, output):
    return {"name": "m", "layers": layers, "input_layers": [["in", 0, 0]], "output_layers": [output, 0, 0]}


ONE = (None, 1, 1, 4)


def mobilenet_v3_like():
    """input, stem conv + h-swish, a ReLU, an SE branch with a ReLU squeeze and a ReLU6(x+3)/6 gate,
    a projection left linear, an expansion with h-swish, the classifier."""
    return model_config([
        layer("in", "InputLayer"),                                            # 0
        layer("stem", "Conv2D", ["in"], activation="linear"),                 # 1
        layer("stem_act", "Activation", ["stem"], activation="hard_silu"),    # 2
        layer("dw", "DepthwiseConv2D", ["stem_act"], activation="linear"),    # 3
        layer("dw_relu", "ReLU", ["dw"], max_value=None, negative_slope=0.0, threshold=0.0),  # 4
        layer("se_pool", "GlobalAveragePooling2D", ["dw_relu"]),              # 5
        layer("se_conv", "Conv2D", ["se_pool"], [ONE], activation="linear"),  # 6
        layer("se_relu", "ReLU", ["se_conv"], [ONE], max_value=None, negative_slope=0.0, threshold=0.0),  # 7
        layer("se_conv_1", "Conv2D", ["se_relu"], [ONE], activation="linear"),  # 8
        op("add", "Add", "se_conv_1", 3.0),                                    # 9
        layer("re_lu_1", "ReLU", ["add"], [ONE], max_value=6.0, negative_slope=0.0, threshold=0.0),  # 10
        op("multiply", "Multiply", "re_lu_1", 1 / 6),                           # 11
        layer("se_mul", "Multiply", ["dw_relu", "multiply"], [(None, None, None, 4), ONE]),  # 12
        layer("project", "Conv2D", ["se_mul"], activation="linear"),          # 13
        layer("project_bn", "BatchNormalization", ["project"]),               # 14
        layer("expand", "Conv2D", ["project_bn"], activation="linear"),       # 15
        layer("expand_act", "Activation", ["expand"], activation="hard_silu"),  # 16
        layer("pool", "GlobalAveragePooling2D", ["expand_act"]),              # 17
        layer("identity", "Activation", ["pool"], activation="linear"),       # 18
        layer("predictions", "Dense", ["identity"], [(None, 4)], activation="softmax"),  # 19
    ], "predictions")


@pytest.fixture
def mnv3():
    return ac.census_from_config("tiny", mobilenet_v3_like())


# ------------------------------------------------------------------ classify
def entry(class_name, module="keras.layers", **config):
    return ac.Entry(0, "x", class_name, module, config, (), (), ())


@pytest.mark.parametrize("class_name, config, expected_kind", [
    ("Activation", {"activation": "relu"}, "relu"),
    ("Activation", {"activation": "hard_silu"}, "hard_silu"),
    ("Activation", {"activation": "silu"}, "silu"),
    ("Activation", {"activation": "linear"}, None),
    ("Activation", {"activation": {"module": "keras.activations", "class_name": "function",
                                   "config": "gelu"}}, "gelu"),
    ("ReLU", {"max_value": None, "negative_slope": 0.0, "threshold": 0.0}, "relu"),
    ("ReLU", {"max_value": 6.0, "negative_slope": 0.0, "threshold": 0.0}, "relu6"),
    ("ReLU", {"max_value": 3.0, "negative_slope": 0.0, "threshold": 0.0}, "relu_capped_3"),
    ("ReLU", {"max_value": None, "negative_slope": 0.1, "threshold": 0.0}, "leaky_relu"),
    ("ReLU", {"max_value": None, "negative_slope": 0.0, "threshold": 1.0}, "relu_variant"),
    ("LeakyReLU", {"negative_slope": 0.3}, "leaky_relu"),
    ("PReLU", {}, "prelu"),
    ("ELU", {"alpha": 1.0}, "elu"),
    ("Softmax", {}, "softmax"),
    ("Conv2D", {"activation": "relu"}, "relu"),
    ("Dense", {"activation": "softmax"}, "softmax"),
    ("Conv2D", {"activation": "linear"}, None),
    ("BatchNormalization", {}, None),
])
def test_classify_reads_every_way_of_writing_an_activation(class_name, config, expected_kind):
    found = ac.classify(entry(class_name, **config))
    assert (found[0] if found else None) == expected_kind


def test_operations_are_never_activation_sites():
    assert ac.classify(entry("Add", module="keras.src.ops.numpy", activation="relu")) is None


def test_keras_names_say_what_the_configuration_says():
    assert ac.classify(entry("Activation", activation="hard_silu"))[1] == "Activation('hard_silu')"
    assert ac.classify(entry("ReLU", max_value=6.0, negative_slope=0.0, threshold=0.0))[1] == "ReLU(max_value=6.0)"
    assert ac.classify(entry("ReLU", max_value=None, negative_slope=0.0, threshold=0.0))[1] == "ReLU()"
    assert ac.classify(entry("Conv2D", activation="relu"))[1] == "Conv2D(activation='relu')"


# ------------------------------------------------------------------ the census of a configuration
def test_roles_kinds_and_positions_by_hand(mnv3):
    by_layer = {s.layer: (s.index, s.kind, s.role) for s in mnv3.sites}
    assert by_layer == {
        "stem_act": (2, "hard_silu", "hidden"), "dw_relu": (4, "relu", "hidden"),
        "se_relu": (7, "relu", "squeeze"), "re_lu_1": (10, "hard_sigmoid", "gate"),
        "expand_act": (16, "hard_silu", "hidden"), "predictions": (19, "softmax", "head"),
    }
    assert mnv3.n_layers == 20
    assert mnv3.counts("hidden") == {"hard_silu": 2, "relu": 1}
    assert mnv3.counts(None) == {"relu": 2, "hard_silu": 2, "hard_sigmoid": 1, "softmax": 1}
    assert mnv3.counts("gate") == {"hard_sigmoid": 1} and mnv3.counts("head") == {"softmax": 1}
    assert mnv3.first_fraction("hard_silu") == 2 / 20
    assert mnv3.takeover_fraction("hard_silu") == 16 / 20   # the run after the last ReLU
    assert math.isnan(mnv3.takeover_fraction("relu")) and math.isnan(mnv3.first_fraction("gelu"))
    np.testing.assert_array_equal(mnv3.fractions("relu", None), [4 / 20, 7 / 20])
    assert mnv3.notes and "hard sigmoid" in mnv3.notes[0]


def test_sequence_has_one_name_per_entry(mnv3):
    seq = mnv3.sequence()
    assert len(seq) == 20
    assert [i for i, k in enumerate(seq) if k != "linear"] == [2, 4, 7, 10, 16, 19]
    assert seq[10] == "hard_sigmoid" and seq[-1] == "softmax"


def test_linear_outputs_by_hand(mnv3):
    # project -> BN -> expand is linear; stem, dw, se_conv, se_conv_1 and expand reach an activation
    assert mnv3.linear_outputs == 1


def test_relu6_without_the_plus_three_is_not_a_hard_sigmoid():
    cfg = mobilenet_v3_like()
    cfg["layers"][9] = op("add", "Add", "se_conv_1", 2.0)
    census = ac.census_from_config("tiny", cfg)
    gate = [s for s in census.sites if s.role == "gate"]
    assert [(g.layer, g.kind) for g in gate] == [("re_lu_1", "relu6")]
    assert census.notes == ()


def efficientnet_like():
    """SE with a Reshape, a swish squeeze conv and a sigmoid gate conv; a residual Add; MaxPool."""
    return model_config([
        layer("in", "InputLayer"),
        layer("stem", "Conv2D", ["in"], activation="linear"),
        layer("stem_act", "Activation", ["stem"], activation="silu"),
        layer("se_squeeze", "GlobalAveragePooling2D", ["stem_act"]),
        layer("se_reshape", "Reshape", ["se_squeeze"], [(None, 4)]),
        layer("se_reduce", "Conv2D", ["se_reshape"], [ONE], activation="silu"),
        layer("se_expand", "Conv2D", ["se_reduce"], [ONE], activation="sigmoid"),
        layer("se_excite", "Multiply", ["stem_act", "se_expand"], [(None, 8, 8, 4), ONE]),
        layer("project", "Conv2D", ["se_excite"], activation="linear"),
        layer("add", "Add", ["project", "stem"]),
        layer("pool", "MaxPooling2D", ["add"]),
        layer("head_conv", "Conv2D", ["pool"], activation="linear"),
        layer("top", "Activation", ["head_conv"], activation="silu"),
        layer("gap", "GlobalAveragePooling2D", ["top"]),
        layer("predictions", "Dense", ["gap"], [(None, 4)], activation="softmax"),
    ], "predictions")


def test_se_with_activations_inside_convolutions():
    census = ac.census_from_config("effnet", efficientnet_like())
    roles = {s.layer: (s.kind, s.role) for s in census.sites}
    assert roles == {"stem_act": ("silu", "hidden"), "se_reduce": ("silu", "squeeze"),
                     "se_expand": ("sigmoid", "gate"), "top": ("silu", "hidden"),
                     "predictions": ("softmax", "head")}
    # stem feeds stem_act (an activation) and the Add; project -> Add -> MaxPool: a max is not linear
    assert census.linear_outputs == 0


def test_multiply_of_two_feature_maps_is_not_squeeze_and_excitation():
    cfg = efficientnet_like()
    cfg["layers"][7] = layer("se_excite", "Multiply", ["stem_act", "se_expand"],
                             [(None, 8, 8, 4), (None, 8, 8, 4)])
    census = ac.census_from_config("effnet", cfg)
    assert census.counts("gate") == {} and census.counts("squeeze") == {}
    assert census.counts("hidden") == {"silu": 3, "sigmoid": 1}


def test_a_path_that_skips_every_activation_is_linear_only_if_all_paths_are():
    cfg = model_config([
        layer("in", "InputLayer"),
        layer("a", "Conv2D", ["in"], activation="linear"),          # -> bn -> b (linear) and -> relu
        layer("bn", "BatchNormalization", ["a"]),
        layer("b", "Conv2D", ["bn"], activation="linear"),          # -> pad -> c: linear
        layer("pad", "ZeroPadding2D", ["b"]),
        layer("c", "SeparableConv2D", ["pad"], activation="relu"),  # has its own activation
        layer("relu", "ReLU", ["a"], max_value=None, negative_slope=0.0, threshold=0.0),
        layer("sum", "Add", ["c", "relu"]),
        layer("d", "Dense", ["sum"], activation="linear"),          # its output is the model's: not linear
    ], "d")
    census = ac.census_from_config("paths", cfg)
    assert census.linear_outputs == 1
    assert census.counts("head") == {}   # a linear output layer is no activation site


def test_nested_sequential_is_expanded_and_chained():
    stem = {"module": "keras", "class_name": "Sequential", "name": "stem", "config": {"name": "stem", "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "config": {"name": "stem_in"}},
        {"module": "keras.layers", "class_name": "Conv2D", "config": {"name": "stem_conv", "activation": "linear"}},
        {"module": "keras.layers", "class_name": "Activation", "config": {"name": "stem_gelu", "activation": "gelu"}},
    ]}, "inbound_nodes": [{"args": [tensor("in")], "kwargs": {}}]}
    cfg = model_config([layer("in", "InputLayer"), stem,
                        layer("conv", "Conv2D", ["stem"], activation="linear"),
                        layer("predictions", "Dense", ["conv"], activation="softmax")], "predictions")
    census = ac.census_from_config("nested", cfg)
    assert [(s.index, s.layer, s.kind, s.role) for s in census.sites] == [
        (2, "stem_gelu", "gelu", "hidden"), (4, "predictions", "softmax", "head")]
    assert census.n_layers == 5 and census.linear_outputs == 1   # conv -> predictions (Dense)


def test_several_output_layers_are_all_heads():
    cfg = efficientnet_like()
    cfg["output_layers"] = [["predictions", 0, 0], ["top", 0, 0]]
    roles = {s.layer: s.role for s in ac.census_from_config("two", cfg).sites}
    assert roles["predictions"] == roles["top"] == "head"


@pytest.mark.parametrize("config, error, word", [
    ({"layers": "no"}, TypeError, "get_config"),
    ([1, 2], TypeError, "get_config"),
    ({"layers": [{"name": "x"}]}, TypeError, "class_name"),
    (model_config([layer("in", "InputLayer"), layer("a", "Dense", ["ghost"])], "a"), ValueError, "ghost"),
    ({"layers": [{"class_name": "Dense", "config": {}}]}, ValueError, "no name"),
])
def test_bad_configurations_are_named(config, error, word):
    with pytest.raises(error, match=word):
        ac.census_from_config("bad", config)


def test_nested_functional_models_are_refused_not_misread():
    inner = {"module": "keras", "class_name": "Functional", "name": "sub",
             "config": {"name": "sub", "layers": []}, "inbound_nodes": [{"args": [tensor("in")], "kwargs": {}}]}
    with pytest.raises(NotImplementedError, match="Sequential"):
        ac.census_from_config("x", model_config([layer("in", "InputLayer"), inner], "sub"))


def test_census_validates_its_records():
    site = ac.Site(3, "a", "ReLU", "relu", "ReLU()", "hidden")
    with pytest.raises(ValueError, match="outside"):
        ac.Census("x", 3, (site,))
    with pytest.raises(ValueError, match="role"):
        ac.Census("x", 5, (ac.Site(1, "a", "ReLU", "relu", "ReLU()", "main"),))
    with pytest.raises(ValueError, match="order"):
        ac.Census("x", 5, (site, ac.Site(1, "b", "ReLU", "relu", "ReLU()", "hidden")))
    with pytest.raises(ValueError, match="role"):
        ac.Census("x", 5, (site,)).counts("everything")
    with pytest.raises(TypeError, match="architecture"):
        ac.census_from_config("", mobilenet_v3_like())


def test_table_rows_and_display_names(mnv3):
    rows = ac.census_rows({"tiny": mnv3})
    assert rows == [["tiny", "h-swish × 2, ReLU × 1", "ReLU × 1", "hard sigmoid × 1", "softmax × 1", "1", "20"]]
    assert len(rows[0]) == len(ac.CENSUS_HEADER)
    assert ac.summary(mnv3) == "h-swish × 2, ReLU × 1"
    assert ac.display_name("silu") == "SiLU / Swish" and ac.display_name("mystery") == "mystery"
    with pytest.raises(TypeError):
        ac.census_rows({"tiny": "not a census"})


# ------------------------------------------------------------------ no downloads
def test_no_downloads_blocks_connections_and_restores_them():
    original = (socket.socket.connect, socket.create_connection)
    with ac.no_downloads() as guard:
        with pytest.raises(ac.DownloadBlocked):
            socket.create_connection(("192.0.2.1", 80), timeout=0.01)
        s = socket.socket()
        try:
            with pytest.raises(ac.DownloadBlocked):
                s.connect(("192.0.2.1", 80))
        finally:
            s.close()
    assert len(guard.attempts) == 2
    assert (socket.socket.connect, socket.create_connection) == original


# ------------------------------------------------------------------ one real model
@pytest.mark.skipif(not tensorflow_available(), reason="TensorFlow is not installed")
def test_real_mobilenet_v3_small_agrees_with_its_live_layers():
    from relu_course.tf_loader import load_keras

    keras = load_keras()
    with ac.no_downloads() as guard:
        model = keras.applications.MobileNetV3Small(weights=None)
    assert guard.attempts == []
    census = ac.census_from_config("MobileNetV3Small", model.get_config())
    # independent count from the layer objects themselves, not from the configuration
    live = {}
    for lyr in model.layers:
        if isinstance(lyr, keras.layers.ReLU):
            kind = "relu6" if lyr.max_value is not None and float(lyr.max_value) == 6.0 else "relu"
        elif isinstance(lyr, keras.layers.Activation):
            kind = lyr.activation.__name__
        elif getattr(lyr, "activation", None) is not None:
            kind = lyr.activation.__name__
        else:
            continue
        if kind != "linear":
            live[kind] = live.get(kind, 0) + 1
    mine = census.counts(None)
    assert mine.pop("hard_sigmoid") == live.pop("relu6")          # every ReLU6 is an SE gate here
    assert mine == live
    se_multiplies = [lyr for lyr in model.layers if isinstance(lyr, keras.layers.Multiply)
                     and "squeeze_excite" in lyr.name]
    assert len(census.select("gate")) == len(census.select("squeeze")) == len(se_multiplies)
    assert [s.layer for s in census.select("head")] == [model.layers[-1].name]
    assert census.n_layers == len(model.get_config()["layers"])
    keras.backend.clear_session()


@pytest.mark.skipif(not tensorflow_available(), reason="TensorFlow is not installed")
def test_building_without_initialising_weights_reads_the_same_census():
    fast, guard_fast = ac.build_census(["MobileNetV3Small"])
    full, guard_full = ac.build_census(["MobileNetV3Small"], initialize_weights=True)
    assert guard_fast.attempts == guard_full.attempts == []
    a, b = fast["MobileNetV3Small"], full["MobileNetV3Small"]
    assert (a.sites, a.n_layers, a.linear_outputs) == (b.sites, b.n_layers, b.linear_outputs)
    assert a.build_seconds > 0 and b.build_seconds > 0


def test_build_census_rejects_unknown_names():
    if not tensorflow_available():
        pytest.skip("TensorFlow is not installed")
    with pytest.raises(ValueError, match="keras.applications"):
        ac.build_census(["NoSuchNet"])
    with pytest.raises(TypeError):
        ac.build_census("VGG16")
    with pytest.raises(TypeError, match="initialize_weights"):
        ac.build_census(["VGG16"], initialize_weights="no")

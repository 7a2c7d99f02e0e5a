"""The course's quiz questions, by chapter: short multiple-choice checks of understanding.

Every option explains itself, so a wrong choice teaches something. Questions state no measured
number: where a chapter measured something, the question asks about the idea, and the chapter has
the figure.
"""
from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

from relu_course.quiz import Option as O, Question as Q

QUIZZES: Mapping[str, tuple[Q, ...]] = MappingProxyType({
    "01_what_is_relu": (
        Q("What is ReLU(-0.5)?", (
            O("-0.5", False, "ReLU passes positive inputs unchanged, but -0.5 is negative."),
            O("0", True, "Every input at or below zero becomes exactly 0."),
            O("0.5", False, "That is the absolute value |x|, not ReLU."),
            O("It is undefined", False, "ReLU is defined everywhere; only its derivative is undefined, at x = 0."),
        )),
        Q("A unit computes z = w·x + b and outputs ReLU(z). What decides whether its gate is open?", (
            O("Whether z is large enough", False, "Any positive z passes unchanged, however small."),
            O("The sign of z", True, "ReLU's threshold is always 0; the bias b moves the input x at which z crosses it."),
            O("The sign of the input x", False, "The gate looks at z = w·x + b, not at x: with w < 0 a positive x closes it."),
            O("A threshold that ReLU learns", False, "ReLU has no parameters; the layer's bias plays that role."),
        )),
    ),
    "02_why_activations": (
        Q("You stack ten Dense layers with no activation between them. What can the stack represent?", (
            O("Only an affine map of its input, like a single layer", True,
              "A product of matrices is a matrix, and the biases add up: depth adds nothing without a non-linearity."),
            O("Any continuous function, given enough units", False,
              "That needs a non-linear activation; without one the stack collapses to one affine map."),
            O("Polynomials of degree ten", False, "Composing affine maps never raises the degree above one."),
        )),
        Q("As a function of its input, a network of Dense layers with ReLU activations is...", (
            O("piecewise linear", True, "Each pattern of open and closed gates gives one linear piece."),
            O("smooth everywhere", False, "It has kinks wherever a unit's pre-activation crosses zero."),
            O("linear", False, "Only within one region of fixed gate pattern; across regions the slope changes."),
        )),
    ),
    "03_forward_backward": (
        Q("In backpropagation through y = ReLU(z), the gradient g = dL/dy arrives. What is dL/dz?", (
            O("g where z > 0, and 0 elsewhere", True, "ReLU's slope is 1 for positive z and 0 for negative z (and, by convention, at 0)."),
            O("g everywhere", False, "That would be the identity; ReLU blocks the gradient where its gate is closed."),
            O("g · z", False, "The chain rule multiplies by ReLU's slope, which is 0 or 1, not by z."),
        )),
        Q("What do tf.nn.relu and torch.relu use as ReLU's derivative at exactly z = 0?", (
            O("0", True, "Both frameworks use 0, a valid subgradient; the course's relu_derivative does too."),
            O("1", False, "1 is the slope from the right. A hand-written tf.maximum(x, 0.) gives 1 there, the built-ins do not."),
            O("0.5", False, "That is what a central finite difference measures across the kink, not what the frameworks use."),
            O("NaN", False, "The frameworks pick a number from the subgradient interval [0, 1] instead of failing."),
        )),
    ),
    "05_math_properties": (
        Q("For which numbers a does ReLU(a·x) = a·ReLU(x) hold for every x?", (
            O("Every a ≥ 0", True, "ReLU is positively homogeneous: scaling by a non-negative number commutes with it."),
            O("Every real a", False, "Try a = -1, x = 1: ReLU(-1) = 0 but -ReLU(1) = -1."),
            O("Only a = 1", False, "Any non-negative a works: both sides are a·x for x > 0 and 0 otherwise."),
        )),
        Q("z follows a standard normal distribution. The mean of ReLU(z) is...", (
            O("positive", True, "ReLU's outputs are never negative and half of them are positive, so the mean is above 0: ReLU is not zero-centred."),
            O("exactly 0, like the mean of z", False, "ReLU removes the negative half, so the mean moves above 0."),
            O("negative", False, "ReLU never outputs a negative number."),
        )),
    ),
    "07_variants": (
        Q("You port a model that uses PyTorch's nn.LeakyReLU() to Keras's layers.LeakyReLU(), both with default "
          "arguments. Is it the same function?", (
            O("No: the frameworks' default slopes differ, so pass the slope explicitly", True,
              "Chapter 7 reads each framework's default from the framework itself; they are not the same number."),
            O("Yes: the Leaky ReLU slope is a standard constant", False,
              "The paper's value and the frameworks' defaults differ; never rely on a default when porting."),
            O("Yes, because Keras converts PyTorch defaults", False, "No such conversion exists."),
        )),
        Q("Which of these activations has a continuous derivative everywhere?", (
            O("GELU", True, "x·Φ(x) is smooth: its derivative has no jumps."),
            O("ReLU6", False, "Its slope jumps at 0 and again at 6."),
            O("Leaky ReLU", False, "Its slope jumps from the leak to 1 at 0."),
            O("Hard swish", False, "Its slope jumps at -3 and at 3."),
        )),
    ),
    "10_dying_relu_training_tips": (
        Q("When is a ReLU unit called dead?", (
            O("When it outputs 0 for every example of the data", True,
              "Then its gradient is 0 for every example too, so nothing moves its weights."),
            O("When it outputs 0 for one example", False, "That is normal: about half the units are closed for any input."),
            O("When its weights are exactly zero", False, "Zero weights give a constant pre-activation b; the unit is dead only if that is ≤ 0 for all data."),
        )),
        Q("Why can a dead unit not recover by itself under plain gradient descent?", (
            O("Its gradient is 0 for every example, so its weights and bias never change", True,
              "Unless something else moves its inputs (earlier layers), it stays closed."),
            O("Because its weights are negative", False, "Negative weights are fine; what matters is that w·x + b ≤ 0 on all data."),
            O("Because the learning rate is too small", False, "A zero gradient stays zero at any learning rate."),
        )),
    ),
})

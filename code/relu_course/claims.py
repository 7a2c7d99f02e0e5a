"""The claims ledger: every claim of the source guide with a verdict, a one-line correction and where
the course settles it (a chapter section and/or a citation key).

The ledger is data (:data:`CLAIMS`), so the reference page only formats it and :func:`validate`
catches drift: a verdict outside :data:`VERDICTS`, a chapter that does not exist, a section heading
that is no longer in that chapter's Markdown, or a citation key missing from ``references.bib``. No
measured number is typed here; the chapters measure, the ledger links to them.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from relu_course.bibliography import entry_keys

#: The only verdicts a claim may get, in the order the summary shows them.
VERDICTS: tuple[str, ...] = ("correct", "partly correct", "oversimplified", "unsupported", "wrong")

#: The sections of the source guide, in the guide's order (its own numbering; the opening and the
#: closing section have none).
SECTIONS: tuple[str, ...] = (
    "Opening: why a simple function changed deep learning",
    "2. What is the ReLU activation function?",
    "3. Graph of ReLU",
    "4. Why neural networks need activation functions",
    "5. Forward and backward pass",
    "6. The history of ReLU",
    "7. Mathematical properties",
    "8. Advantages",
    "9. Disadvantages",
    "10. Variants",
    "11. ReLU vs Sigmoid vs Tanh",
    "12. ReLU vs GELU vs Swish vs ELU",
    "13. When to use ReLU (and when to avoid it)",
    "14. Real-world use cases",
    "15. Training tips against the dying ReLU",
    "16. Mini experiment",
    "17. Python implementation",
    "18. Common mistakes",
    "Closing: why ReLU still dominates",
)

BOOK_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Claim:
    """One claim of the guide, quoted verbatim, with the course's verdict and where it is settled."""

    section: str                       # one of SECTIONS
    quote: str                         # verbatim from the guide (whitespace may differ)
    verdict: str                       # one of VERDICTS
    correction: str                    # the correct statement, one line
    chapter: str | None = None         # chapter file name without extension, e.g. "05_math_properties"
    heading: str | None = None         # a section heading of that chapter, without the leading #'s
    citations: tuple[str, ...] = ()    # keys of references.bib


S = SECTIONS
C = Claim

CLAIMS: tuple[Claim, ...] = (
    # ------------------------------------------------------------------ opening
    C(S[0], "Before ReLU, deep networks struggled. They learned slowly, gradients disappeared, models saturated, "
            "and performance plateaued.", "oversimplified",
      "Deep sigmoid and tanh networks were hard to train with naive initialisation, but careful initialisation "
      "and tuned SGD did train them; depth, initialisation and normalisation matter as much as the activation.",
      "04_history", "What each milestone did, and did not, do", ("glorot2010", "bengio1994")),
    C(S[0], "once ReLU entered the picture, training deep neural networks became easier, faster, and more accurate.",
      "oversimplified",
      "ReLU was one ingredient among GPUs, large labelled data sets, dropout, better initialisation and later "
      "normalisation and residual connections.",
      "04_history", "What each milestone did, and did not, do", ("krizhevsky2012", "he2015", "he2015resnet")),
    # ------------------------------------------------------------------ 2. definition
    C(S[1], "Take an input, and output only positive values.", "partly correct",
      "ReLU outputs non-negative values: max(0, x) is 0 for every x ≤ 0 and x otherwise.",
      "01_what_is_relu", "The definition"),
    C(S[1], "ReLU is the simplest, fastest, most efficient way to introduce non-linearity.", "unsupported",
      "ReLU is among the cheapest non-linearities, but in a real network an element-wise activation is limited by "
      "memory bandwidth, so its cost differs little from other cheap activations; 'most efficient' is not measured.",
      "06_advantages_disadvantages", "Speed: measured, and what limits it"),
    # ------------------------------------------------------------------ 3. graph
    C(S[2], "This simple gating makes learning much easier for deep models.", "unsupported",
      "A ReLU layer is a row of input-dependent gates, which makes the network piecewise linear; the gate picture "
      "by itself does not show that learning is easier.",
      "01_what_is_relu", "A layer as a row of gates"),
    # ------------------------------------------------------------------ 4. why activations
    C(S[3], "Even if you stack 100 layers, the result is still linear.", "correct",
      "A stack of linear (affine) layers is one affine map; the non-linearity between layers is what adds "
      "expressive power.",
      "02_why_activations", "Stacked linear layers are one layer"),
    C(S[3], "ReLU is the most popular activation function because it enables deep models to learn efficiently "
            "without computational overhead.", "oversimplified",
      "ReLU (with Leaky ReLU and ReLU6) dominates convolutional networks; Transformers use GELU or gated units "
      "such as SwiGLU, and no activation is free of cost.",
      "09_when_to_use", "Where ReLU is used: a census of real model definitions", ("shazeer2020",)),
    # ------------------------------------------------------------------ 5. forward / backward
    C(S[4], "The network keeps only useful activations", "unsupported",
      "ReLU keeps positive pre-activations; the sign of a pre-activation says nothing about its usefulness, and "
      "the information in negative pre-activations is lost.",
      "06_advantages_disadvantages", "Negative information is lost"),
    C(S[4], "many neurons stay inactive (output = 0), reducing noise and computation.", "oversimplified",
      "Dense matrix kernels multiply the zeros like any other number, so exact zeros save computation only with "
      "sparse kernels or special hardware.",
      "06_advantages_disadvantages", "Sparsity"),
    C(S[4], "At x = 0 → undefined, but in practice treated as 0 or 1 (doesn’t matter)", "partly correct",
      "The derivative at 0 is undefined and any value in [0, 1] is a subgradient; TensorFlow and PyTorch use 0, "
      "a hand-written max can give 0.5 or 1, and the choice can change results in low precision.",
      "03_forward_backward", "The derivative at exactly zero", ("bertoin2021",)),
    C(S[4], "This is why ReLU avoids the vanishing gradient problem.", "oversimplified",
      "ReLU alleviates vanishing gradients for active units; inactive units pass no gradient, and weights, "
      "initialisation and depth still decide whether gradients shrink.",
      "03_forward_backward", "Do gradients vanish? Measured in a deep network", ("clevert2016", "he2015")),
    C(S[4], "No saturation (unlike sigmoid/tanh)", "partly correct",
      "ReLU does not saturate for positive inputs, but its gradient is exactly 0 for every negative input.",
      "06_advantages_disadvantages", "Strong gradients"),
    # ------------------------------------------------------------------ 6. history
    C(S[5], "The concept of a “rectifier” function appeared in mathematical work by Householder (1949).", "wrong",
      "Householder's papers on a thresholded linear model of nerve-fibre networks are from 1941.",
      "04_history", "The timeline, from the records", ("householder1941",)),
    C(S[5], "Neurophysiology-inspired models (like Fukushima’s work in 1969) used rectifier-like behavior",
      "correct",
      "Fukushima (1969) built a layered network of analog threshold elements for visual feature extraction.",
      "04_history", "The timeline, from the records", ("fukushima1969",)),
    C(S[5], "But both suffered from vanishing gradients, making deep networks almost impossible to train.",
      "oversimplified",
      "Saturating units made deep networks hard to train with naive initialisation, but tuned SGD trained a "
      "five-layer sigmoid network on MNIST.",
      "04_history", "What each milestone did, and did not, do", ("glorot2010", "bengio1994")),
    C(S[5], "Research by Glorot, Bengio, Hinton, and Nair demonstrated that ReLU:", "partly correct",
      "Nair & Hinton (2010) used rectified units in RBMs; Glorot et al. (2011) found deep rectifier networks "
      "equal to or better than tanh networks; the 'trains faster' result is AlexNet's.",
      "04_history", "What each milestone did, and did not, do", ("nair2010", "glorot2011", "krizhevsky2012")),
    C(S[5], "AlexNet used ReLU heavily and won the ImageNet competition by a huge margin.", "correct",
      "AlexNet used ReLU in every hidden layer, together with GPUs, dropout and data augmentation.",
      "04_history", "The timeline, from the records", ("krizhevsky2012",)),
    C(S[5], "This success showed the entire world that ReLU makes deep learning truly work.", "oversimplified",
      "AlexNet's ReLU evidence is one four-layer CNN reaching a training-error target several times faster "
      "than with tanh; the effect varies with the architecture.",
      "04_history", "Re-running AlexNet's Figure 1, small", ("krizhevsky2012",)),
    C(S[5], "Since then, ReLU has become the default activation function in modern neural networks.",
      "partly correct",
      "ReLU and its piecewise-linear relatives are the default in CNNs; Transformers moved to GELU and gated "
      "units such as SwiGLU.",
      "09_when_to_use", "Where ReLU is used: a census of real model definitions", ("shazeer2020", "touvron2023")),
    # ------------------------------------------------------------------ 7. math
    C(S[6], "ReLU appears linear, but the split between 0 (for negative inputs) and x (for positive inputs) "
            "creates a strong non-linear effect.", "correct",
      "ReLU is piecewise linear and not linear; a ReLU network computes a piecewise-linear function.",
      "05_math_properties", "Non-linearity"),
    C(S[6], "Most negative values turn into 0, meaning many neurons remain inactive.", "partly correct",
      "Every negative value becomes 0; about half of the units are zero at a symmetric initialisation, and "
      "sparsity after training depends on the training.",
      "05_math_properties", "Sparsity: how many exact zeros?", ("glorot2011",)),
    C(S[6], "reduce overfitting", "unsupported",
      "AlexNet's ReLU claim is about fitting the training set faster; it fights overfitting with augmentation "
      "and dropout, and leaky variants generalised better than ReLU on small data.",
      "06_advantages_disadvantages", "Sparsity", ("krizhevsky2012", "xu2015")),
    C(S[6], "For any positive constant a:", "correct",
      "ReLU is positively homogeneous: ReLU(ax) = a·ReLU(x) for a ≥ 0, and not for a < 0.",
      "05_math_properties", "Positive homogeneity", ("dinh2017",)),
    C(S[6], "This is extremely useful in computer vision, because changing image brightness doesn’t ruin learned "
            "features.", "wrong",
      "Only a bias-free network is positively homogeneous; real networks have biases and normalisation, and "
      "brightness changes are rarely pure scalings, so invariance comes from data augmentation.",
      "05_math_properties", "Networks: without and with biases", ("krizhevsky2012",)),
    C(S[6], "This can slightly affect optimization, but BatchNorm makes this issue negligible.", "oversimplified",
      "Non-zero-mean activations slow gradient descent; batch normalisation re-centres pre-activations, but "
      "zero-centred activations such as ELU still helped in networks with batch normalisation.",
      "05_math_properties", "What batch normalisation changes", ("lecun1998efficient", "ioffe2015", "clevert2016")),
    C(S[6], "But frameworks simply choose 0 or 1 — and this has no negative impact on training in practice.",
      "partly correct",
      "TensorFlow and PyTorch both choose 0; the choice rarely matters in float64 but can change backpropagation "
      "outputs in low precision.",
      "05_math_properties", "The kink at 0", ("bertoin2021",)),
    # ------------------------------------------------------------------ 8. advantages
    C(S[7], "This practical, real-world speed boost is a major reason ReLU became the industry default.",
      "oversimplified",
      "The speed-up AlexNet reported is fewer epochs to a training-error target, not a cheaper operation; the "
      "per-element cost is a small part of a network's run time.",
      "06_advantages_disadvantages", "Speed: measured, and what limits it", ("krizhevsky2012",)),
    C(S[7], "This property alone unlocked the possibility of training networks with dozens or even hundreds of "
            "layers", "wrong",
      "Very deep networks also needed He initialisation, batch normalisation and residual connections; plain "
      "deep ReLU networks degrade with depth.",
      "03_forward_backward", "What a slope of 1 does not fix", ("he2015", "ioffe2015", "he2015resnet")),
    C(S[7], "When the filter sees noise or irrelevant parts, the activation is negative → ReLU removes it.",
      "oversimplified",
      "ReLU removes negative filter responses, whatever they mean; whether a response is noise is decided by the "
      "learned filter and bias, not by ReLU.",
      "06_advantages_disadvantages", "Feature maps of a real photograph"),
    C(S[7], "Some of the most influential models in deep learning history rely on ReLU or its variants:",
      "correct",
      "AlexNet, VGG, ResNet and U-Net use ReLU; YOLO uses Leaky ReLU, Mish or SiLU; MobileNets use ReLU6 and hard "
      "swish; EfficientNet uses SiLU.",
      "06_advantages_disadvantages", "Architectures that use it",
      ("simonyan2014", "he2015resnet", "ronneberger2015", "redmon2016", "sandler2018", "tan2019")),
    # ------------------------------------------------------------------ 9. disadvantages
    C(S[8], "Then its gradient also becomes 0, so the neuron stops learning completely.", "partly correct",
      "A unit that is inactive on the whole data set gets no gradient for its own weights, but changes in earlier "
      "layers can revive it; deep ReLU networks die with probability one as depth grows.",
      "10_dying_relu_training_tips", 'What "dead" means', ("lu2020", "maas2013")),
    C(S[8], "This can slightly slow down optimization and weight updates.", "correct",
      "All-positive inputs to a layer force its weight updates to share a sign per unit, which slows gradient "
      "descent.",
      "06_advantages_disadvantages", "Not zero-centred", ("lecun1998efficient",)),
    C(S[8], "This sometimes causes unstable activations or exploding gradients (BatchNorm usually fixes it).",
      "partly correct",
      "Unbounded outputs grow through depth when the weight scale is too large; the right initialisation keeps "
      "the scale, and normalisation is one fix among several.",
      "06_advantages_disadvantages", "Unbounded outputs", ("he2015", "ioffe2015")),
    C(S[8], "This makes ReLU weaker for noisy or negative-heavy data.", "unsupported",
      "ReLU acts on pre-activations Wx + b, not on the data; the weights can flip the sign of any input.",
      "09_when_to_use", "Does the sign of the data matter? A measurement"),
    # ------------------------------------------------------------------ 10. variants
    C(S[9], "Leaky ReLU fixes the dying ReLU problem by allowing a small negative output", "oversimplified",
      "A leak keeps a non-zero gradient for negative inputs, so a unit cannot be stuck at zero gradient; it does "
      "not by itself make the unit useful.",
      "10_dying_relu_training_tips", "Tips 3 to 5: batch normalisation, a leak, weight decay", ("maas2013",)),
    C(S[9], "0.01x, & x < 0", "partly correct",
      "Maas et al. use a leak of 0.01, but framework defaults differ (PyTorch 0.01, TensorFlow 0.2, Keras layer "
      "0.3) and YOLO uses 0.1.",
      "07_variants", "Defaults, read from the frameworks", ("maas2013", "redmon2016")),
    C(S[9], "PReLU is similar to Leaky ReLU, but the negative slope is learned during training", "correct",
      "PReLU learns the slope per channel (or shared), initialised to 0.25 in its paper.",
      "07_variants", "Leaky ReLU and PReLU: a slope for negative inputs", ("he2015",)),
    C(S[9], "This acts like a regularizer and can improve performance, especially on smaller datasets.",
      "partly correct",
      "Xu et al. report this on small image data sets; the paper's parameterisation of the random slope is "
      "inconsistent and PyTorch samples the slope differently.",
      "07_variants", "RReLU: a random slope while training", ("xu2015",)),
    C(S[9], "GELU is the activation function used in BERT, GPT, and Transformer models.", "partly correct",
      "BERT, GPT and ViT use GELU; the original Transformer and T5 use ReLU, and recent LLMs use SwiGLU.",
      "13_common_mistakes", "Mistake 7, which is not one: ReLU in Transformers",
      ("vaswani2017", "devlin2019", "radford2018", "raffel2019", "touvron2023")),
    C(S[9], "Swish (also called SiLU) is used in EfficientNet and other modern CNNs.", "correct",
      "EfficientNet uses SiLU (Swish with β = 1); SiLU was named in the GELU paper and by Elfwing et al. before "
      "the Swish paper.",
      "07_variants", "Swish / SiLU: a sigmoid gate", ("tan2019", "hendrycks2016", "elfwing2018", "ramachandran2017")),
    C(S[9], "It often performs slightly better than ReLU and Swish in some computer vision tasks.", "unsupported",
      "The evidence is the introducing paper and YOLOv4's backbone; no broad comparison supports 'often'.",
      "07_variants", "Mish", ("misra2020", "bochkovskiy2020")),
    C(S[9], "These are soft, smooth versions of ReLU that avoid the sharp corner at zero.", "partly correct",
      "Softplus is a smooth ReLU (its derivative is the sigmoid); Softsign is a bounded, tanh-like function, not "
      "a version of ReLU.",
      "07_variants", "Softplus and Softsign", ("dugas2001", "bergstra2009", "glorot2010")),
    # ------------------------------------------------------------------ 11. table vs sigmoid / tanh
    C(S[10], "Speed | Fastest | Slow | Medium", "oversimplified",
      "ReLU is cheaper per element, but the differences are small next to a layer's matrix product.",
      "08_comparisons", "Relative cost, from one run"),
    C(S[10], "Range | 0 → ∞ | 0 → 1 | -1 → 1", "correct",
      "The ranges are [0, ∞), (0, 1) and (−1, 1).",
      "08_comparisons", "The measured shape table"),
    C(S[10], "Used In | CNNs, DNNs | Old networks | RNNs", "oversimplified",
      "Sigmoid is still used for gates (LSTM, GRU, SiLU, SwiGLU) and for binary outputs; tanh is used in "
      "recurrent cells and in the GELU approximation.",
      "08_comparisons", "The guide's tables, measured", ("shazeer2020",)),
    # ------------------------------------------------------------------ 12. advanced table
    C(S[11], "ELU | Yes | Yes | Good | Some CNNs", "partly correct",
      "ELU has a continuous derivative only for α = 1 and is not twice differentiable at 0.",
      "08_comparisons", "The measured shape table", ("clevert2016",)),
    C(S[11], "If you're targeting Transformer-like models → GELU beats ReLU.", "partly correct",
      "GELU and gated variants such as GEGLU and SwiGLU beat ReLU in Transformer feed-forward layers in "
      "Shazeer's comparison; current LLMs use SwiGLU.",
      "13_common_mistakes", "Mistake 7, which is not one: ReLU in Transformers",
      ("shazeer2020", "chowdhery2022", "touvron2023")),
    # ------------------------------------------------------------------ 13. when to use
    C(S[12], "It is the default activation in almost all convolutional networks.", "partly correct",
      "ReLU is the most common activation in CNNs, but many recent CNNs use SiLU, hard swish or Mish.",
      "09_when_to_use", "Where ReLU is used: a census of real model definitions", ("tan2019", "howard2019")),
    C(S[12], "Deep networks converge much faster with ReLU than with sigmoid or tanh.", "partly correct",
      "ReLU networks often reach a target in fewer epochs; the size of the effect depends on the architecture, "
      "optimiser and learning rate.",
      "11_mini_experiment", "Training speed", ("krizhevsky2012",)),
    C(S[12], "If your data naturally contains positive-valued features (images, pixel values, normalized numeric "
             "data), ReLU performs extremely well.", "wrong",
      "The sign of the data does not select the activation, which sees pre-activations; all-positive inputs are "
      "a reason to normalise them.",
      "09_when_to_use", "Does the sign of the data matter? A measurement", ("lecun1998efficient",)),
    C(S[12], "Sparsity reduces computation, prevents overfitting, and makes networks more efficient.",
      "unsupported",
      "Dense kernels do not skip zeros, and ReLU's sparsity is not a regulariser in the evidence cited by the "
      "course.",
      "06_advantages_disadvantages", "Sparsity", ("krizhevsky2012", "xu2015")),
    C(S[12], "Switch to Leaky ReLU, PReLU, or ELU to keep gradients alive.", "correct",
      "A non-zero negative slope keeps a gradient for negative inputs; initialisation and learning rate are the "
      "first things to check.",
      "10_dying_relu_training_tips", "Tips 3 to 5: batch normalisation, a leak, weight decay", ("maas2013",)),
    C(S[12], "Tasks like regression, audio, or signals that require smooth transitions may work better with "
             "Swish, GELU, or Mish.", "unsupported",
      "A ReLU network is piecewise linear and approximates smooth targets with many pieces; no cited comparison "
      "shows smooth activations win on these tasks.",
      "02_why_activations", "A ReLU network is piecewise linear"),
    C(S[12], "For NLP, time-series, and domains where negative signals carry meaning, ReLU may lose important "
             "features.", "unsupported",
      "The weights before the activation can flip the sign of any input, so negative inputs are not lost; "
      "Transformers for NLP used ReLU.",
      "09_when_to_use", "Does the sign of the data matter? A measurement", ("vaswani2017",)),
    C(S[12], "Modern Transformer architectures (BERT, GPT, T5, ViT) use GELU, not ReLU, because GELU provides "
             "smoother, more expressive activations needed for attention mechanisms.", "partly correct",
      "BERT, GPT and ViT use GELU in their MLP blocks, not in attention; T5 uses ReLU and recent LLMs use SwiGLU.",
      "13_common_mistakes", "Mistake 7, which is not one: ReLU in Transformers",
      ("devlin2019", "dosovitskiy2020", "raffel2019", "touvron2023")),
    # ------------------------------------------------------------------ 14. real-world
    C(S[13], "ResNet - YOLO - MobileNet - VGG", "partly correct",
      "ResNet and VGG use ReLU; YOLO uses Leaky ReLU (v1-v3), Mish in the v4 backbone and SiLU (v5 and later); "
      "MobileNets use ReLU6 and, in v3, hard swish.",
      "09_when_to_use", "Where ReLU is used: a census of real model definitions",
      ("he2015resnet", "simonyan2014", "redmon2016", "bochkovskiy2020", "jocher2021yolov5", "howard2017",
       "sandler2018", "howard2019")),
    # ------------------------------------------------------------------ 15. training tips
    C(S[14], "A high learning rate can push neuron outputs deep into the negative region, causing them to output "
             "0 forever.", "correct",
      "A too-large step can move a unit's bias and weights so that it is inactive on every input.",
      "10_dying_relu_training_tips", "Tip 1: lower the learning rate"),
    C(S[14], "It sets the weights in a way that keeps activations balanced, preventing too many neurons from "
             "becoming negative-only or dead.", "partly correct",
      "He initialisation keeps the variance of the signal constant through depth; it is not designed against "
      "dead units.",
      "10_dying_relu_training_tips", "Tip 2: He initialisation", ("he2015", "lu2020")),
    C(S[14], "It prevents extreme negative values, reduces internal covariate shift, and ensures ReLU neurons stay "
             "active more often.", "oversimplified",
      "Batch normalisation standardises each pre-activation over the batch, which keeps units from being "
      "inactive on the whole batch; 'internal covariate shift' is its paper's motivation, not a measured effect.",
      "10_dying_relu_training_tips", "Tips 3 to 5: batch normalisation, a leak, weight decay", ("ioffe2015",)),
    C(S[14], "Both guarantee non-zero gradients, so neurons cannot die permanently.", "partly correct",
      "A fixed positive leak guarantees a non-zero local gradient; a learned PReLU slope can itself move to 0.",
      "07_variants", "Leaky ReLU and PReLU: a slope for negative inputs", ("maas2013", "he2015")),
    C(S[14], "Balanced weights help maintain a healthy mix of positive and negative activations, reducing the "
             "chance of neurons shutting off.", "unsupported",
      "Weight decay shrinks weights towards 0; whether it reduces dead units has to be measured.",
      "10_dying_relu_training_tips", "Tips 3 to 5: batch normalisation, a leak, weight decay"),
    # ------------------------------------------------------------------ 16. mini experiment
    C(S[15], "Sigmoid | 92% | Slow | Unstable", "unsupported",
      "The guide gives no settings; tuned MLPs reach far higher MNIST accuracy with every activation, and the "
      "real differences are in training speed and sensitivity to the learning rate.",
      "11_mini_experiment", "Final accuracy: the guide's table next to the measured one",
      ("glorot2010", "lecun1998", "ciresan2010")),
    C(S[15], "This pattern repeats across nearly all vision tasks.", "unsupported",
      "No evidence is given; results depend on the architecture, optimiser and learning rate.",
      "11_mini_experiment", "Why the measured table differs from the guide's"),
    # ------------------------------------------------------------------ 17. implementation
    C(S[16], "return np.maximum(0, x)", "correct",
      "np.maximum(0, x) is ReLU and propagates NaN; note that it returns integers for integer input.",
      "12_implementations", "ReLU from scratch in NumPy"),
    C(S[16], "return np.where(x > 0, 1, 0)", "partly correct",
      "The convention at 0 (derivative 0) matches the frameworks, but the result is an integer array; "
      "np.where(x > 0, 1.0, 0.0) keeps a float dtype.",
      "12_implementations", "The guide's derivative returns integers"),
    # ------------------------------------------------------------------ 18. common mistakes
    C(S[17], "Using high learning rate → dying ReLU", "correct",
      "A too-large learning rate can kill units; a lower rate or a warm-up avoids it.",
      "13_common_mistakes", "Mistake 2: a learning rate that kills units"),
    C(S[17], "Not using BatchNorm in deep networks", "partly correct",
      "Deep plain networks need normalisation or careful initialisation; batch normalisation is one of several "
      "remedies.",
      "13_common_mistakes", "Mistake 3: a deep network without normalisation", ("ioffe2015", "he2015")),
    C(S[17], "Using ReLU in Transformer-based models", "wrong",
      "ReLU in a Transformer is not a mistake: the original Transformer and T5 use it; GELU and SwiGLU are "
      "improvements, not fixes.",
      "13_common_mistakes", "Mistake 7, which is not one: ReLU in Transformers",
      ("vaswani2017", "raffel2019", "shazeer2020")),
    C(S[17], "Assuming ReLU is always the best choice", "correct",
      "No activation is best everywhere; compare on the task at hand.",
      "13_common_mistakes", "Mistake 5: assuming ReLU is always the best choice"),
    # ------------------------------------------------------------------ closing
    C(S[18], "Even with newer alternatives like GELU, Swish, and Mish, ReLU remains the default choice for:",
      "partly correct",
      "ReLU remains the default in many CNNs and MLPs, while large language models use GELU or SwiGLU.",
      "09_when_to_use", "Where ReLU is used: a census of real model definitions", ("chowdhery2022", "touvron2023")),
)

del S, C


def quote_in_guide(claim: Claim, guide_text: str) -> bool:
    """Whether the claim's quote occurs in the guide, ignoring differences in whitespace and pipes."""
    flat = lambda s: re.sub(r"[\s|\-]+", " ", s).strip()  # noqa: E731 - table cells and list dashes
    return flat(claim.quote) in flat(guide_text)


def chapter_path(chapter: str, root: Path | None = None) -> Path | None:
    """The notebook or Markdown file of ``chapter`` under ``root/chapters``, or None if there is none."""
    if not isinstance(chapter, str):
        raise TypeError(f"chapter must be a chapter name such as '01_what_is_relu', got {type(chapter).__name__}")
    base = (BOOK_ROOT if root is None else Path(root)) / "chapters"
    for ext in (".ipynb", ".md"):
        if (base / f"{chapter}{ext}").exists():
            return base / f"{chapter}{ext}"
    return None


def chapter_headings(path: Path) -> set[str]:
    """Every Markdown heading text (without the #'s) of a notebook or Markdown file."""
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a file path, got {type(path).__name__}")
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"path {str(path)!r} is not a file")
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                         for c in cells if c["cell_type"] == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    return {m.group(1).strip() for m in re.finditer(r"^#{1,6}\s+(.+?)\s*$", text, re.M)}


def validate(claims: Sequence[Claim] = CLAIMS, root: Path | str | None = None) -> list[str]:
    """Every problem of the ledger, one line each (an empty list means it is sound)."""
    if isinstance(claims, (str, bytes)) or not all(isinstance(c, Claim) for c in claims):
        raise TypeError("claims must be a sequence of Claim entries")
    root = BOOK_ROOT if root is None else Path(root)
    keys = entry_keys()
    problems: list[str] = []
    headings: dict[str, set[str]] = {}
    seen: set[tuple[str, str]] = set()
    for c in claims:
        tag = f"{c.section} / {c.quote[:40]!r}"
        if c.section not in SECTIONS:
            problems.append(f"{tag}: section is not one of SECTIONS")
        if c.verdict not in VERDICTS:
            problems.append(f"{tag}: verdict {c.verdict!r} is not one of {VERDICTS}")
        if not c.quote.strip() or not c.correction.strip():
            problems.append(f"{tag}: empty quote or correction")
        if (c.section, c.quote) in seen:
            problems.append(f"{tag}: duplicate claim")
        seen.add((c.section, c.quote))
        if c.chapter is None and not c.citations:
            problems.append(f"{tag}: settled nowhere (no chapter and no citation)")
        if (c.chapter is None) != (c.heading is None):
            problems.append(f"{tag}: a chapter needs a section heading and vice versa")
        if c.chapter is not None:
            path = chapter_path(c.chapter, root)
            if path is None:
                problems.append(f"{tag}: chapter {c.chapter!r} does not exist")
            else:
                if c.chapter not in headings:
                    headings[c.chapter] = chapter_headings(path)
                if c.heading not in headings[c.chapter]:
                    problems.append(f"{tag}: {c.chapter} has no section {c.heading!r}")
        for key in c.citations:
            if key not in keys:
                problems.append(f"{tag}: citation key {key!r} is not in references.bib")
    return problems


def verdict_counts(claims: Iterable[Claim] = CLAIMS) -> dict[str, int]:
    """The number of claims per verdict, in the order of VERDICTS (zeros included)."""
    counts = Counter(c.verdict for c in claims)
    return {v: counts.get(v, 0) for v in VERDICTS}


def by_section(claims: Iterable[Claim] = CLAIMS) -> dict[str, list[Claim]]:
    """The claims grouped by guide section, in the guide's order (sections without claims left out)."""
    groups: dict[str, list[Claim]] = {s: [] for s in SECTIONS}
    for c in claims:
        groups.setdefault(c.section, []).append(c)
    return {s: cs for s, cs in groups.items() if cs}


def where_settled(claim: Claim) -> str:
    """MyST for the ledger's last column: "{doc}`chapter`, 'Section'" and the citations."""
    if not isinstance(claim, Claim):
        raise TypeError(f"claim must be a Claim, got {type(claim).__name__}")
    parts = []
    if claim.chapter is not None:
        parts.append(f"{{doc}}`{claim.chapter}`, '{claim.heading}'")
    if claim.citations:
        parts.append(f"{{cite:p}}`{','.join(claim.citations)}`")
    return "; ".join(parts)


def ledger_rows(claims: Iterable[Claim]) -> list[list[str]]:
    """Rows (claim, verdict, correct statement, where settled) for :func:`relu_course.tables.markdown_table`."""
    if isinstance(claims, (str, bytes)) or not hasattr(claims, "__iter__"):
        raise TypeError(f"claims must be an iterable of Claim, got {type(claims).__name__}")
    claims = list(claims)
    for i, c in enumerate(claims):
        if not isinstance(c, Claim):
            raise TypeError(f"claims[{i}] must be a Claim, got {type(c).__name__}")
    return [[f"“{c.quote}”", f"**{c.verdict}**", c.correction, where_settled(c)] for c in claims]


def summary_rows(claims: Iterable[Claim] = CLAIMS) -> list[list[object]]:
    """One row per verdict: the verdict and its count, then the total."""
    counts = verdict_counts(claims)
    return [[v, n] for v, n in counts.items()] + [["**total**", sum(counts.values())]]

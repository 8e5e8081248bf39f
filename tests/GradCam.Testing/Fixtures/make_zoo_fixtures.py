#!/usr/bin/python3
"""The zoo against torchvision itself (Debian's python3-torch 1.13 and python3-torchvision 0.14).

Run from this folder: /usr/bin/python3 make_zoo_fixtures.py
It writes
  zoo.keys.expected.json    every zoo network's state_dict as torchvision names it: keys, in order, and shapes;
  zoo.parity.expected.json  vgg16 and resnet18 with every tensor filled by a formula the C# test repeats (no weights
                            file to commit), a formula input: logits, the top-1 class and Grad-CAM at GradCam's default
                            layer (VGG: the last convolution's output; ResNet: layer4), by hooks and a full backward.
Both record this script's SHA-256.
"""
import hashlib
import json

import numpy as np
import torch
import torch.nn as nn
import torchvision.models as tvm

from make_fixtures import replace_relu

NAMES = ["vgg11", "vgg13", "vgg16", "vgg19", "resnet18", "resnet34", "resnet50"]
SIZE = 96
SCRIPT_SHA256 = hashlib.sha256(open(__file__, "rb").read()).hexdigest()


def formula(key, shape, t):
    """Tensor t of the state_dict (in torchvision's order), element n (row-major): u = splitmix64(n + t * golden) / 2^64
    in [0, 1), s = 2u - 1, scaled by what the tensor is; integer arithmetic, so both languages get the same bits.
    (A smooth formula such as a sine makes every filter a shifted copy of the others: the activations then grow
    coherently to 1e5 and float32 itself loses the logits' third digit.)"""
    numel = int(np.prod(shape)) if shape else 1
    if key.endswith("num_batches_tracked"):
        return torch.zeros(shape, dtype=torch.int64)
    with np.errstate(over="ignore"):
        x = np.arange(numel, dtype=np.uint64) + np.uint64(t) * np.uint64(0x9E3779B97F4A7C15)
        x ^= x >> np.uint64(30)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(27)
        x *= np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(31)
    s = 2.0 * (x >> np.uint64(11)).astype(np.float64) / 2.0 ** 53 - 1.0
    if key.endswith("running_var"):
        v = 1.0 + 0.25 * s * s
    elif key.endswith("running_mean"):
        v = 0.1 * s
    elif key.endswith("bias"):
        v = 0.05 * s
    elif len(shape) == 1:  # a BatchNorm's weight
        v = 1.0 + 0.1 * s
    else:
        fan_in = numel // shape[0]
        v = np.sqrt(6.0 / fan_in) * s
    return torch.from_numpy(v.astype(np.float32)).reshape(shape)


def formula_input():
    c, y, x = np.meshgrid(np.arange(3), np.arange(SIZE), np.arange(SIZE), indexing="ij")
    return torch.from_numpy(np.sin(0.05 * (x + 2 * y) + c).astype(np.float32))[None]


def default_layer(name, model):
    if name.startswith("resnet"):
        return "layer4"
    return [n for n, m in model.named_modules() if isinstance(m, nn.Conv2d)][-1]


def parity(name):
    model = getattr(tvm, name)()
    state = model.state_dict()
    model.load_state_dict({k: formula(k, list(v.shape), t) for t, (k, v) in enumerate(state.items())})
    model.eval()
    replace_relu(model)
    layer_name = default_layer(name, model)
    layer = dict(model.named_modules())[layer_name]
    store = {}
    h1 = layer.register_forward_hook(lambda m, i, o: store.__setitem__("a", o.detach()))
    h2 = layer.register_full_backward_hook(lambda m, gi, go: store.__setitem__("g", go[0].detach()))
    x = formula_input().requires_grad_(True)
    logits = model(x)
    top1 = int(logits[0].argmax())
    logits[0, top1].backward()
    h1.remove()
    h2.remove()
    a, g = store["a"][0].double(), store["g"][0].double()
    cam = torch.relu((g.mean(dim=(1, 2))[:, None, None] * a).sum(0))
    return {"layer": layer_name, "inputSize": SIZE, "logits": logits[0].detach().tolist(), "top1": top1,
            "shape": list(cam.shape), "cam": cam.flatten().tolist()}


if __name__ == "__main__":
    torch.manual_seed(0)
    keys = {}
    for name in NAMES:
        keys[name] = [[k, list(v.shape)] for k, v in getattr(tvm, name)().state_dict().items()]
        print(f"{name}: {len(keys[name])} tensors")
    with open("zoo.keys.expected.json", "w") as f:
        json.dump({"torchvision": __import__("torchvision").__version__, "models": keys, "scriptSha256": SCRIPT_SHA256}, f)
    out = {name: parity(name) for name in ["vgg16", "resnet18"]}
    with open("zoo.parity.expected.json", "w") as f:
        json.dump({"models": out, "scriptSha256": SCRIPT_SHA256}, f)
    for name, o in out.items():
        print(f"{name}: top-1 {o['top1']}, logits {o['logits'][:3]}, cam at {o['layer']} {o['shape']}")

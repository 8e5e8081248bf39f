#!/usr/bin/python3
"""Reference maps derived from the papers by another route than the engine's closed forms (Debian's python3-torch 1.13).

make_method_fixtures.py follows the engine's formulas; this script does not use them:
  gradcam++  Chattopadhay et al., eq. 19: alpha = d2Y/dA2 / (2 d2Y/dA2 + sum_ab A_ab d3Y/dA3) with Y = exp(S^c), the
             second and third derivatives taken by autograd (create_graph=True) element by element, in double
             precision; w_k = sum_ij alpha_ij relu(dY/dA_ij); the map relu(sum_k w_k A_k) divided by exp(S^c), the one
             convention GradCam keeps (the common factor exp(S) only scales the map).
  scorecam   Wang et al., eq. 5-7: the increase of confidence C_k = f(X o H_k) - f(X_b) over a black baseline X_b,
             H_k the upsampled channel min-max normalised, weights softmax(C).
  eigencam   Muhammad and Yeasin: the projection of the centred activations on their first principal component,
             from numpy's SVD, stored with the sign numpy returns and no ReLU: the test compares up to sign and checks
             GradCam's sign rule (the map agrees with the activation mass) separately.

Run from this folder after make_fixtures.py: /usr/bin/python3 make_reference_fixtures.py
It writes <net>.references.expected.json, with this script's SHA-256.
"""
import hashlib
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from make_method_fixtures import last_conv, load, LAYER

SCRIPT_SHA256 = hashlib.sha256(open(__file__, "rb").read()).hexdigest()


def split(model, layer_name):
    """head(x) = A at features.<i>; tail(A) = the class scores, in double precision."""
    index = int(layer_name.split(".")[1])
    head = model.features[:index + 1]
    rest = model.features[index + 1:]

    def tail(a):
        return model.classifier(torch.flatten(model.avgpool(rest(a)), 1))
    return head, tail


def grad_cam_pp_autograd(model, layer_name, x, target):
    head, tail = split(model, layer_name)
    with torch.no_grad():
        a = head(x).double()
    model.double()
    a = a.clone().requires_grad_(True)
    score = tail(a)[0, target]
    y = torch.exp(score)
    d1, = torch.autograd.grad(y, a, create_graph=True)
    first = d1.reshape(-1)
    d2 = torch.zeros_like(first, requires_grad=False)
    d3 = torch.zeros_like(first, requires_grad=False)
    for n in range(first.numel()):
        row, = torch.autograd.grad(first[n], a, create_graph=True, retain_graph=True)
        second = row.reshape(-1)[n]
        d2[n] = second.detach()
        if second.requires_grad:
            third, = torch.autograd.grad(second, a, retain_graph=True, allow_unused=True)
            if third is not None:
                d3[n] = third.reshape(-1)[n].detach()
    model.float()
    a = a.detach()[0]
    c = a.shape[0]
    d1, d2, d3 = d1.detach()[0], d2.reshape(a.shape), d3.reshape(a.shape)
    cam = torch.zeros(a.shape[1:], dtype=torch.float64)
    for k in range(c):
        denominator = 2 * d2[k] + a[k].sum() * d3[k]
        alpha = torch.where(d2[k] != 0, d2[k] / torch.where(denominator != 0, denominator, torch.ones_like(denominator)), torch.zeros_like(d2[k]))
        cam += (alpha * torch.relu(d1[k])).sum() * a[k]
    return torch.relu(cam) / torch.exp(score.detach()), float(score)


def score_cam_paper(model, layer_name, x, target):
    head, _ = split(model, layer_name)
    with torch.no_grad():
        a = head(x)[0].double()
        baseline = model(torch.zeros_like(x))[0, target].item()
        increase = []
        for k in range(a.shape[0]):
            h = F.interpolate(a[k][None, None].float(), size=x.shape[2:], mode="bilinear", align_corners=False)[0, 0]
            lo, hi = h.min(), h.max()
            h = (h - lo) / (hi - lo) if hi > lo else torch.zeros_like(h)
            increase.append(model(x * h)[0, target].item() - baseline)
    weights = torch.softmax(torch.tensor(increase, dtype=torch.float64), 0)
    return torch.relu(sum(weights[k] * a[k] for k in range(a.shape[0])))


def eigen_projection(model, layer_name, x):
    head, _ = split(model, layer_name)
    with torch.no_grad():
        a = head(x)[0].double().numpy()
    c, h, w = a.shape
    samples = a.reshape(c, h * w).T
    centred = samples - samples.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    return (centred @ vt[0]).reshape(h, w), samples.sum(axis=1).reshape(h, w)


def make(name):
    model, x = load(name)
    torch.set_grad_enabled(True)
    with torch.no_grad():
        logits = model(x)
    layers = {}
    for layer in (LAYER, last_conv(model)):
        items = []
        for i in range(x.shape[0]):
            xi = x[i:i + 1]
            t = int(logits[i].argmax())
            pp, score = grad_cam_pp_autograd(model, layer, xi, t)
            projection, mass = eigen_projection(model, layer, xi)
            items.append({"target": t, "score": score, "shape": list(pp.shape),
                          "gradcam++": pp.flatten().tolist(),
                          "scorecam": score_cam_paper(model, layer, xi, t).flatten().tolist(),
                          "eigenProjection": projection.flatten().tolist(),
                          "activationMass": mass.flatten().tolist()})
        layers[layer] = items
    with open(f"{name}.references.expected.json", "w") as f:
        json.dump({"layers": layers, "torch": torch.__version__, "scriptSha256": SCRIPT_SHA256}, f)
    print(f"{name}: references at {', '.join(layers)}")


if __name__ == "__main__":
    make("tiny_vgg")
    make("tiny_vgg_bn")

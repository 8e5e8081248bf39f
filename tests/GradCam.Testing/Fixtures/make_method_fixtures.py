#!/usr/bin/python3
"""Makes the explanation-method fixtures with PyTorch (Debian's python3-torch 1.13), written from the papers and
independent of the C# engine: activations and gradients come from module hooks and a full backward() per image,
Score-CAM runs one forward pass per masked image, Guided Backpropagation swaps every ReLU for a custom autograd
Function, and Eigen-CAM uses numpy's SVD.

Run from this folder after make_fixtures.py: /usr/bin/python3 make_method_fixtures.py
It reads <net>.zip.pth and the input batch of <net>.expected.json and writes <net>.methods.expected.json:
per method (and per fusion / flip variant), per image, the top-1 target, the raw map and the normalised heatmap, at two
layers: the last ReLU (activations >= 0) and the last convolution's own output (signed, before its ReLU or batch norm),
where the sums of A in Grad-CAM++'s and XGrad-CAM's denominators and Eigen-CAM's sign rule really matter. Each output
records this script's SHA-256, so that a test notices a script changed without its fixtures being regenerated.
"""
import hashlib
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from make_fixtures import TinyVgg, replace_relu

LAYER = "features.7"              # the last ReLU: 16 channels at 8x8 for the 32x32 input
FUSED = ["features.4", "features.7"]  # 16x16 and 8x8
SCRIPT_SHA256 = hashlib.sha256(open(__file__, "rb").read()).hexdigest()


def last_conv(model):
    """The last convolution's name: its output is signed (no ReLU yet)."""
    return [n for n, m in model.named_modules() if isinstance(m, nn.Conv2d)][-1]


def first_conv_after_pool(model):
    """A higher-resolution signed layer to fuse with the last one."""
    convs = [n for n, m in model.named_modules() if isinstance(m, nn.Conv2d)]
    return convs[-2]


def load(name):
    expected = json.load(open(f"{name}.expected.json"))
    c = expected["config"]
    model = TinyVgg(c["features"], c["hidden"], c["numClasses"], c["poolSize"], c["batchNorm"])
    model.load_state_dict(torch.load(f"{name}.zip.pth"))
    model.eval()
    replace_relu(model)
    for p in model.parameters():
        p.requires_grad_(False)
    x = torch.tensor(expected["input"]["data"]).reshape(expected["input"]["shape"])
    return model, x


def acts_and_grads(model, layer_name, x, target):
    """A and dy^c/dA for one image [1, 3, H, W]: forward hook + full backward hook + backward()."""
    layer = dict(model.named_modules())[layer_name]
    store = {}
    h1 = layer.register_forward_hook(lambda m, i, o: store.__setitem__("a", o.detach()))
    h2 = layer.register_full_backward_hook(lambda m, gi, go: store.__setitem__("g", go[0].detach()))
    x = x.clone().requires_grad_(True)  # parameters are frozen: the input carries the graph
    out = model(x)
    out[0, target].backward()
    h1.remove()
    h2.remove()
    return store["a"][0].double(), store["g"][0].double(), out[0, target].item()


def activations(model, layer_name, x):
    layer = dict(model.named_modules())[layer_name]
    store = {}
    h = layer.register_forward_hook(lambda m, i, o: store.__setitem__("a", o.detach()))
    with torch.no_grad():
        model(x)
    h.remove()
    return store["a"][0].double()


def weighted(weights, a):
    cam = torch.zeros(a.shape[1:], dtype=torch.float64)
    for k in range(a.shape[0]):
        cam += weights[k] * a[k]
    return torch.relu(cam)


def grad_cam(a, g, score):
    return weighted([g[k].mean() for k in range(a.shape[0])], a)


def grad_cam_pp(a, g, score):
    # Chattopadhay et al. eq. 19 with Y = exp(S): dY/dA = exp(S) g, and the higher orders give
    # alpha = g^2 / (2 g^2 + sum_ab A_ab g^3), 0 where g or the denominator is 0 (no epsilon: it is of the order of g^2
    # for small gradients). Weights w_k = sum_ij alpha_ij relu(dY/dA_ij).
    weights = []
    for k in range(a.shape[0]):
        gk, ak = g[k], a[k]
        denominator = 2 * gk ** 2 + ak.sum() * gk ** 3
        defined = (gk != 0) & (denominator != 0)
        alpha = torch.where(defined, gk ** 2 / torch.where(defined, denominator, torch.ones_like(denominator)), torch.zeros_like(gk))
        weights.append((alpha * torch.relu(np.exp(score) * gk)).sum())
    # The common factor exp(S) scales the map only; the C# engine leaves it out, so the raw map is compared without it.
    return weighted(weights, a) / np.exp(score)


def xgrad_cam(a, g, score):
    return weighted([(a[k] / a[k].sum() * g[k]).sum() if a[k].sum() != 0 else 0.0 for k in range(a.shape[0])], a)


def hires_cam(a, g, score):
    return torch.relu(sum(g[k] * a[k] for k in range(a.shape[0])))


def layer_cam(a, g, score):
    return torch.relu(sum(torch.relu(g[k]) * a[k] for k in range(a.shape[0])))


def eigen_cam(a):
    c, h, w = a.shape
    samples = a.reshape(c, h * w).T.numpy()               # positions x channels
    centred = samples - samples.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    projection = centred @ vt[0]
    if (projection * samples.sum(axis=1)).sum() < 0:     # sign correction: agree with the activation mass
        projection = -projection
    return torch.relu(torch.from_numpy(projection.reshape(h, w)))


def score_cam(model, x, a, target):
    """Wang et al.: mask the input with each normalised upsampled channel, one forward pass each."""
    scores = []
    for k in range(a.shape[0]):
        m = F.interpolate(a[k][None, None].float(), size=x.shape[2:], mode="bilinear", align_corners=False)[0, 0]
        lo, hi = m.min(), m.max()
        m = (m - lo) / (hi - lo) if hi > lo else torch.zeros_like(m)
        with torch.no_grad():
            scores.append(model(x * m)[0, target].item())
    weights = torch.softmax(torch.tensor(scores, dtype=torch.float64), 0)
    return weighted(weights, a)


class GuidedReluFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad.clamp(min=0) * (x > 0).to(grad.dtype)


class GuidedRelu(nn.Module):
    def forward(self, x):
        return GuidedReluFunction.apply(x)


def guided_model(model):
    import copy
    guided = copy.deepcopy(model)

    def swap(module):
        for name, child in module.named_children():
            if isinstance(child, nn.ReLU):
                setattr(module, name, GuidedRelu())
            else:
                swap(child)
    swap(guided)
    return guided


def guided_backprop(guided, x, target):
    x = x.clone().requires_grad_(True)
    guided(x)[0, target].backward()
    return x.grad[0].double().abs().amax(0)


def upsample(cam, size):
    return F.interpolate(cam[None, None], size=size, mode="bilinear", align_corners=False)[0, 0]


def normalise(m):
    lo, hi = m.min(), m.max()
    return (m - lo) / (hi - lo) if hi > lo else torch.zeros_like(m)


def entry(target, cam, heat):
    return {"target": target, "shape": list(cam.shape), "cam": cam.flatten().tolist(), "heatmap": heat.flatten().tolist()}


def compute(model, guided, x, layer, fused):
    size = x.shape[2:]
    with torch.no_grad():
        logits = model(x)
    gradient_methods = {"gradcam": grad_cam, "gradcam++": grad_cam_pp, "xgradcam": xgrad_cam,
                        "hirescam": hires_cam, "layercam": layer_cam}
    methods = {k: [] for k in list(gradient_methods) + ["eigencam", "scorecam", "guided-backprop", "guided-gradcam",
                                                        "gradcam-fused-mean", "gradcam-fused-max", "layercam-fused-mean",
                                                        "gradcam-flip", "scorecam-flip"]}
    for i in range(x.shape[0]):
        xi = x[i:i + 1]
        t = int(logits[i].argmax())
        a, g, score = acts_and_grads(model, layer, xi, t)
        for key, f in gradient_methods.items():
            cam = f(a, g, score)
            methods[key].append(entry(t, cam, normalise(upsample(cam, size))))
        cam = eigen_cam(activations(model, layer, xi))
        methods["eigencam"].append(entry(t, cam, normalise(upsample(cam, size))))
        cam = score_cam(model, xi, a, t)
        methods["scorecam"].append(entry(t, cam, normalise(upsample(cam, size))))
        gb = guided_backprop(guided, xi, t)
        methods["guided-backprop"].append(entry(t, gb, normalise(gb)))
        ggc = gb * normalise(upsample(grad_cam(a, g, score), size))
        methods["guided-gradcam"].append(entry(t, ggc, normalise(ggc)))

        # Several layers: each map upsampled and normalised, then the mean or the maximum.
        for key, f, reduce in (("gradcam-fused-mean", grad_cam, "mean"), ("gradcam-fused-max", grad_cam, "max"),
                               ("layercam-fused-mean", layer_cam, "mean")):
            maps = []
            for name in fused:
                al, gl, sl = acts_and_grads(model, name, xi, t)
                maps.append(normalise(upsample(f(al, gl, sl), size)))
            stacked = torch.stack(maps)
            combined = stacked.mean(0) if reduce == "mean" else stacked.amax(0)
            methods[key].append(entry(t, combined, normalise(combined)))

        # Horizontal-flip test-time averaging: the mirrored image's map, flipped back, averaged at layer resolution.
        xf = torch.flip(xi, dims=[3])
        af, gf, sf = acts_and_grads(model, layer, xf, t)
        cam = (grad_cam(a, g, score) + torch.flip(grad_cam(af, gf, sf), dims=[1])) / 2
        methods["gradcam-flip"].append(entry(t, cam, normalise(upsample(cam, size))))
        cam = (score_cam(model, xi, a, t) + torch.flip(score_cam(model, xf, af, t), dims=[1])) / 2
        methods["scorecam-flip"].append(entry(t, cam, normalise(upsample(cam, size))))
    return methods


def make(name):
    model, x = load(name)
    guided = guided_model(model)
    methods = compute(model, guided, x, LAYER, FUSED)
    signed_layer = last_conv(model)
    signed_fused = [first_conv_after_pool(model), signed_layer]
    signed = compute(model, guided, x, signed_layer, signed_fused)
    with open(f"{name}.methods.expected.json", "w") as f:
        json.dump({"layer": LAYER, "fusedLayers": FUSED, "methods": methods,
                   "signedLayer": signed_layer, "signedFusedLayers": signed_fused, "signedMethods": signed,
                   "torch": torch.__version__, "scriptSha256": SCRIPT_SHA256}, f)
    print(f"{name}: {', '.join(methods)} at {LAYER} and at {signed_layer} (signed)")


if __name__ == "__main__":
    torch.set_grad_enabled(True)
    make("tiny_vgg")
    make("tiny_vgg_bn")


def gaussian_blur(x, sigma):
    """x [3, H, W]; a 2-D Gaussian of radius ceil(sigma), zero padding, one channel at a time."""
    radius = int(np.ceil(sigma))
    r = torch.arange(-radius, radius + 1, dtype=torch.float32)
    g = torch.exp(-r ** 2 / (2 * sigma ** 2))
    k2 = torch.outer(g, g) / g.sum() ** 2
    return torch.stack([F.conv2d(x[c][None, None], k2[None, None], padding=radius)[0, 0] for c in range(3)])


def faithfulness(name, steps=8, sigma=2.0, sharpen=1.0, out_path=None):
    """Deletion / insertion (RISE) and the explanation-map probability (Grad-CAM++'s Average Drop), written
    pixel by pixel: for each step, copy the image and overwrite the first pixels of a stable descending ranking.
    sharpen multiplies the last layer's weights and bias: the tiny net's softmax is nearly flat, which would move the
    curves by a thousandth; sharpened, they move by tenths and the comparison means something."""
    model, x = load(name)
    last = [m for m in model.modules() if isinstance(m, nn.Linear)][-1]
    with torch.no_grad():
        last.weight.mul_(sharpen)
        last.bias.mul_(sharpen)
    expected = json.load(open(f"{name}.methods.expected.json"))
    mean = torch.tensor([0.485, 0.456, 0.406])[:, None, None]
    std = torch.tensor([0.229, 0.224, 0.225])[:, None, None]
    out = []
    for i in range(x.shape[0]):
        item = expected["methods"]["gradcam"][i]
        target = item["target"]
        heat = np.array(item["heatmap"], dtype=np.float32)
        xi = x[i]
        h, w = xi.shape[1:]
        ranking = np.argsort(-heat, kind="stable")
        blurred = gaussian_blur(xi, sigma)

        def prob(img):
            with torch.no_grad():
                return torch.softmax(model(img[None]), 1)[0, target].item()
        deletion, insertion = [], []
        for s in range(steps + 1):
            n = int(np.floor(s * h * w / steps + 0.5))
            d, ins = xi.clone(), blurred.clone()
            for p in ranking[:n]:
                y, xx = divmod(int(p), w)
                d[:, y, xx] = 0
                ins[:, y, xx] = xi[:, y, xx]
            deletion.append(prob(d))
            insertion.append(prob(ins))
        masked = ((xi * std + mean) * torch.tensor(heat).reshape(h, w) - mean) / std
        out.append({"target": target, "heatmap": heat.tolist(), "probability": prob(xi), "deletion": deletion,
                    "insertion": insertion, "explanationMap": prob(masked)})
    with open(out_path or f"{name}.faithfulness.expected.json", "w") as f:
        json.dump({"steps": steps, "blurSigma": sigma, "sharpen": sharpen, "items": out, "scriptSha256": SCRIPT_SHA256}, f)
    print(f"{name}: faithfulness deletion {out[0]['deletion']}")


if __name__ == "__main__":
    faithfulness("tiny_vgg")
    # Peaked outputs and the evaluator's default blur (sigma 5).
    faithfulness("tiny_vgg", sigma=5.0, sharpen=100.0, out_path="tiny_vgg.faithfulness.peaked.expected.json")

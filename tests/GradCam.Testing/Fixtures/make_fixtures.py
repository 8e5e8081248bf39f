#!/usr/bin/python3
"""Makes the cross-framework Grad-CAM fixtures with PyTorch (Debian's python3-torch 1.13).

Run from this folder: /usr/bin/python3 make_fixtures.py
It writes, for a tiny VGG-style net with torchvision's module names (and a BatchNorm variant):
  <name>.zip.pth          state_dict, torch.save zip format
  <name>.legacy.pth       state_dict, legacy (pre-1.6) format, like torchvision's vgg16-397923af.pth
  <name>.safetensors      state_dict, safetensors (written by hand: the format is a JSON header + raw bytes)
  tiny_vgg.checkpoint.pth {"epoch": 3, "state_dict": ...}, as training scripts save
  tiny_vgg.model-checkpoint.pth {"model": ..., "optimizer": ...}, as torchvision's reference scripts save
  tiny_vgg.rebuild-v1.pth legacy format whose tensors are rebuilt by torch._utils._rebuild_tensor (PyTorch < 1.0)
  tiny_vgg.module.pth     torch.save(model): a pickled module, which must be refused with a clear message
  preprocess.expected.json  ImageNet preprocessing (antialiased bilinear resize + normalisation) of a synthetic image
  <name>.expected.json    the input batch, logits, and the Grad-CAM of the article (hooks + full backward)
                          for the top-1 class and for a fixed class, raw and upsampled+normalised
"""
import hashlib
import io
import json
import pickle
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F


SCRIPT_SHA256 = hashlib.sha256(open(__file__, "rb").read()).hexdigest()


class _RebuildTensorV1:
    """A pickle module for torch.save whose Pickler writes tensors as old PyTorch did: _rebuild_tensor(storage,
    offset, size, stride), without v2's requires_grad and hooks."""
    class Pickler(pickle.Pickler):
        def reducer_override(self, obj):
            if isinstance(obj, torch.Tensor):
                return torch._utils._rebuild_tensor, (obj.storage(), obj.storage_offset(), tuple(obj.size()), obj.stride())
            return NotImplemented

    Unpickler = pickle.Unpickler
    load = pickle.load
    dump = pickle.dump


class TinyVgg(nn.Module):
    """features / avgpool / classifier, like torchvision.models.VGG, but tiny."""

    def __init__(self, cfg, hidden, num_classes, pool, batch_norm):
        super().__init__()
        layers, channels = [], 3
        for width in cfg:
            if width == 0:
                layers.append(nn.MaxPool2d(2, 2))
                continue
            layers.append(nn.Conv2d(channels, width, 3, padding=1))
            if batch_norm:
                layers.append(nn.BatchNorm2d(width))
            layers.append(nn.ReLU(inplace=True))
            channels = width
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d((pool, pool))
        fc, width = [], channels * pool * pool
        for h in hidden:
            fc += [nn.Linear(width, h), nn.ReLU(inplace=True), nn.Dropout(0.5)]
            width = h
        fc.append(nn.Linear(width, num_classes))
        self.classifier = nn.Sequential(*fc)

    def forward(self, x):
        x = self.features(x)
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        return self.classifier(x)


def replace_relu(model):
    """The article's fix: in-place ReLUs would overwrite the hooked activations."""
    for name, child in model.named_children():
        if isinstance(child, nn.ReLU):
            setattr(model, name, nn.ReLU(inplace=False))
        else:
            replace_relu(child)


def grad_cam_article(model, layer, x, target):
    """Grad-CAM exactly as the reference article computes it: forward hook, full backward hook, backward()."""
    activations, gradients = [], []
    h1 = layer.register_forward_hook(lambda m, i, o: activations.append(o.detach()))
    h2 = layer.register_full_backward_hook(lambda m, gi, go: gradients.append(go[0].detach()))
    out = model(x)
    out[0, target].backward()
    h1.remove()
    h2.remove()
    model.zero_grad()
    a, g = activations[0][0], gradients[0][0]
    weights = g.mean(dim=(1, 2))
    cam = torch.relu((a * weights[:, None, None]).sum(0))
    up = F.interpolate(cam[None, None], size=x.shape[2:], mode="bilinear", align_corners=False)[0, 0]
    lo, hi = up.min(), up.max()
    heat = (up - lo) / (hi - lo) if hi > lo else torch.zeros_like(up)
    return cam, heat


def save_safetensors(state, path):
    header, blobs, offset = {}, [], 0
    for k, v in state.items():
        v = v.contiguous()
        dtype = {torch.float32: "F32", torch.int64: "I64"}[v.dtype]
        data = v.numpy().tobytes()
        header[k] = {"dtype": dtype, "shape": list(v.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def make(name, batch_norm, seed):
    torch.manual_seed(seed)
    cfg, hidden, classes, pool, size = [8, 0, 16, 0, 16], [32], 5, 2, 32
    model = TinyVgg(cfg, hidden, classes, pool, batch_norm)
    if batch_norm:  # non-trivial running statistics, so eval-mode BatchNorm is really exercised
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.data.uniform_(0.5, 1.5)
                m.bias.data.uniform_(-0.1, 0.1)
                m.num_batches_tracked.fill_(7)
    model.eval()
    state = model.state_dict()
    torch.save(state, f"{name}.zip.pth")
    torch.save(state, f"{name}.legacy.pth", _use_new_zipfile_serialization=False)
    save_safetensors(state, f"{name}.safetensors")
    if not batch_norm:
        # A training checkpoint nesting the weights, and a pickled module (not a state_dict) to be refused.
        torch.save({"epoch": 3, "state_dict": state}, f"{name}.checkpoint.pth")
        torch.save({"model": state, "optimizer": {"lr": 0.1}, "epoch": 3}, f"{name}.model-checkpoint.pth")
        torch.save(state, f"{name}.rebuild-v1.pth", pickle_module=_RebuildTensorV1, _use_new_zipfile_serialization=False)
        assert b"_rebuild_tensor\n" in open(f"{name}.rebuild-v1.pth", "rb").read()
        reread = torch.load(f"{name}.rebuild-v1.pth")  # PyTorch itself reads it back
        assert all(torch.equal(reread[k], state[k]) for k in state)
        torch.save(model, f"{name}.module.pth")

    replace_relu(model)
    layer_name = "features.%d" % (len(model.features) - (3 if batch_norm else 2))
    layer = dict(model.named_modules())[layer_name]
    x = torch.randn(2, 3, size, size)
    with torch.no_grad():
        logits = model(x)
    fixed = 3
    items = []
    for i in range(x.shape[0]):
        xi = x[i:i + 1]
        top1 = int(logits[i].argmax())
        entry = {"top1": top1}
        for key, target in (("top1Cam", top1), ("fixedCam", fixed)):
            cam, heat = grad_cam_article(model, layer, xi, target)
            entry[key] = {"target": target, "shape": list(cam.shape),
                          "cam": cam.flatten().tolist(), "heatmap": heat.flatten().tolist()}
        items.append(entry)
    expected = {
        "config": {"features": cfg, "hidden": hidden, "numClasses": classes, "poolSize": pool,
                   "batchNorm": batch_norm, "inputSize": size},
        "layer": layer_name,
        "input": {"shape": list(x.shape), "data": x.flatten().tolist()},
        "logits": logits.flatten().tolist(),
        "fixedTarget": fixed,
        "items": items,
        "torch": torch.__version__,
        "scriptSha256": SCRIPT_SHA256,
    }
    with open(f"{name}.expected.json", "w") as f:
        json.dump(expected, f)
    print(f"{name}: layer {layer_name}, logits {logits.tolist()}")


def make_preprocessing():
    """ImageNet preprocessing of a synthetic 40x30 RGB image, pixel (y, x, c) = (7x + 13y + 50c) mod 256,
    resized to 32x24 the way torchvision resizes 8-bit images (antialiased bilinear, result rounded to 8 bits,
    as PIL does for the article's Resize) and normalised."""
    h, w = 30, 40
    y, x, c = torch.meshgrid(torch.arange(h), torch.arange(w), torch.arange(3), indexing="ij")
    rgb = ((7 * x + 13 * y + 50 * c) % 256).to(torch.uint8)
    t = rgb.permute(2, 0, 1)[None].float() / 255
    t = F.interpolate(t * 255, size=(24, 32), mode="bilinear", align_corners=False, antialias=True)
    t = t.round().clamp(0, 255) / 255
    mean = torch.tensor([0.485, 0.456, 0.406])[None, :, None, None]
    std = torch.tensor([0.229, 0.224, 0.225])[None, :, None, None]
    t = (t - mean) / std
    with open("preprocess.expected.json", "w") as f:
        json.dump({"height": h, "width": w, "outHeight": 24, "outWidth": 32,
                   "shape": list(t.shape[1:]), "data": t.flatten().tolist(), "scriptSha256": SCRIPT_SHA256}, f)


if __name__ == "__main__":
    make_preprocessing()
    make("tiny_vgg", batch_norm=False, seed=1)
    make("tiny_vgg_bn", batch_norm=True, seed=2)

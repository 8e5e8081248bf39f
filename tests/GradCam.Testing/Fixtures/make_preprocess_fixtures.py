#!/usr/bin/python3
"""Makes preprocess.downscale.expected.json with PyTorch (Debian's python3-torch 1.13) and PIL: ImageNet preprocessing of a
synthetic 300x200 RGB image, pixel (y, x, c) = (7x + 13y + 50c) mod 256, resized to 64x48 — a 4.7x by 4.2x downscale
that changes the aspect ratio — as torchvision's Resize does it to a PIL image (PIL's antialiased bilinear filter in
8-bit fixed point: the article's path), then ToTensor and Normalize. Also the float path (torch's antialiased
interpolate, rounded), which differs from PIL's by a grey level here and there. Records this script's SHA-256.

Run from this folder: /usr/bin/python3 make_preprocess_fixtures.py
"""
import hashlib
import json

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image


def make(h, w, out_h, out_w, path):
    y, x, c = torch.meshgrid(torch.arange(h), torch.arange(w), torch.arange(3), indexing="ij")
    rgb = ((7 * x + 13 * y + 50 * c) % 256).to(torch.uint8)
    mean = torch.tensor([0.485, 0.456, 0.406])[None, :, None, None]
    std = torch.tensor([0.229, 0.224, 0.225])[None, :, None, None]
    pil = Image.fromarray(rgb.numpy()).resize((out_w, out_h), Image.BILINEAR)
    t = torch.from_numpy(np.asarray(pil).copy()).permute(2, 0, 1)[None].float() / 255
    t = (t - mean) / std
    f32 = F.interpolate(rgb.permute(2, 0, 1)[None].float(), size=(out_h, out_w), mode="bilinear", align_corners=False, antialias=True)
    f32 = (f32.round().clamp(0, 255) / 255 - mean) / std
    with open(path, "w") as f:
        json.dump({"height": h, "width": w, "outHeight": out_h, "outWidth": out_w, "shape": list(t.shape[1:]),
                   "data": t.flatten().tolist(), "floatPath": f32.flatten().tolist(), "torch": torch.__version__,
                   "scriptSha256": hashlib.sha256(open(__file__, "rb").read()).hexdigest()}, f)


if __name__ == "__main__":
    make(200, 300, 48, 64, "preprocess.downscale.expected.json")

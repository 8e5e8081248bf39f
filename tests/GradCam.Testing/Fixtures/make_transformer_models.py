#!/usr/bin/python3
"""Vision-transformer fixtures for the ONNX importer's and the token-map tests (Debian's python3-torch, torchvision, onnx).

torchvision's vit_b_16 and swin_t with seeded random weights, exported at opsets 14 (LayerNorm decomposed into
ReduceMean, Sub, Pow, Sqrt, Div, Mul, Add) and 17 (LayerNormalization), and Grad-CAM references made with PyTorch
hooks on the original modules, with the token reshape of pytorch-grad-cam: tokens [B, 1 + h*w, C] lose the class token
and become [B, C, h, w]; Swin's [B, h, w, C] become [B, C, h, w]. Writes to OUTDIR:
  NAME.opN.onnx   the export
  NAME.input.bin  the input batch, float32 [2, 3, 224, 224]
  NAME.json       logits, and per explained layer: the torch module, the ONNX node per opset, targets and raw CAMs
and finally a 'complete' stamp. Usage: make_transformer_models.py OUTDIR
"""
import json
import os
import sys

import onnx
import torch
import torchvision

OPSETS = (14, 17)
MODELS = {
    # name: {layer key: (torch module path, how its output holds the map, ONNX node name prefix)}
    "vit_b_16": {
        "default": ("encoder.layers.encoder_layer_11.ln_1", "tokens", "/encoder/layers/encoder_layer_11/ln_1/"),
    },
    "swin_t": {
        "default": ("permute", "nchw", "/permute/"),
        "norm1": ("features.7.1.norm1", "nhwc", "/features/features.7/features.7.1/norm1/"),
    },
}


def to_map(t, layout):
    if layout == "tokens":
        b, n, c = t.shape
        side = int(round((n - 1) ** 0.5))
        return t[:, 1:, :].reshape(b, side, side, c).permute(0, 3, 1, 2)
    if layout == "nhwc":
        return t.permute(0, 3, 1, 2)
    return t


def reference(model, x, module_path, layout):
    module = dict(model.named_modules())[module_path]
    kept = {}

    def hook(_, __, output):
        output.retain_grad()
        kept["a"] = output

    handle = module.register_forward_hook(hook)
    logits = model(x)
    handle.remove()
    targets = logits.argmax(1)
    logits.gather(1, targets[:, None]).sum().backward()
    a = to_map(kept["a"].detach(), layout)
    g = to_map(kept["a"].grad, layout)
    cams = torch.relu((g.mean((2, 3), keepdim=True) * a).sum(1))
    return logits.detach(), targets, cams


def node_name(path, prefix):
    names = [n.name for n in onnx.load(path).graph.node if n.name.startswith(prefix)]
    if not names:
        raise SystemExit(f"{path}: no node under {prefix}")
    return names[-1]  # the module's output: its last node in graph order


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, layers in MODELS.items():
        torch.manual_seed(1234)
        model = getattr(torchvision.models, name)().eval()
        g = torch.Generator().manual_seed(7)
        x = torch.randn(2, 3, 224, 224, generator=g)
        x.numpy().astype("<f4").tofile(os.path.join(out, f"{name}.input.bin"))
        result = {"layers": {}}
        for opset in OPSETS:
            torch.onnx.export(model, x[:1], os.path.join(out, f"{name}.op{opset}.onnx"), opset_version=opset,
                              input_names=["input"], output_names=["logits"], dynamic_axes={"input": {0: "n"}, "logits": {0: "n"}})
        for key, (path, layout, prefix) in layers.items():
            logits, targets, cams = reference(model, x, path, layout)
            result["logits"] = logits.flatten().tolist()
            result["layers"][key] = {
                "module": path,
                "nodes": {str(o): node_name(os.path.join(out, f"{name}.op{o}.onnx"), prefix) for o in OPSETS},
                "targets": targets.tolist(),
                "cams": [c.flatten().tolist() for c in cams],
                "size": list(cams.shape[1:]),
            }
        with open(os.path.join(out, f"{name}.json"), "w") as f:
            json.dump(result, f)
    open(os.path.join(out, "complete"), "w").close()


if __name__ == "__main__":
    main()

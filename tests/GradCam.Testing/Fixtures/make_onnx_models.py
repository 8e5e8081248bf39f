#!/usr/bin/python3
"""Whole-network fixtures for the ONNX importer's tests, made at test time (Debian's python3-torch, torchvision, onnx).

For each torchvision network, with fixed random weights (seeded; BatchNorm statistics randomised too so that they
matter), writes to OUTDIR:
  NAME.op11.onnx   exported at opset 11 with a fixed batch of 1 (the importer must still take batches)
  NAME.op13.onnx   exported at opset 13 with a dynamic batch
  NAME.json        the Grad-CAM reference: PyTorch hooks on the original module (the article's recipe: forward hook on
                   the layer, gradient hook, full backward of the logit), raw CAM at the layer's resolution, logits
  NAME.input.bin   the input batch, float32 little-endian [2, 3, 224, 224]
  NAME.pth         (vgg16, resnet18) the state_dict, so the zoo can load the same weights
and finally a 'complete' stamp. Usage: make_onnx_models.py OUTDIR [NAME ...]
"""
import json
import os
import sys

import torch
import torch.nn.functional
import torchvision

# torchvision's densenet applies F.relu(inplace=True) to the features it returns, which would overwrite the hooked
# layer output; the reference runs every functional ReLU out of place (the values are the same).
_relu = torch.nn.functional.relu
torch.nn.functional.relu = lambda x, inplace=False: _relu(x, inplace=False)

MODELS = {
    # name: (constructor, the torch module explained)
    "vgg16": (lambda: torchvision.models.vgg16(), "features.28"),
    "resnet18": (lambda: torchvision.models.resnet18(), "layer4"),
    "resnet50": (lambda: torchvision.models.resnet50(), "layer4"),
    "mobilenet_v2": (lambda: torchvision.models.mobilenet_v2(), "features.18"),
    "mobilenet_v3_small": (lambda: torchvision.models.mobilenet_v3_small(), "features.12"),
    "squeezenet1_1": (lambda: torchvision.models.squeezenet1_1(), "features.12"),
    "densenet121": (lambda: torchvision.models.densenet121(), "features"),
    "efficientnet_b0": (lambda: torchvision.models.efficientnet_b0(), "features.8"),
    "googlenet": (lambda: torchvision.models.googlenet(aux_logits=False, init_weights=True), "inception5b"),
    "shufflenet_v2_x1_0": (lambda: torchvision.models.shufflenet_v2_x1_0(), "conv5"),
}
ZOO = {"vgg16", "resnet18"}


def build(name):
    torch.manual_seed(1234)
    model = MODELS[name][0]()
    g = torch.Generator().manual_seed(99)
    for m in model.modules():
        if hasattr(m, "inplace"):
            m.inplace = False  # an in-place activation would overwrite the hooked layer output
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=g) * 0.1)
            m.running_var.copy_(torch.rand(m.running_var.shape, generator=g) * 0.5 + 0.75)
    return model.eval()


def grad_cam(model, layer, x):
    """Grad-CAM with hooks and a full backward pass, one image at a time."""
    module = dict(model.named_modules())[layer]
    store = {}

    def forward_hook(_, __, output):
        store["a"] = output
        output.register_hook(lambda g: store.__setitem__("g", g))

    handle = module.register_forward_hook(forward_hook)
    cams, targets, logits = [], [], []
    try:
        for i in range(x.shape[0]):
            model.zero_grad()
            y = model(x[i:i + 1])
            target = int(y[0].argmax())
            y[0, target].backward()
            weights = store["g"].mean(dim=(2, 3), keepdim=True)
            cam = torch.relu((weights * store["a"]).sum(dim=1))[0]
            cams.append(cam.detach().flatten().tolist())
            targets.append(target)
            logits.append(y[0].detach().tolist())
            shape = list(cam.shape)
    finally:
        handle.remove()
    return cams, shape, targets, logits


def onnx_tensor_of(path, layer):
    """The ONNX tensor a torch module's output became: the output of the last node in the module's scope."""
    import onnx
    prefix = "/" + "/".join(_scopes(layer)) + "/"
    nodes = [n for n in onnx.load(path, load_external_data=False).graph.node if n.name.startswith(prefix)]
    return nodes[-1].output[0]


def _scopes(layer):
    parts = layer.split(".")
    return [".".join(parts[:i + 1]) if i > 0 else parts[0] for i in range(len(parts))]


def main():
    out = sys.argv[1]
    names = sys.argv[2:] or list(MODELS)
    os.makedirs(out, exist_ok=True)
    torch.set_grad_enabled(True)
    for name in names:
        model = build(name)
        x = torch.randn(2, 3, 224, 224, generator=torch.Generator().manual_seed(7))
        x.numpy().astype("<f4").tofile(os.path.join(out, f"{name}.input.bin"))
        with torch.no_grad():
            for opset, dynamic in ((11, False), (13, True)):
                path = os.path.join(out, f"{name}.op{opset}.onnx")
                axes = {"input": {0: "batch"}, "logits": {0: "batch"}} if dynamic else None
                torch.onnx.export(model, x[:1], path, opset_version=opset, input_names=["input"], output_names=["logits"],
                                  dynamic_axes=axes)
        layer = MODELS[name][1]
        cams, shape, targets, logits = grad_cam(model, layer, x)
        record = {
            "model": name, "layer": layer, "onnxLayer": onnx_tensor_of(os.path.join(out, f"{name}.op13.onnx"), layer),
            "inputShape": list(x.shape), "camShape": shape, "targets": targets, "cams": cams, "logits": logits,
        }
        with open(os.path.join(out, f"{name}.json"), "w") as f:
            json.dump(record, f)
        if name in ZOO:
            torch.save(model.state_dict(), os.path.join(out, f"{name}.pth"))
        print(f"{name}: layer {layer} -> {record['onnxLayer']}, cam {shape}", flush=True)
    if len(sys.argv) == 2:
        open(os.path.join(out, "complete"), "w").write("ok\n")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Exports a GradCam model package (a VGG-style network: model.json + weights.safetensors) to ONNX with PyTorch.

The network is rebuilt in PyTorch from the package's configuration with the same module names, its weights read from the
safetensors entry, and exported with torch.onnx.export (opset 13, dynamic batch): an ONNX model made the way users make
theirs, for the test that investigates a drive with it. Usage: export_package_to_onnx.py PACKAGE.gcm OUT.onnx
"""
import json
import struct
import sys
import zipfile

import numpy as np
import torch
from torch import nn

DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16, "I64": np.int64}


class Vgg(nn.Module):
    def __init__(self, c):
        super().__init__()
        layers, channels = [], c.get("inputChannels", 3)
        for width in c["features"]:
            if width == 0:
                layers.append(nn.MaxPool2d(2, 2))
                continue
            layers.append(nn.Conv2d(channels, width, 3, padding=1))
            if c["batchNorm"]:
                layers.append(nn.BatchNorm2d(width))
            layers.append(nn.ReLU())
            channels = width
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d((c["poolSize"], c["poolSize"]))
        fc, width = [], channels * c["poolSize"] ** 2
        for hidden in c["hidden"]:
            fc += [nn.Linear(width, hidden), nn.ReLU(), nn.Dropout(c.get("dropout", 0.5))]
            width = hidden
        fc.append(nn.Linear(width, c["numClasses"]))
        self.classifier = nn.Sequential(*fc)

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


def read_safetensors(data):
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        array = np.frombuffer(body[begin:end], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors


def main():
    package, out = sys.argv[1], sys.argv[2]
    with zipfile.ZipFile(package) as z:
        manifest = json.loads(z.read("model.json"))
        weights = read_safetensors(z.read("weights.safetensors"))
    model = Vgg(manifest["vgg"])
    model.load_state_dict(weights, strict=True)
    model.eval()
    x = torch.zeros(1, 3, manifest["inputHeight"], manifest["inputWidth"])
    torch.onnx.export(model, x, out, opset_version=13, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}})


if __name__ == "__main__":
    main()

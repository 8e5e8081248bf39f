#!/usr/bin/python3
"""Grad-CAM of an ONNX graph computed by PyTorch, independently of GradCam's importer.

The graph (GradCam's reconstruction of a fitted ML.NET model: ML.NET's ResNet18 preprocessing and trunk, then the
trained head) is run node by node with PyTorch's own operators, written here from the ONNX operator definitions;
the layer's output keeps its gradient (retain_grad), the class score's backward() fills it, and Grad-CAM follows the
article: weights = spatial mean of the gradients, CAM = ReLU(sum of weighted maps).
Usage: gradcam_of_onnx_graph.py MODEL.onnx INPUT.bin N LAYER_TENSOR OUT.json  (INPUT.bin: float32 [N, 3, 224, 224])
"""
import json
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def pads_of(a, n=2):
    p = list(a.get("pads", [0] * (2 * n)))
    return p[:n], p[n:]


def run(model, x, layer):
    values = {i.name: torch.tensor(numpy_helper.to_array(i).astype(np.float32 if i.data_type in (1, 10, 11, 16) else np.int64))
              for i in model.graph.initializer}
    graph_input = [i.name for i in model.graph.input if i.name not in values][0]
    values[graph_input] = x
    kept = None
    for node in model.graph.node:
        a = attrs(node)
        ins = [values[n] if n else None for n in node.input]
        op = node.op_type
        if op == "Split":
            outs = torch.split(ins[0], list(a["split"]), dim=a.get("axis", 0))
        elif op == "Concat":
            outs = [torch.cat(ins, dim=a["axis"])]
        elif op == "Sub":
            outs = [ins[0] - ins[1]]
        elif op == "Add":
            outs = [ins[0] + ins[1]]
        elif op == "Relu":
            outs = [torch.relu(ins[0])]
        elif op == "Conv":
            begin, end = pads_of(a)
            y = F.pad(ins[0], [begin[1], end[1], begin[0], end[0]])
            outs = [F.conv2d(y, ins[1], ins[2] if len(ins) > 2 else None, stride=a.get("strides", [1, 1]),
                             dilation=a.get("dilations", [1, 1]), groups=a.get("group", 1))]
        elif op == "BatchNormalization":
            xx, scale, bias, mean, var = ins
            shape = [1, -1, 1, 1]
            outs = [(xx - mean.reshape(shape)) / torch.sqrt(var.reshape(shape) + a.get("epsilon", 1e-5)) * scale.reshape(shape) + bias.reshape(shape)]
        elif op == "MaxPool":
            begin, end = pads_of(a)
            y = F.pad(ins[0], [begin[1], end[1], begin[0], end[0]], value=float("-inf"))
            outs = [F.max_pool2d(y, a["kernel_shape"], stride=a.get("strides", [1, 1]))]
        elif op == "AveragePool":
            begin, end = pads_of(a)
            assert sum(begin + end) == 0, "padded average pooling is not needed here"
            outs = [F.avg_pool2d(ins[0], a["kernel_shape"], stride=a.get("strides", [1, 1]))]
        elif op == "Flatten":
            outs = [torch.flatten(ins[0], a.get("axis", 1))]
        elif op == "Gemm":
            w = ins[1].t() if a.get("transB", 0) else ins[1]
            outs = [a.get("alpha", 1.0) * ins[0] @ w + a.get("beta", 1.0) * ins[2]]
        else:
            raise NotImplementedError(op)
        for name, value in zip(node.output, outs):
            values[name] = value
            if name == layer:
                value.retain_grad()
                kept = value
    return values[model.graph.output[0].name], kept


def main():
    path, data, n, layer, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    model = onnx.load(path)
    x = torch.tensor(np.fromfile(data, dtype="<f4").reshape(n, 3, 224, 224))
    results = []
    for i in range(n):
        item = x[i:i + 1].clone().requires_grad_(True)  # a full backward, as the textbook implementation does
        scores, activations = run(model, item, layer)
        target = int(scores[0].argmax())
        scores[0, target].backward()
        weights = activations.grad.mean(dim=(2, 3), keepdim=True)
        cam = torch.relu((weights * activations).sum(dim=1))[0]
        results.append({"target": target, "scores": scores[0].tolist(), "cam": cam.detach().flatten().tolist()})
    with open(out, "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main()

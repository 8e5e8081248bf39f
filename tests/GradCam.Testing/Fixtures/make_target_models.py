#!/usr/bin/python3
"""Fixtures for explanation targets beyond a class (Debian's python3-torch, torchvision, onnx).

Small networks written here with seeded random weights, exported to ONNX at opset 13, with PyTorch references:
  detector.yolov8.onnx  a single-stage detector, raw output [1, 4 + C, anchors] (cx, cy, w, h in input pixels, class
  detector.yolov5.onnx  scores); the same network in the YOLOv5 layout [1, anchors, 5 + C] (objectness, class probabilities)
  regressor.onnx        two heads: 'steer' [N, 1] and 'brake' [N, 1]
  segmenter.onnx        per-pixel class scores [N, C, H, W]
  image.png             the input image (96x96); the models take RGB in [0, 1] ('none' preprocessing)
  mask.png              a mask for the segmenter's target
  NAME.json             the ONNX node of the explained layer and the references: for detectors, the detections after
                        score filtering and torchvision's batched_nms, and per detection the box-score Grad-CAM
                        (hooks on the neck, backward of the box's raw score); for the regressor, Grad-CAM of 'steer' and
                        of -'brake'; for the segmenter, of class 1's scores inside the mask
and finally a 'complete' stamp. Usage: make_target_models.py OUTDIR
"""
import json
import os
import sys

import onnx
import torch
import torchvision

SIZE, STRIDE, CLASSES = 96, 8, 3
SCORE_THRESHOLD, IOU_THRESHOLD = 0.25, 0.45


class Backbone(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(3, 16, 3, 2, 1)
        self.conv2 = torch.nn.Conv2d(16, 32, 3, 2, 1)
        self.conv3 = torch.nn.Conv2d(32, 32, 3, 2, 1)
        self.neck = torch.nn.ReLU()

    def forward(self, x):
        x = torch.relu(self.conv1(x))
        x = torch.relu(self.conv2(x))
        return self.neck(self.conv3(x))


class Detector(torch.nn.Module):
    def __init__(self, layout):
        super().__init__()
        self.layout = layout
        self.backbone = Backbone()
        self.head = torch.nn.Conv2d(32, 4 + (1 if layout == "yolov5" else 0) + CLASSES, 1)

    def forward(self, x):
        p = self.head(self.backbone(x))                       # [N, F, h, w]
        n, f, h, w = p.shape
        gy, gx = torch.meshgrid(torch.arange(h, dtype=torch.float32), torch.arange(w, dtype=torch.float32), indexing="ij")
        cx = (gx + torch.sigmoid(p[:, 0])) * STRIDE
        cy = (gy + torch.sigmoid(p[:, 1])) * STRIDE
        bw = torch.sigmoid(p[:, 2]) * SIZE / 2
        bh = torch.sigmoid(p[:, 3]) * SIZE / 2
        scores = torch.sigmoid(p[:, 4:])
        out = torch.cat([torch.stack([cx, cy, bw, bh], 1), scores], 1).reshape(n, f, h * w)   # [N, F, anchors]
        return out if self.layout == "yolov8" else out.transpose(1, 2)


class Regressor(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = Backbone()
        self.steer = torch.nn.Linear(32, 1)
        self.brake = torch.nn.Linear(32, 1)

    def forward(self, x):
        f = self.backbone(x).mean((2, 3))
        return torch.tanh(self.steer(f)), torch.sigmoid(self.brake(f))


class Segmenter(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = Backbone()
        self.classify = torch.nn.Conv2d(32, CLASSES, 1)

    def forward(self, x):
        return torch.nn.functional.interpolate(self.classify(self.backbone(x)), size=(SIZE // 2, SIZE // 2), mode="bilinear", align_corners=False)


def seeded(make):
    torch.manual_seed(1234)
    module = make()   # PyTorch's default initialisation, seeded
    if isinstance(module, Detector):
        with torch.no_grad():
            module.head.weight *= 40      # scores that differ from anchor to anchor, as a trained detector's
            if module.layout == "yolov8":
                module.head.bias[4:] -= 4     # most anchors score low
            else:
                module.head.bias[4] += 2      # objectness
                module.head.bias[5:] -= 4
    return module.eval()


def gradcam(model, x, score_of):
    kept = {}

    def hook(_, __, output):
        output.retain_grad()
        kept["a"] = output

    handle = model.backbone.neck.register_forward_hook(hook)
    out = model(x)
    handle.remove()
    score_of(out).backward()
    a, g = kept["a"].detach(), kept["a"].grad
    return torch.relu((g.mean((2, 3), keepdim=True) * a).sum(1))[0].flatten().tolist()


def neck_node(path):
    names = [n.name for n in onnx.load(path).graph.node if n.name.startswith("/backbone/neck/")]
    return names[-1]


def export(model, x, path, outputs):
    torch.onnx.export(model, x, path, opset_version=13, input_names=["images"], output_names=outputs)


def detections(raw, layout):
    rows = raw[0] if layout == "yolov5" else raw[0].t()     # [anchors, fields]
    cls_scores = rows[:, 5:] * rows[:, 4:5] if layout == "yolov5" else rows[:, 4:]
    best, cls = cls_scores.max(1)
    keep = (best >= SCORE_THRESHOLD).nonzero().flatten()
    c = rows[keep, :4]
    boxes = torch.stack([c[:, 0] - c[:, 2] / 2, c[:, 1] - c[:, 3] / 2, c[:, 0] + c[:, 2] / 2, c[:, 1] + c[:, 3] / 2], 1)
    kept = torchvision.ops.batched_nms(boxes, best[keep], cls[keep], IOU_THRESHOLD)[:100]
    return [{"anchor": int(keep[k]), "class": int(cls[keep[k]]), "score": float(best[keep[k]]), "box": boxes[k].tolist()} for k in kept]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    g = torch.Generator().manual_seed(5)
    # A smooth random image, so that the maps are not noise.
    image = torch.nn.functional.interpolate(torch.rand(1, 3, 24, 24, generator=g), size=(SIZE, SIZE), mode="bilinear", align_corners=False)
    pixels = (image[0] * 255).round().to(torch.uint8)
    torchvision.io.write_png(pixels, os.path.join(out, "image.png"))
    x = pixels[None].float() / 255

    for layout in ("yolov8", "yolov5"):
        model = seeded(lambda: Detector(layout))
        path = os.path.join(out, f"detector.{layout}.onnx")
        export(model, x, path, ["output0"])
        with torch.no_grad():
            found = detections(model(x), layout)
        for d in found:
            a, c = d["anchor"], d["class"]
            score = (lambda o: o[0, 4 + c, a]) if layout == "yolov8" else (lambda o: o[0, a, 4] * o[0, a, 5 + c])
            d["cam"] = gradcam(model, x, score)
        with open(os.path.join(out, f"detector.{layout}.json"), "w") as f:
            json.dump({"node": neck_node(path), "detections": found}, f)

    model = seeded(Regressor)
    path = os.path.join(out, "regressor.onnx")
    export(model, x, path, ["steer", "brake"])
    with torch.no_grad():
        steer, brake = model(x)
    with open(os.path.join(out, "regressor.json"), "w") as f:
        json.dump({"node": neck_node(path), "steer": float(steer), "brake": float(brake),
                   "steer_cam": gradcam(model, x, lambda o: o[0][0, 0]),
                   "minus_brake_cam": gradcam(model, x, lambda o: -o[1][0, 0])}, f)

    model = seeded(Segmenter)
    path = os.path.join(out, "segmenter.onnx")
    export(model, x, path, ["scores"])
    mask = torch.zeros(SIZE // 2, SIZE // 2)
    mask[10:30, 5:25] = 1
    torchvision.io.write_png((mask * 255).to(torch.uint8)[None], os.path.join(out, "mask.png"))
    with open(os.path.join(out, "segmenter.json"), "w") as f:
        json.dump({"node": neck_node(path), "cam": gradcam(model, x, lambda o: (o[0, 1] * mask).sum())}, f)
    open(os.path.join(out, "complete"), "w").close()


if __name__ == "__main__":
    main()

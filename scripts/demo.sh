#!/usr/bin/env bash
# The best available demo until samples/dashcam lands: explain the sample image(s) with VGG16.
# Real ImageNet weights: GRADCAM_VGG16_WEIGHTS=/path/to/vgg16-397923af.pth ./build.sh demo
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${CONFIG:-Release}
GRADCAM="dotnet src/GradCam.LiveView/bin/$CONFIG/net10.0/gradcam.dll"
OUT=${OUT:-demo-out}
if [ -n "${GRADCAM_VGG16_WEIGHTS:-}" ]; then
  weights=(--weights "$GRADCAM_VGG16_WEIGHTS")
else
  echo "demo: no GRADCAM_VGG16_WEIGHTS given: using seeded random weights, so the classes and maps show the" >&2
  echo "      machinery, not a trained model's judgement (torchvision's vgg16-397923af.pth gives real ones)" >&2
  weights=(--random-weights)
fi
$GRADCAM explain samples/images/*.png --model vgg16 "${weights[@]}" --out "$OUT" --json "$OUT/explain.json" "$@"
echo "demo: figures and JSON in $OUT/"

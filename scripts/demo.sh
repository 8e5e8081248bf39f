#!/usr/bin/env bash
# The main job: "why did the car stop?" Render the recorded drive, replay it through the committed `shortcut`
# stop/go model (compared with the `honest` one), find the abrupt stops and explain them with Grad-CAM.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${CONFIG:-Release}
DASHCAM="dotnet samples/dashcam/bin/$CONFIG/net10.0/dashcam.dll"
OUT=${OUT:-demo-out}
mkdir -p "$OUT"
$DASHCAM render-drive --seed 7 --out "$OUT/drive.mp4" --truth "$OUT/truth.json"
$DASHCAM investigate "$OUT/drive.mp4" --model shortcut --compare honest --truth "$OUT/truth.json" --out "$OUT/investigation" "$@"
echo "demo: open $OUT/investigation/report.html (annotated video: $OUT/investigation/annotated.mp4)"

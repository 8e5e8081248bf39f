#!/usr/bin/env bash
# Screenshots of the live window for the docs: plays a clip in `gradcam live` on a virtual X display (Xvfb, whose
# framebuffer is a file) and grabs the screen after some seconds. Usage:
#   scripts/live-screenshot.sh CLIP SECONDS OUT.png [gradcam live options...]
# e.g. scripts/live-screenshot.sh demo-out/drive.mp4 15.6 docs/live-after.png --model samples/dashcam/models/shortcut.gcm --target stop
set -euo pipefail
cd "$(dirname "$0")/.."
clip=$1 seconds=$2 out=$3
shift 3
CONFIG=${CONFIG:-Release}
fb=$(mktemp -d)
trap 'kill $xvfb 2>/dev/null && wait $xvfb 2>/dev/null; rm -rf "$fb"' EXIT
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 700x420x24 -fbdir "$fb" -nolisten tcp &
xvfb=$!
sleep 1
# Started with &, the child would ignore SIGINT: restore it, so Ctrl+C's path (finish, close the files) ends the run.
DISPLAY=$display env --default-signal=INT,TERM dotnet "src/GradCam.LiveView/bin/$CONFIG/net10.0/GradCam.LiveView.dll" live --input "$clip" "$@" &
live=$!
sleep "$seconds"
cp "$fb/Xvfb_screen0" "$fb/shot.xwd"
kill -INT $live 2>/dev/null || true
wait $live 2>/dev/null || true
# XWD (X Window Dump): a big-endian header, the colormap, then 32-bit pixels (B, G, R, unused on this server).
/usr/bin/python3 - "$fb/shot.xwd" "$out" <<'PY'
import struct, sys
import numpy as np
from PIL import Image
data = open(sys.argv[1], 'rb').read()
h = struct.unpack('>25I', data[:100])
header, width, height, bpp, line, ncolors = h[0], h[4], h[5], h[11], h[12], h[19]
assert bpp == 32, f"expected 32 bits per pixel, got {bpp}"
start = header + 12 * ncolors
pixels = np.frombuffer(data, np.uint8, count=line * height, offset=start).reshape(height, line)[:, :width * 4].reshape(height, width, 4)
rgb = pixels[:, :, [2, 1, 0]]
rows, cols = np.where(rgb.reshape(height, width, 3).sum(axis=2) > 0)
if len(rows):  # crop to the window
    rgb = rgb[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
Image.fromarray(np.ascontiguousarray(rgb)).save(sys.argv[2])
print(f"wrote {sys.argv[2]} ({rgb.shape[1]}x{rgb.shape[0]})")
PY

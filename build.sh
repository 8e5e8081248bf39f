#!/usr/bin/env bash
# GradCam build entry point.
#   ./build.sh demo    install prerequisites, build, run the best available demo
#   ./build.sh test    install prerequisites, build, run every test
#   ./build.sh bench   install prerequisites, build (Release), run the benchmarks
#   ./build.sh pack    build the NuGet packages (GradCam, GradCam.MLNet, GradCam.Video, GradCam.Fleet, GradCam.Onnx, GradCam.OnnxRuntime, GradCam.Tool) into artifacts/
#   ./build.sh prereqs only check/install the native prerequisites (--dry-run: print what apt would change, change nothing)
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
CONFIG=${CONFIG:-Release}

log() { printf '\033[1m[build]\033[0m %s\n' "$*" >&2; }
die() { printf '[build] error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- prerequisites
libstdcxx_path() {
  local p
  for p in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6 /usr/lib/libstdc++.so.6; do
    [ -e "$p" ] && { echo "$p"; return; }
  done
}

has_glibcxx_3_4_32() {
  local lib; lib=$(libstdcxx_path)
  [ -n "$lib" ] && grep -qa 'GLIBCXX_3\.4\.32' "$lib"
}

has_gtk3() { ldconfig -p 2>/dev/null | grep -q 'libgtk-3\.so\.0'; }

has_xvfb() { command -v xvfb-run >/dev/null && command -v xauth >/dev/null && command -v xdotool >/dev/null; }

has_chromium() { [ -x /usr/bin/chromium ]; }

# The ONNX importer's tests export torchvision networks with Debian's PyTorch (never pip: no network but the registries).
has_pytorch() { /usr/bin/python3 -c 'import torch, torchvision, onnx' >/dev/null 2>&1; }

is_debian() { [ -f /etc/debian_version ]; }

# The fleet's cluster tests start PostgreSQL servers of their own (Debian's binaries, no system cluster).
has_postgres() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }

APT_UPDATED=0
apt_update_once() {
  if [ "$APT_UPDATED" = 0 ]; then apt-get update -qq >&2; APT_UPDATED=1; fi
}

# The Debian archive this machine already uses (its deb822 or one-line apt sources, the security archive excepted): the
# trixie source reuses it, so mirrors and proxies configured here keep working.
debian_archive() {
  local uri
  uri=$(awk '/^[[:space:]]*URIs:/ { uri = $2 }
             /^[[:space:]]*Suites:/ { if ($0 !~ /security/ && uri != "") { print uri; exit } }
             /^[[:space:]]*$/ { uri = "" }' $(ls /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v '/gradcam-') 2>/dev/null | head -n 1)
  if [ -z "$uri" ]; then
    uri=$(grep -hE '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
          | grep -v -- '-security' | awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { print $i; exit } }' | head -n 1)
  fi
  echo "$uri"
}

trixie_source() {
  printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$1"
}

install_trixie_libstdcxx() {
  # TorchSharp 0.107's libLibTorchSharp.so is linked against GLIBCXX_3.4.32 (GCC 13+).
  # Debian 12 ships 3.4.30; take only libstdc++6 (and what it drags: libc6) from Debian 13,
  # pinned low so nothing else is upgraded.
  local archive; archive=$(debian_archive)
  [ -n "$archive" ] || die "no Debian archive found in /etc/apt/sources.list(.d): add your bookworm source first"
  log "libstdc++ lacks GLIBCXX_3.4.32 (TorchSharp needs it): installing libstdc++6 from Debian trixie at $archive (pinned at 100)"
  trixie_source "$archive" > /etc/apt/sources.list.d/gradcam-trixie.sources
  cat > /etc/apt/preferences.d/gradcam-trixie <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
  APT_UPDATED=0; apt_update_once
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t trixie libstdc++6 >&2
}

# Prints what apt would change, without changing anything: apt resolves the install in a throw-away copy of its state
# (sources, pins and package lists in a temporary folder; dpkg's status is only read). $1 is "trixie" to add the trixie
# source and pin as install_trixie_libstdcxx does; the rest are apt-get install's arguments.
apt_simulate() {
  local with_trixie=$1; shift
  local state; state=$(mktemp -d)
  mkdir -p "$state/sources.list.d" "$state/preferences.d" "$state/lists/partial" "$state/cache/archives/partial"
  cp /etc/apt/sources.list "$state/sources.list" 2>/dev/null || : > "$state/sources.list"
  cp /etc/apt/sources.list.d/* "$state/sources.list.d/" 2>/dev/null || true
  cp /etc/apt/preferences.d/* "$state/preferences.d/" 2>/dev/null || true
  if [ "$with_trixie" = trixie ]; then
    local archive; archive=$(debian_archive)
    [ -n "$archive" ] || { rm -rf "$state"; die "no Debian archive found in /etc/apt/sources.list(.d)"; }
    trixie_source "$archive" > "$state/sources.list.d/gradcam-trixie.sources"
    printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' > "$state/preferences.d/gradcam-trixie"
  fi
  local opts=(-o "Dir::Etc::sourcelist=$state/sources.list" -o "Dir::Etc::sourceparts=$state/sources.list.d"
              -o "Dir::Etc::preferencesparts=$state/preferences.d" -o "Dir::State::Lists=$state/lists"
              -o "Dir::Cache=$state/cache" -o "Debug::NoLocking=1")
  apt-get "${opts[@]}" update -qq >&2 || { rm -rf "$state"; die "apt-get update failed in the dry run"; }
  # -s: simulate. "Inst P [old] (new ...)" lines are the packages that would be installed or upgraded.
  apt-get "${opts[@]}" install -s "$@" | awk '/^Inst / { gsub(/[\[\]]/, "", $3); if ($3 ~ /^\(/) printf "  install %s %s\n", $2, substr($3, 2); else printf "  upgrade %s %s -> %s\n", $2, $3, substr($4, 2) }'
  rm -rf "$state"
}

# ./build.sh prereqs --dry-run: what prereqs would install or upgrade on this machine, changing nothing.
prereqs_dry_run() {
  is_debian || { log "not Debian: prereqs installs nothing here, it only lists what is missing"; return 0; }
  local wanted=()
  if has_glibcxx_3_4_32; then
    log "libstdc++ already has GLIBCXX_3.4.32: no trixie packages"
  else
    log "libstdc++6 from Debian trixie (TorchSharp needs GLIBCXX_3.4.32), pinned at 100; apt would change:"
    apt_simulate trixie -t trixie libstdc++6
  fi
  has_gtk3 || wanted+=(libgtk-3-0)
  has_xvfb || wanted+=(xvfb xauth xdotool)
  has_chromium || wanted+=(chromium)
  has_pytorch || wanted+=(python3-torch python3-torchvision python3-onnx)
  has_postgres || wanted+=(postgresql)
  if [ ${#wanted[@]} -eq 0 ]; then
    log "every Debian 12 package the tests need is installed"
  else
    log "from this machine's own Debian release (${wanted[*]}; all but libgtk-3-0 only for ./build.sh test); apt would change:"
    apt_simulate none "${wanted[@]}"
  fi
}

prereqs() {
  if [ "${1:-}" = --dry-run ]; then prereqs_dry_run; return; fi
  local missing=()
  has_glibcxx_3_4_32 || missing+=("libstdc++6 with GLIBCXX_3.4.32 (Debian 13 'trixie' libstdc++6, or GCC >= 13's runtime)")
  has_gtk3 || missing+=("libgtk-3-0 (OpenCV highgui)")
  [ "${NEED_XVFB:-0}" = 1 ] && ! has_xvfb && missing+=("xvfb, xauth and xdotool (the live window's tests: frames and keys)")
  [ "${NEED_XVFB:-0}" = 1 ] && ! has_chromium && missing+=("chromium (renders the dashcam report in a test)")
  [ "${NEED_XVFB:-0}" = 1 ] && ! has_pytorch && missing+=("python3-torch, python3-torchvision, python3-onnx (the ONNX importer's test fixtures)")
  [ "${NEED_XVFB:-0}" = 1 ] && ! has_postgres && missing+=("postgresql (the fleet cluster's tests start their own server)")
  command -v dotnet >/dev/null || missing+=(".NET SDK 10 (dotnet)")
  [ ${#missing[@]} -eq 0 ] && return 0

  if [ "$(id -u)" != 0 ] || ! is_debian; then
    printf '[build] missing native prerequisites:\n' >&2
    printf '  - %s\n' "${missing[@]}" >&2
    local archive; archive=$(debian_archive)
    cat >&2 <<MSG
[build] on Debian 12, as root (the trixie source uses this machine's Debian archive, ${archive:-which apt does not list: add it}):
  printf 'Types: deb\\nURIs: ${archive}\\nSuites: trixie\\nComponents: main\\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\\n' > /etc/apt/sources.list.d/gradcam-trixie.sources
  printf 'Package: *\\nPin: release n=trixie\\nPin-Priority: 100\\n' > /etc/apt/preferences.d/gradcam-trixie
  apt-get update && apt-get install -y -t trixie libstdc++6 && apt-get install -y libgtk-3-0 xvfb xauth xdotool chromium python3-torch python3-torchvision python3-onnx postgresql
MSG
    exit 1
  fi
  has_glibcxx_3_4_32 || install_trixie_libstdcxx
  if ! has_gtk3; then
    log "installing libgtk-3-0 (OpenCV highgui)"
    apt_update_once
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgtk-3-0 >&2
  fi
  if [ "${NEED_XVFB:-0}" = 1 ] && { ! has_xvfb || ! has_chromium; }; then
    log "installing xvfb and chromium (the window test and the report test)"
    apt_update_once
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xvfb xauth xdotool chromium >&2
  fi
  if [ "${NEED_XVFB:-0}" = 1 ] && ! has_pytorch; then
    log "installing Debian's python3-torch, python3-torchvision and python3-onnx (the ONNX tests' fixtures)"
    apt_update_once
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-torchvision python3-onnx >&2
  fi
  if [ "${NEED_XVFB:-0}" = 1 ] && ! has_postgres; then
    log "installing Debian's postgresql (the fleet cluster's tests start and stop a server of their own)"
    apt_update_once
    # No default cluster: installing must not leave a database server running on this machine.
    mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/gradcam-no-main-cluster.conf
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    # Where the package created and started a cluster all the same, stop it.
    pg_lsclusters -h 2>/dev/null | while read -r version name _; do pg_ctlcluster "$version" "$name" stop 2>/dev/null || true; done
  fi
  command -v dotnet >/dev/null || die ".NET SDK 10 is required (https://dot.net)"
  has_glibcxx_3_4_32 || die "libstdc++ still lacks GLIBCXX_3.4.32 after install"
}

# Builds the solution, or only the project a verb needs (and what it references).
build() {
  local project=${1:-GradCam.sln}
  log "restoring and building $project ($CONFIG)"
  dotnet build "$project" -c "$CONFIG" -nologo -v:q -clp:NoSummary >&2
}

pack() {
  log "packing into artifacts/ (the libraries and the gradcam .NET tool)"
  rm -rf "$ROOT/artifacts"
  local project
  for project in src/*/*.csproj; do
    # The tool's RID-specific package (GradCam.Tool.linux-x64) is built for its RID by the pack itself.
    local build=--no-build
    case "$project" in */GradCam.LiveView.csproj) build= ;; esac
    dotnet pack "$project" -c Release $build -o "$ROOT/artifacts" -nologo -v:q >&2
  done
  ls "$ROOT/artifacts" >&2
}

# The ten slowest tests of a run and, for each failed test, the end of its message (the console shows only its name),
# from the TRX files dotnet test wrote.
slowest() {
  /usr/bin/python3 - "$1" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
rows, failed = [], []
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    for r in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", ns):
        h, m, s = r.get("duration", "0:0:0").split(":")
        rows.append((int(h) * 3600 + int(m) * 60 + float(s), r.get("testName")))
        if r.get("outcome") == "Failed":
            message = r.find(".//t:Message", ns)
            failed.append((r.get("testName"), (message.text or "") if message is not None else ""))
print("slowest tests:")
for seconds, name in sorted(rows, reverse=True)[:10]:
    print(f"  {seconds:7.1f} s  {name}")
for name, message in failed:
    print(f"failed: {name}")
    for line in message.strip().splitlines()[-20:]:
        print(f"    {line}")
PY
}

# Sourced (the tests source it to call apt_simulate), it only defines its functions.
[ "${BASH_SOURCE[0]}" = "$0" ] || return 0

cmd=${1:-}
shift || true
case "$cmd" in
  prereqs) prereqs "$@" ;;
  pack)
    prereqs; CONFIG=Release build src/GradCam.LiveView/GradCam.LiveView.csproj; pack ;; # the tool references every library
  test)
    NEED_XVFB=1 prereqs; build
    # The package tests install the tool and build a consumer project from these packages, as users get them.
    [ "$CONFIG" = Release ] && pack
    log "running tests"
    # One test assembly at a time: they are CPU-heavy and some measure timing on a 2-core machine.
    results=$(mktemp)
    trx=$(mktemp -d)
    status=0
    # A hung test fails its assembly within 15 minutes (with a dump of where it hung), not at CI's time limit.
    dotnet test GradCam.sln -c "$CONFIG" --no-build -nologo -v:q -m:1 --blame-hang-timeout 15m \
      --logger "trx" --results-directory "$trx" "$@" | tee "$results" || status=$?
    # One closing line for every assembly together, and the ten slowest tests.
    awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1) } }
         END { printf "tests: %d passed, %d failed\n", p, f }' FS='[ ,]+' "$results"
    slowest "$trx"
    rm -rf "$results" "$trx"
    # A test process that crashed cannot stop the PostgreSQL server it started: stop it here.
    for data in /tmp/gradcam-pg-*/data; do
      [ -f "$data/postmaster.pid" ] || continue
      log "stopping a PostgreSQL server left by a crashed test ($data)"
      kill -INT "$(head -1 "$data/postmaster.pid")" 2>/dev/null || true
    done
    exit "$status"
    ;;
  demo)
    prereqs; build samples/dashcam/Dashcam.csproj
    exec "$ROOT/scripts/demo.sh" "$@"
    ;;
  bench)
    prereqs; build
    log "running benchmarks (results in bench/results/)"
    dotnet run --project bench/GradCam.Bench -c "$CONFIG" --no-build -- "$@"
    case " $* " in *" --only "*) ;; *)
      log "dashcam: pointing game of the honest model"
      dotnet "samples/dashcam/bin/$CONFIG/net10.0/dashcam.dll" pointing --model honest --out bench/results/dashcam.json ;;
    esac
    ;;
  *)
    echo "usage: ./build.sh demo|test|bench|pack|prereqs" >&2; exit 2 ;;
esac

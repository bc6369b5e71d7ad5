# Sourced by build.sh and build-debian.sh: their command line, their messages, and the cache they
# build into (.cache/vm-image/ unless --cache-dir): one lock per image kind, a work folder removed
# however the build ends, the finished image moved into place whole.

# image_args NAME "$@": sets CACHE_DIR and KEY_ONLY from --cache-dir DIR and --key-only.
image_args() {
  IMAGE_SCRIPT="$1"; shift
  CACHE_DIR="$(cd "$HERE/../../.." && pwd)/.cache/vm-image"
  KEY_ONLY=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --cache-dir) CACHE_DIR="$2"; shift 2 ;;
      --key-only) KEY_ONLY=1; shift ;;
      *) echo "$IMAGE_SCRIPT: unknown argument '$1' (valid: --cache-dir DIR, --key-only)" >&2; exit 2 ;;
    esac
  done
}

die() { echo "$IMAGE_SCRIPT: $*" >&2; exit 1; }
log() { echo "$IMAGE_SCRIPT: $*" >&2; }

# Seconds since $1 (date +%s%N), one decimal.
seconds_since() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

# image_start NAME: OUT is CACHE_DIR/NAME. With --key-only prints NAME and exits; a cached image
# (its manifest.json written last) is printed and the script exits; otherwise the kind's lock is
# held from here on, `started` is set and WORK is a fresh folder in the cache, removed at exit.
image_start() {
  local name="$1" kind="${2:-}"
  OUT="$CACHE_DIR/$name"
  if [ "$KEY_ONLY" = 1 ]; then echo "$name"; exit 0; fi
  mkdir -p "$CACHE_DIR"
  exec 9>"$CACHE_DIR/.lock${kind:+-$kind}"
  flock 9
  if [ -f "$OUT/manifest.json" ]; then echo "$OUT"; exit 0; fi
  started=$(date +%s%N)
  WORK="$(mktemp -d "$CACHE_DIR/.build${kind:+-$kind}-XXXXXX")"
  trap 'rm -rf "$WORK"' EXIT
}

# image_finish: the image built in $OUT_TMP (manifest.json last) replaces OUT, whose path is printed.
image_finish() {
  rm -rf "$OUT"
  mv "$OUT_TMP" "$OUT"
  echo "$OUT"
}

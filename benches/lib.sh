# Shared by the bench scripts: messages, installing a missing tool, the release binary to measure.
# Source it after setting SCRIPT (the name in messages) and ROOT (the repository).

die() {
  printf '%s: %s\n' "$SCRIPT" "$*" >&2
  exit 1
}

log() {
  printf '%s\n' "$*" >&2
}

# apt_install PKG: install a Debian package as root or through sudo.
apt_install() {
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || return 1
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get install -y "$1" >&2 ||
    { "${sudo[@]}" apt-get update >&2 && "${sudo[@]}" apt-get install -y "$1" >&2; }
}

# need_tool CMD [PKG]: install PKG (default CMD) with apt-get when CMD is missing.
need_tool() {
  command -v "$1" >/dev/null && return
  log "$1 missing; installing package '${2:-$1}'"
  apt_install "${2:-$1}" || die "could not install '${2:-$1}'; install it and retry"
}

# build_if_missing BIN: build the release binary when BIN is not there yet.
build_if_missing() {
  if [[ ! -x $1 ]]; then
    log "building $1"
    (cd "$ROOT" && cargo build --release --locked >&2)
  fi
}

# Shared by scripts that need Debian packages: ensure_packages PKG... installs the
# missing ones (apt-get update once per machine boot, then apt-get install -y).
# Source it. Needs root; without root it says what is missing and returns 1.
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages (install them as root): ${missing[*]}" >&2
    return 1
  fi
  local stamp=/tmp/resolver-apt-updated
  if [ ! -f "$stamp" ]; then
    apt-get update -qq && touch "$stamp"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

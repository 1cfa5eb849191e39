# Sourced by the make-*-corpus.sh scripts: the guard that keeps media out of the repository, and the
# installation of the Debian packages a corpus is made from (PACKAGES, set by the caller).

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# refuse_inside_repo DIR: corpora are large and not ours to commit.
refuse_inside_repo() {
  case "$(realpath -m "$1")/" in "$repo"/*) echo "refusing to write media inside the repository ($1)" >&2; exit 2 ;; esac
}

# install_packages: installs whichever of PACKAGES is missing (as root), without recommends.
install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" -ne 0 ]; then echo "missing packages (install as root): ${missing[*]}" >&2; exit 1; fi
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

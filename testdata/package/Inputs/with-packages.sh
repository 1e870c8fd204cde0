#!/usr/bin/env bash
# with-packages.sh DEB... -- COMMAND [ARG...]
# Installs the packages with dpkg, runs COMMAND, and purges the packages again
# whatever happened (a failing step, a failed install, Ctrl-C), so the machine
# is left as it was. Refuses to touch a package that is already installed.
# Exits with COMMAND's status (1 when the install itself failed).
set -uo pipefail
debs=()
while [[ $# -gt 0 && $1 != -- ]]; do debs+=("$1"); shift; done
[[ $# -gt 1 && ${#debs[@]} -gt 0 ]] || { echo "usage: with-packages.sh DEB... -- COMMAND" >&2; exit 2; }
shift
names=()
for deb in "${debs[@]}"; do
  name=$(dpkg-deb --field "$deb" Package) || exit 2
  state=$(dpkg-query -W -f='${db:Status-Status}' "$name" 2>/dev/null)
  if [[ -n $state && $state != not-installed ]]; then
    echo "with-packages: $name is already on this machine ($state); not touching it" >&2
    exit 2
  fi
  names+=("$name")
done

purge() {
  dpkg --purge "${names[@]}" >/dev/null ||
    echo "with-packages: could not purge ${names[*]}" >&2
}
trap purge EXIT
trap 'exit 130' INT TERM

if ! dpkg -i "${debs[@]}" >/dev/null; then
  echo "with-packages: dpkg -i ${debs[*]} failed (missing dependencies?)" >&2
  exit 1
fi
echo "with-packages: installed ${names[*]}"
"$@"

#!/usr/bin/env bash
# Debian packages the tests need; installs only what is missing (sourced or run by test.sh).
#   chromium : headless browser for tests/channels/test_webchat.py (Playwright drives
#              /usr/bin/chromium; it never downloads its own browser).
#   make     : the designers' commands (Makefile, tests/test_plain_rasa.py).
ensure_system_packages() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v make >/dev/null 2>&1 || missing+=(make)  # the designers' commands (Makefile)
  [ "${#missing[@]}" -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "ATTENTION : paquets manquants (${missing[*]}) et apt-get absent ; les tests du navigateur seront ignorés." >&2
    return 0
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  printf '\033[1m==> %s\033[0m\n' "Installation des paquets Debian : ${missing[*]}"
  $sudo apt-get install -y --no-install-recommends "${missing[@]}" \
    || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends "${missing[@]}"; }
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  ensure_system_packages
fi

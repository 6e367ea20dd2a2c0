#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 refuses 3.11 and newer).
# Order: $TCHATCHE_PYTHON, python3.10 on PATH (only if it really runs), pyenv's versions folder,
# the usual system locations. Exits 1 with a clear message when none is found.
set -u

is_py310() {
  [ -n "$1" ] || return 1
  "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1
}

candidates=()
[ -n "${TCHATCHE_PYTHON:-}" ] && candidates+=("$TCHATCHE_PYTHON")
command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")
pyenv_root="${PYENV_ROOT:-}"
if [ -z "$pyenv_root" ] && command -v pyenv >/dev/null 2>&1; then
  pyenv_root="$(pyenv root 2>/dev/null)"
fi
[ -z "$pyenv_root" ] && pyenv_root="$HOME/.pyenv"
for p in "$pyenv_root"/versions/3.10.*/bin/python3.10; do
  [ -x "$p" ] && candidates+=("$p")
done
candidates+=(/usr/bin/python3.10 /usr/local/bin/python3.10)

for c in "${candidates[@]}"; do
  if is_py310 "$c"; then
    echo "$c"
    exit 0
  fi
done

if [ -n "${TCHATCHE_PYTHON:-}" ]; then
  echo "ERREUR : TCHATCHE_PYTHON=$TCHATCHE_PYTHON n'est pas un Python 3.10 qui fonctionne." >&2
fi
cat >&2 <<'MSG'
ERREUR : Python 3.10 est introuvable.
Tchatche utilise Rasa 3.6, qui fonctionne uniquement avec Python 3.8 à 3.10 (pas 3.11 ni plus récent).
Solutions :
  - installer Python 3.10 (par exemple : pyenv install 3.10.13) ;
  - ou indiquer son chemin : TCHATCHE_PYTHON=/chemin/vers/python3.10 ./run.sh
MSG
exit 1

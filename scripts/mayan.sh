#!/usr/bin/env bash
# Mayan EDMS, la GED libre utilisée par Tchatche pour les documents des communes.
#   scripts/mayan.sh install          paquets Debian + environnement Python 3.11 (.mayan-venv)
#   scripts/mayan.sh start [port]     démarre Mayan sur 127.0.0.1 (port 8010 par défaut)
#   scripts/mayan.sh stop             arrête Mayan
#   scripts/mayan.sh import <dossier> importe un dossier (PDF + documents.yml) dans Mayan
# Variables : TCHATCHE_MAYAN_USER, TCHATCHE_MAYAN_PASSWORD (sinon mot de passe aléatoire gardé dans
# le dossier de données), TCHATCHE_MAYAN_PORT, TCHATCHE_MAYAN_MEDIA (données, var/mayan par
# défaut), TCHATCHE_MAYAN_LOG (journal, var/logs/mayan.log), TCHATCHE_MAYAN_VENV, TCHATCHE_MAYAN_PYTHON.
# Why a separate environment: Mayan 4.12 needs Python 3.11 and Django 5.2, Rasa 3.6 needs 3.10.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MAYAN_VENV="${TCHATCHE_MAYAN_VENV:-$ROOT/.mayan-venv}"
MEDIA="${TCHATCHE_MAYAN_MEDIA:-$ROOT/var/mayan}"
LOG="${TCHATCHE_MAYAN_LOG:-$ROOT/var/logs/mayan.log}"
REQUIREMENTS="$ROOT/ged/mayan/requirements.txt"
DEB_PACKAGES=(libldap2-dev libsasl2-dev tesseract-ocr tesseract-ocr-fra poppler-utils)
export PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { echo "ERREUR : $*" >&2; exit 1; }

# Prints a Python 3.11 that really runs: $TCHATCHE_MAYAN_PYTHON, python3.11 on PATH, pyenv, system.
find_python311() {
  local candidates=() c pyenv_root="${PYENV_ROOT:-}"
  [ -n "${TCHATCHE_MAYAN_PYTHON:-}" ] && candidates+=("$TCHATCHE_MAYAN_PYTHON")
  command -v python3.11 >/dev/null 2>&1 && candidates+=("$(command -v python3.11)")
  if [ -z "$pyenv_root" ] && command -v pyenv >/dev/null 2>&1; then
    pyenv_root="$(pyenv root 2>/dev/null || true)"
  fi
  [ -z "$pyenv_root" ] && pyenv_root="$HOME/.pyenv"
  for c in "$pyenv_root"/versions/3.11.*/bin/python3.11; do [ -x "$c" ] && candidates+=("$c"); done
  candidates+=(/usr/bin/python3.11 /usr/local/bin/python3.11)
  for c in "${candidates[@]}"; do
    if "$c" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 11))' >/dev/null 2>&1; then
      "$c" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done
  cat >&2 <<'MSG'
ERREUR : Python 3.11 est introuvable (Mayan EDMS 4.12 en a besoin, à côté du Python 3.10 de Rasa).
Solutions : pyenv install 3.11 ; ou apt-get install python3.11 python3.11-venv ;
ou indiquer son chemin : TCHATCHE_MAYAN_PYTHON=/chemin/vers/python3.11 scripts/mayan.sh install
MSG
  return 1
}

install_debian_packages() {
  local missing=() p
  for p in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ "${#missing[@]}" = 0 ] && return 0
  local apt=()
  if [ "$(id -u)" = 0 ]; then
    apt=(env DEBIAN_FRONTEND=noninteractive)
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    apt=(sudo env DEBIAN_FRONTEND=noninteractive)
  fi
  if [ "${#apt[@]}" = 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    die "paquets système manquants pour Mayan : ${missing[*]}
Installez-les avec les droits administrateur (Debian/Ubuntu) :
  apt-get install ${missing[*]}
puis relancez : scripts/mayan.sh install"
  fi
  say "Installation des paquets Debian pour Mayan : ${missing[*]}"
  "${apt[@]}" apt-get update -qq || die "apt-get update a échoué (dépôt Debian injoignable ?)"
  "${apt[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} a échoué ; installez ces paquets puis relancez."
}

cmd_install() {
  install_debian_packages
  local stamp="$MAYAN_VENV/.tchatche-installed" wanted
  wanted="requirements.txt=$(sha256sum < "$REQUIREMENTS" | cut -c1-16)"
  if [ -x "$MAYAN_VENV/bin/mayan-edms.py" ] && grep -qx "$wanted" "$stamp" 2>/dev/null; then
    return 0
  fi
  local python
  python="$(find_python311)" || exit 1
  if ! "$MAYAN_VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
    say "Création de l'environnement Python de Mayan ($python)"
    rm -rf "$MAYAN_VENV"
    "$python" -m venv "$MAYAN_VENV"
  fi
  say "Installation de Mayan EDMS (environ 460 Mo, 1 à 2 minutes la première fois)"
  "$MAYAN_VENV/bin/python" -m pip install --quiet --no-input -r "$REQUIREMENTS"
  echo "$wanted" > "$stamp"
}

# Environment of every Mayan command: our settings module, nothing from outside. Mayan's own media
# root (database, files, search index) is $MEDIA/media: its setup wants to create that folder
# itself, and $MEDIA also keeps our pid, port and dev password files.
mayan_env() {
  export MAYAN_MEDIA_ROOT="$MEDIA/media" DJANGO_SETTINGS_MODULE=settings PYTHONPATH="$ROOT/ged/mayan"
  # One trusted client on loopback (the actions server) reads metadata in bursts.
  export MAYAN_REST_API_THROTTLING_ENABLED=false
  # Exif and PDF properties of each file: the assistant never reads them, they cost ~1 s a file.
  export MAYAN_FILE_METADATA_AUTO_PROCESS=false
}

admin_user() { echo "${TCHATCHE_MAYAN_USER:-admin}"; }

# The admin password: $TCHATCHE_MAYAN_PASSWORD, else a random one created once in $MEDIA (dev).
admin_password() {
  if [ -n "${TCHATCHE_MAYAN_PASSWORD:-}" ]; then
    echo "$TCHATCHE_MAYAN_PASSWORD"
    return
  fi
  local file="$MEDIA/.tchatche-admin-password"
  if [ ! -s "$file" ]; then
    mkdir -p "$MEDIA"
    (umask 077 && od -An -N18 -tx1 /dev/urandom | tr -d ' \n' > "$file")
  fi
  cat "$file"
}

server_pid() {
  local pid
  pid="$(cat "$MEDIA/mayan.pid" 2>/dev/null || true)"
  # Only our server: after a reboot the recorded pid may belong to another program.
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null \
    && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "mayan-edms.py runserver"; then
    echo "$pid"
  fi
}

cmd_start() {
  local port="${1:-${TCHATCHE_MAYAN_PORT:-8010}}"
  [ -x "$MAYAN_VENV/bin/mayan-edms.py" ] || die "Mayan n'est pas installé : lancez d'abord scripts/mayan.sh install"
  if [ -n "$(server_pid)" ]; then
    echo "Mayan tourne déjà sur le port $(cat "$MEDIA/mayan.port") (pid $(server_pid))."
    return 0
  fi
  mkdir -p "$MEDIA" "$(dirname "$LOG")"
  mayan_env
  if [ ! -f "$MEDIA/.tchatche-setup-done" ]; then
    say "Première installation de la GED dans $MEDIA (environ 30 s)"
    MAYAN_AUTOADMIN_USERNAME="$(admin_user)" MAYAN_AUTOADMIN_PASSWORD="$(admin_password)" \
      MAYAN_AUTOADMIN_EMAIL="admin@localhost" \
      "$MAYAN_VENV/bin/mayan-edms.py" common_initial_setup --no-dependencies >>"$LOG" 2>&1 \
      || die "l'initialisation de Mayan a échoué, voir $LOG"
    touch "$MEDIA/.tchatche-setup-done"
  fi
  say "Démarrage de Mayan sur http://127.0.0.1:$port (journal : $LOG)"
  setsid "$MAYAN_VENV/bin/mayan-edms.py" runserver "127.0.0.1:$port" --noreload \
    >>"$LOG" 2>&1 </dev/null &
  echo $! > "$MEDIA/mayan.pid"
  echo "$port" > "$MEDIA/mayan.port"
  local i
  for i in $(seq 1 120); do
    if "$MAYAN_VENV/bin/python" - "$port" <<'PY' 2>/dev/null
import sys, urllib.error, urllib.request
try:
    urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/v4/", timeout=2)
except urllib.error.HTTPError:
    pass  # 401/403: the API answers
PY
    then
      echo "Mayan est prêt : http://127.0.0.1:$port (utilisateur $(admin_user)," \
        "mot de passe : TCHATCHE_MAYAN_PASSWORD ou $MEDIA/.tchatche-admin-password)"
      return 0
    fi
    [ -n "$(server_pid)" ] || { tail -20 "$LOG" >&2; die "Mayan s'est arrêté au démarrage, voir $LOG"; }
    sleep 0.5
  done
  die "Mayan ne répond pas après 60 s, voir $LOG"
}

cmd_stop() {
  local pid i
  pid="$(server_pid)"
  if [ -z "$pid" ]; then
    echo "Mayan n'est pas démarré."
    rm -f "$MEDIA/mayan.pid"
    return 0
  fi
  kill "$pid"
  for i in $(seq 1 20); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$MEDIA/mayan.pid"
  echo "Mayan est arrêté."
}

cmd_import() {
  local folder="${1:-}"
  [ -n "$folder" ] || die "indiquez le dossier à importer : scripts/mayan.sh import var/ged/demo"
  [ -n "$(server_pid)" ] || die "Mayan n'est pas démarré : scripts/mayan.sh start"
  TCHATCHE_MAYAN_URL="${TCHATCHE_MAYAN_URL:-http://127.0.0.1:$(cat "$MEDIA/mayan.port")}" \
    TCHATCHE_MAYAN_USER="$(admin_user)" TCHATCHE_MAYAN_PASSWORD="$(admin_password)" \
    PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" \
    "$ROOT/.venv/bin/python" -m scripts.ged_import --dossier "$folder"
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start "${2:-}" ;;
  stop) cmd_stop ;;
  import) cmd_import "${2:-}" ;;
  *)
    echo "Usage : scripts/mayan.sh install | start [port] | stop | import <dossier>" >&2
    exit 2
    ;;
esac

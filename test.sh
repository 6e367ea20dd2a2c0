#!/usr/bin/env bash
# Tchatche : toute la suite de tests (installation et entraînement compris, si nécessaire).
#   ./test.sh            tout
#   ./test.sh -k horaires   arguments passés à pytest
set -euo pipefail
cd "$(dirname "$0")"
source scripts/common.sh

ensure_venv dev
ensure_node_modules
source scripts/system_packages.sh && ensure_system_packages
say "Lint (ruff)"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
check_territory
# Mayan EDMS (tests/documents) and PostgreSQL (tests/demandes) install while the model trains:
# downloads and unpacking, which the training's two busy cores barely slow. No-ops once installed.
mkdir -p var/logs
servers_log=var/logs/installation-serveurs-de-test.log
(bash scripts/mayan.sh install && bash scripts/postgresql.sh install) > "$servers_log" 2>&1 &
servers_install=$!
ensure_model
if ! wait "$servers_install"; then
  cat "$servers_log" >&2
  echo "ERREUR : l'installation de Mayan EDMS ou de PostgreSQL a échoué (voir ci-dessus)." >&2
  exit 1
fi
cat "$servers_log"
say "Tests (pytest)"
exec "$VENV/bin/python" -m pytest "$@"

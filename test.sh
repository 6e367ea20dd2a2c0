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
ensure_model
bash scripts/mayan.sh install  # Mayan EDMS for tests/documents (no-op once installed)
bash scripts/postgresql.sh install  # PostgreSQL for tests/demandes (no-op once installed)
say "Tests (pytest)"
exec "$VENV/bin/python" -m pytest "$@"

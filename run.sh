#!/usr/bin/env bash
# Tchatche : installe, entraîne si besoin, démarre les serveurs et ouvre la discussion en terminal.
#   ./run.sh                  discuter dans le terminal (Ctrl-D ou « quitter » pour arrêter)
#   ./run.sh --serveurs       seulement démarrer les serveurs (Ctrl-C pour arrêter)
set -euo pipefail
cd "$(dirname "$0")"
source scripts/common.sh
source scripts/servers.sh

ensure_venv
ensure_node_modules
check_territory
ensure_corpus
ensure_model
mkdir -p var
if [ -z "${TCHATCHE_ENDPOINTS:-}" ]; then  # conversations kept 30 days (see README)
  PYTHONWARNINGS=ignore "$VENV/bin/python" scripts/purge_conversations.py --days "${TCHATCHE_RETENTION_DAYS:-30}" || true
fi
trap stop_servers EXIT
trap 'exit 130' INT TERM
start_servers
say "Tchatche est prêt : http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook"
say "Page de démonstration avec la discussion : ouvrez http://127.0.0.1:$WEB_PORT/commune/bucquoy dans un navigateur"
if [ "${1:-}" = "--serveurs" ]; then
  echo "Serveurs démarrés. Journaux : var/logs/. Ctrl-C pour arrêter."
  wait
else
  "$VENV/bin/python" scripts/chat.py --url "http://127.0.0.1:$RASA_PORT"
fi

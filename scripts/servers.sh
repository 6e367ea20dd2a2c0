# Starts the action server, the Rasa server and the demo web site (web/) in the background;
# sourced after common.sh. Ports and endpoints can be changed by environment: TCHATCHE_RASA_PORT,
# TCHATCHE_ACTIONS_PORT, TCHATCHE_WEB_PORT, TCHATCHE_ENDPOINTS (see README).

RASA_PORT="${TCHATCHE_RASA_PORT:-5005}"
ACTIONS_PORT="${TCHATCHE_ACTIONS_PORT:-5055}"
WEB_PORT="${TCHATCHE_WEB_PORT:-8080}"  # demo commune pages with the chat widget (web/site.py)
ENDPOINTS="${TCHATCHE_ENDPOINTS:-$ROOT/endpoints.yml}"
LOGS="$ROOT/var/logs"
SERVER_PIDS=()

stop_servers() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SERVER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  SERVER_PIDS=()
}

port_busy() {
  "$VENV/bin/python" - "$1" <<'PY'
import socket, sys
s = socket.socket()
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
PY
}

# wait_http URL SECONDS NAME LOGFILE
wait_http() {
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "ERREUR : $3 ne répond pas après $2 s. Dernières lignes de $4 :" >&2
      tail -n 30 "$4" >&2
      return 1
    fi
    sleep 1
  done
}

start_servers() {
  mkdir -p "$LOGS" "$ROOT/var"
  local port
  for port in "$RASA_PORT" "$ACTIONS_PORT" "$WEB_PORT"; do
    if port_busy "$port"; then
      echo "ERREUR : le port $port est déjà utilisé (un autre Tchatche tourne peut-être)." >&2
      echo "Arrêtez-le, ou choisissez d'autres ports : TCHATCHE_RASA_PORT=5006 TCHATCHE_ACTIONS_PORT=5056 TCHATCHE_WEB_PORT=8081" >&2
      return 1
    fi
  done
  say "Démarrage du serveur d'actions (port $ACTIONS_PORT) et de Rasa (port $RASA_PORT)"
  # rasa_sdk alone, as `rasa run actions` runs it, without importing Rasa: 56 MB and 1 s less.
  (cd "$ROOT" && exec "$VENV/bin/python" -m rasa_sdk --actions actions --port "$ACTIONS_PORT") \
    > "$LOGS/actions.log" 2>&1 &
  SERVER_PIDS+=($!)
  (cd "$ROOT" && exec "$VENV/bin/rasa" run --model "$MODEL" --endpoints "$ENDPOINTS" \
    --credentials "$ROOT/credentials.yml" --interface 127.0.0.1 --port "$RASA_PORT") \
    > "$LOGS/rasa.log" 2>&1 &
  SERVER_PIDS+=($!)
  (cd "$ROOT" && TCHATCHE_WEB_PORT="$WEB_PORT" TCHATCHE_RASA_PORT="$RASA_PORT" exec "$VENV/bin/python" -m web) \
    > "$LOGS/web.log" 2>&1 &
  SERVER_PIDS+=($!)
  wait_http "http://127.0.0.1:$ACTIONS_PORT/health" 60 "le serveur d'actions" "$LOGS/actions.log" \
    && wait_http "http://127.0.0.1:$RASA_PORT/" 180 "le serveur Rasa" "$LOGS/rasa.log" \
    && wait_http "http://127.0.0.1:$WEB_PORT/" 30 "le site de démonstration" "$LOGS/web.log" \
    && say "Site de démonstration : http://127.0.0.1:$WEB_PORT/ (par exemple http://127.0.0.1:$WEB_PORT/commune/bucquoy)"
}

#!/usr/bin/env bash
# The designers' commands (Makefile, docs/conception.md): plain Rasa commands from the project
# root, with the set-up and retrain steps of run.sh before them. `check` times each step.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

RASA="$VENV/bin/rasa"
ACTIONS_PORT="${TCHATCHE_ACTIONS_PORT:-5055}"

# with_actions CMD...: runs a Rasa command with `rasa run actions` beside it, stopped after.
with_actions() {
  mkdir -p var/logs
  "$RASA" run actions --port "$ACTIONS_PORT" > var/logs/actions.log 2>&1 &
  local pid=$!
  trap 'kill "$pid" 2>/dev/null || true' EXIT
  local deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null "http://127.0.0.1:$ACTIONS_PORT/health" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$pid" 2>/dev/null; then
      echo "ERREUR : le serveur d'actions ne démarre pas (var/logs/actions.log) :" >&2
      tail -n 20 var/logs/actions.log >&2
      return 1
    fi
    sleep 1
  done
  "$@"
}

validate() { "$VENV/bin/python" -m scripts.validate; }
test_stories() {
  "$RASA" test core --model "$MODEL" --stories tests/test_stories.yml \
    --fail-on-prediction-errors --out results/core
  echo "Histoires de test : toutes passent (détails : results/core/)."
}
test_nlu() { "$VENV/bin/python" -m tests.nlu_eval; }
test_fast() { "$VENV/bin/python" -m pytest -q -m "not lourd" -p no:cacheprovider; }
stories_and_fast() {
  mkdir -p var/logs
  test_stories > var/logs/check_stories.log 2>&1 &
  local stories=$! fast=0 story=0
  test_fast || fast=$?
  wait "$stories" || story=$?
  if [ "$story" -ne 0 ]; then
    tail -n 40 var/logs/check_stories.log
    echo "ÉCHEC : une histoire de test ne passe plus (results/core/failed_test_stories.yml)." >&2
  else
    tail -n 1 var/logs/check_stories.log
  fi
  [ "$fast" -eq 0 ] && [ "$story" -eq 0 ]
}

# step NAME CMD...: runs one step of `check` and records its duration.
STEPS=()
step() {
  local name="$1" start=$SECONDS
  shift
  say "$name"
  "$@"
  STEPS+=("$(printf '%-50s %4d s' "$name" $((SECONDS - start)))")
}

case "${1:-}" in
  setup)
    ensure_venv dev
    check_territory
    ensure_corpus
    ensure_model
    ;;
  validate) ensure_venv dev; validate ;;
  train) ensure_venv dev; ensure_model ;;
  shell) ensure_venv dev; ensure_corpus; ensure_model; with_actions "$RASA" shell --model "$MODEL" ;;
  interactive)
    ensure_venv dev; ensure_corpus; ensure_model
    # --model: without it, rasa interactive trains again first (it keeps the NLU data in the
    # model, so Rasa's training cache does not apply): minutes for nothing.
    with_actions "$RASA" interactive --model "$MODEL" --skip-visualization
    ;;
  test-stories) ensure_venv dev; ensure_model; test_stories ;;
  test-nlu) ensure_venv dev; ensure_model; test_nlu ;;
  test-fast) ensure_venv dev; ensure_corpus; test_fast ;;
  check)
    start=$SECONDS
    ensure_venv dev
    ensure_corpus
    step "validation (rasa data validate)" validate
    step "réentraînement si besoin" ensure_model
    # The story tests and the fast tests run side by side (one core each). The fast tests
    # include tests/test_nlu_holdout.py: the held-out phrases are evaluated there once (same
    # report as make test-nlu, results/nlu_holdout_report.txt), not twice.
    step "histoires de test et tests rapides (pytest)" stories_and_fast
    grep -E "^macro-F1" results/nlu_holdout_report.txt || true
    say "make check réussi en $((SECONDS - start)) s"
    printf '  %s\n' "${STEPS[@]}"
    ;;
  *)
    echo "usage : scripts/designer.sh setup|validate|train|shell|interactive|test-stories|test-nlu|test-fast|check" >&2
    exit 2
    ;;
esac

# Shared by run.sh and test.sh: virtual environment, territory check, model training.
# Every step is skipped when its inputs have not changed, so re-running is fast.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
MODEL="$ROOT/models/tchatche.tar.gz"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
# Rasa and TensorFlow chatter: keep the terminal readable, never phone home.
export TF_CPP_MIN_LOG_LEVEL=2 RASA_TELEMETRY_ENABLED=false PIP_DISABLE_PIP_VERSION_CHECK=1
export SQLALCHEMY_SILENCE_UBER_WARNING=1

# Each step says when it starts (minutes since the script started): what a CI log needs to tell
# where its time goes.
say() { printf '\033[1m==> [%d:%02d] %s\033[0m\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

# ensure_venv [dev]: creates .venv with Python 3.10 and installs the pinned dependencies.
# .venv/.tchatche-installed records the hash of each requirements file already installed.
ensure_venv() {
  install_venv "$@"
  # Plain `rasa test` looks for test stories (test_*.yml) in the whole project folder, .venv
  # included, where Rasa ships the sample bot of `rasa init`: remove that one file so that
  # `rasa test` tests this project's stories only (tests/test_stories.yml).
  rm -f "$VENV"/lib/python3.10/site-packages/rasa/cli/initial_project/tests/test_stories.yml
}

install_venv() {
  local stamp_file="$VENV/.tchatche-installed" files=("$ROOT/requirements.txt")
  [ "${1:-}" = "dev" ] && files+=("$ROOT/requirements-dev.txt")
  local wanted=() f
  for f in "${files[@]}"; do wanted+=("$(basename "$f")=$(sha256sum < "$f" | cut -c1-16)"); done
  if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
    local missing=0 w
    for w in "${wanted[@]}"; do grep -qx "$w" "$stamp_file" 2>/dev/null || missing=1; done
    [ "$missing" = 0 ] && return 0
  else
    local python
    python="$(bash "$ROOT/scripts/find_python.sh")" || exit 1
    say "Création de l'environnement Python ($python)"
    rm -rf "$VENV"
    "$python" -m venv "$VENV"
  fi
  say "Installation des dépendances (quelques minutes la première fois)"
  "$VENV/bin/python" -m pip install --quiet --no-input -r "${files[-1]}"
  printf '%s\n' "${wanted[@]}" > "$stamp_file"
}

# ensure_node_modules: `npm ci` for the web chat's browser libraries (socket.io-client, axe-core),
# served by the web app (no CDN); skipped when package-lock.json has not changed.
ensure_node_modules() {
  local stamp="$ROOT/node_modules/.tchatche-installed" wanted
  wanted="$(sha256sum < "$ROOT/package-lock.json" | cut -c1-16)"
  [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ] && return 0
  if ! command -v npm >/dev/null 2>&1; then
    echo "ERREUR : npm est nécessaire pour le site de démonstration (apt-get install npm)." >&2
    exit 1
  fi
  say "Installation des bibliothèques du site (npm ci)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$wanted" > "$stamp"
}

check_territory() {
  "$VENV/bin/python" -m actions.territory.check
  "$VENV/bin/python" -m actions.orientation.annuaire
}

# ensure_corpus: the demo GED folder (var/ged/demo), rebuilt when ged/corpus.yml changes and
# when the week changes (its menus and collection calendars are those of the current week), then
# the index of the GED in use, so that the action server does not read PDFs (35 MB less memory).
ensure_corpus() {
  "$VENV/bin/python" -m scripts.generate_corpus --dossier "$ROOT/var/ged/demo" --si-besoin
  (cd "$ROOT" && "$VENV/bin/python" -m actions.documents.config)
}

# ensure_model: trains only when the model is missing or older than the data or the config.
# A retrain after an edit is fast (issue #13): Rasa's training cache (.rasa/cache) skips every
# component whose inputs did not change (a response edited in domain.yml: nothing but the
# policies, if even them), and when NLU examples changed, `--finetune` starts DIET and the
# ResponseSelector from the current model with a quarter of their epochs instead of from scratch.
# Which NLU inputs changed is told by a fingerprint (scripts/nlu_inputs.py) kept beside the model.
# A full training runs when there is no model, when config.yml changed, when Rasa refuses to
# fine-tune (a new intent or entity), or with TCHATCHE_FULL_TRAIN=1.
ensure_model() {
  local newer="" base args nlu_now nlu_stamp="$ROOT/models/tchatche.nlu-inputs"
  if [ -f "$MODEL" ]; then
    newer="$(find "$ROOT/config.yml" "$ROOT/domain.yml" "$ROOT/data" -newer "$MODEL" -print -quit)"
  fi
  [ -f "$MODEL" ] && [ -z "$newer" ] && return 0
  nlu_now="$(cd "$ROOT" && "$VENV/bin/python" -m scripts.nlu_inputs)"
  base=(train --out models --fixed-model-name tchatche --quiet)
  args=("${base[@]}")
  if [ -f "$MODEL" ] && [ ! "$ROOT/config.yml" -nt "$MODEL" ] && [ -z "${TCHATCHE_FULL_TRAIN:-}" ]; then
    if [ "$(cat "$nlu_stamp" 2>/dev/null)" != "$nlu_now" ]; then
      say "Réentraînement rapide (exemples modifiés : fine-tuning à partir du modèle actuel)"
      args+=(--finetune "$MODEL" --epoch-fraction 0.25)
    else
      say "Réentraînement rapide (cache d'entraînement : seul ce qui a changé)"
    fi
    if (cd "$ROOT" && "$VENV/bin/rasa" "${args[@]}"); then
      touch "$MODEL"
      echo "$nlu_now" > "$nlu_stamp"
      return 0
    fi
    say "Réentraînement rapide impossible (intention ou entité nouvelle ?) : entraînement complet"
    args=("${base[@]}")
  fi
  say "Entraînement du modèle (environ 4 minutes)"
  (cd "$ROOT" && "$VENV/bin/rasa" "${args[@]}") \
    || { echo "ERREUR : l'entraînement du modèle a échoué (voir ci-dessus)." >&2; return 1; }
  touch "$MODEL"
  echo "$nlu_now" > "$nlu_stamp"
}

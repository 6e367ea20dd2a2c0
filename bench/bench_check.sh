#!/usr/bin/env bash
# How long `make check` takes after a designer's two usual edits (issue #16, goal ≤ 3 minutes):
#   1. one response text changed in domain.yml;
#   2. ten NLU examples added (data/nlu/bench_ajout.yml).
# Each edit is undone afterwards, and the model of before is put back (so that the project is
# left as it was, without a retrain). Prints the durations; run from the project root:
#   bash bench/bench_check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
backup="$(mktemp -d)"
cp domain.yml "$backup/domain.yml"
cp models/tchatche.tar.gz "$backup/model.tar.gz"
cp models/tchatche.nlu-inputs "$backup/nlu-inputs" 2>/dev/null || true
restore() {
  cp "$backup/domain.yml" domain.yml
  rm -f data/nlu/bench_ajout.yml
  cp "$backup/model.tar.gz" models/tchatche.tar.gz
  [ -f "$backup/nlu-inputs" ] && cp "$backup/nlu-inputs" models/tchatche.nlu-inputs
  touch models/tchatche.tar.gz
  rm -rf "$backup"
}
trap restore EXIT

timed_check() {
  local start=$SECONDS
  make check > "var/logs/bench_check_$1.log" 2>&1 \
    || { echo "make check a échoué ($1) : var/logs/bench_check_$1.log" >&2; tail -30 "var/logs/bench_check_$1.log" >&2; exit 1; }
  echo "$1 : make check en $((SECONDS - start)) s"
  grep -E "^  [^ ].* s$" "var/logs/bench_check_$1.log" | sed 's/^/    /'
}

mkdir -p var/logs
sed -i '0,/- text: "/s//- text: "[modifié] /' domain.yml
timed_check "une réponse modifiée"
cp "$backup/domain.yml" domain.yml
cat > data/nlu/bench_ajout.yml <<'YAML'
version: "3.1"
nlu:
- intent: horaires_mairie
  examples: |
    - la mairie ouvre a quelle heure le mardi matin
    - c ouvert ce midi a la mairie ?
    - vous fermez a quelle heure ce soir
    - jpeux passer a la mairie samedi ?
    - heures d ouverture du secretariat svp
    - le secretariat de mairie est ouvert quand
    - quand est ce que la mairie est ouverte cette semaine
    - on peut venir a la mairie jeudi aprem ?
    - la mairie ouvre t elle le mercredi
    - horaires du bureau de la mairie
YAML
timed_check "10 exemples NLU ajoutés"

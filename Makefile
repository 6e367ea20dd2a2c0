# Tchatche : les commandes des concepteurs de conversations (voir docs/conception.md).
# Chaque cible appelle les commandes ordinaires de Rasa depuis la racine du projet :
# domain.yml, data/, config.yml et endpoints.yml sont ceux que Rasa prend sans option.
#
#   make setup         installe l'environnement (.venv) et entraîne le modèle
#   make validate      vérifie domain.yml et data/ (rasa data validate)
#   make train         réentraîne si quelque chose a changé (rapide : cache et fine-tuning)
#   make shell         discute avec l'assistant dans le terminal (serveur d'actions compris)
#   make interactive   apprentissage interactif (rasa interactive), enregistré dans domain.yml et data/
#   make test-stories  histoires de test (tests/test_stories.yml) sur le modèle
#   make test-nlu      phrases jamais apprises (tests/nlu_holdout.yml) : F1 par intention, confusions
#   make check         validate + test-stories + test-nlu + tests rapides, avec la durée de chaque étape
#   make test          toute la suite, comme la CI (./test.sh : Mayan, PostgreSQL, navigateur…)

SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help setup validate train shell interactive test-stories test-nlu test-fast check test

help:
	@sed -n '1,14p' Makefile | sed 's/^# \{0,1\}//'

setup:
	bash scripts/designer.sh setup

validate:
	bash scripts/designer.sh validate

train:
	bash scripts/designer.sh train

shell:
	bash scripts/designer.sh shell

interactive:
	bash scripts/designer.sh interactive

test-stories:
	bash scripts/designer.sh test-stories

test-nlu:
	bash scripts/designer.sh test-nlu

test-fast:
	bash scripts/designer.sh test-fast

check:
	bash scripts/designer.sh check

test:
	./test.sh

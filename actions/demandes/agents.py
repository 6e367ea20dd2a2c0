"""Creates back-office agents: `python -m actions.demandes.agents create --email … --nom …`.

The password is asked with getpass (never on the command line, where `ps` would show it), or
read from an environment variable named by --mot-de-passe-env for scripted installs.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from actions import clock
from actions.demandes.models import SERVICES, Agent
from actions.demandes.passwords import hash_password

MIN_PASSWORD = 12


def create_agent(
    db: sessionmaker,
    email: str,
    nom: str,
    password: str,
    commune: str | None = None,
    services: list[str] | None = None,
) -> Agent:
    """Creates an agent; `commune` is a commune name or INSEE code, None for intercommunal."""
    from actions.territory.loader import territory

    insee = None
    if commune:
        terr = territory()
        found = terr.by_name(commune) or terr.communes.get(commune)
        if found is None:
            raise ValueError(f"Commune inconnue : {commune}.")
        insee = found.insee
    services = services or []
    unknown = [s for s in services if s not in SERVICES]
    if unknown:
        raise ValueError(
            f"Service(s) inconnu(s) : {', '.join(unknown)} ; possibles : {', '.join(SERVICES)}."
        )
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"Le mot de passe doit contenir au moins {MIN_PASSWORD} caractères.")
    with db() as session, session.begin():
        email = email.strip().lower()
        if session.scalars(select(Agent).where(Agent.email == email)).first():
            raise ValueError(f"Un agent existe déjà avec le courriel {email}.")
        agent = Agent(
            email=email,
            nom=nom.strip(),
            password_hash=hash_password(password),
            commune_insee=insee,
            services=",".join(services),
            created_at=clock.now().replace(tzinfo=None),
        )
        session.add(agent)
    return agent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Agents du back-office des demandes.")
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create", help="crée un agent")
    create.add_argument("--email", required=True)
    create.add_argument("--nom", required=True)
    create.add_argument("--commune", help="nom ou code INSEE ; absent = agent intercommunal")
    create.add_argument("--services", default="", help="ex. urbanisme,services_techniques")
    create.add_argument("--mot-de-passe-env", help="variable d'environnement du mot de passe")
    args = parser.parse_args(argv)
    if args.mot_de_passe_env:
        password = os.environ.get(args.mot_de_passe_env, "")
        if not password:
            print(f"La variable {args.mot_de_passe_env} est vide ou absente.", file=sys.stderr)
            return 2
    else:
        password = getpass.getpass("Mot de passe : ")
        if password != getpass.getpass("Confirmez le mot de passe : "):
            print("Les deux mots de passe diffèrent.", file=sys.stderr)
            return 2
    from actions.demandes.db import default_session_factory

    try:
        agent = create_agent(
            default_session_factory(),
            args.email,
            args.nom,
            password,
            args.commune,
            [s.strip() for s in args.services.split(",") if s.strip()],
        )
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"Agent créé : {agent.email} (n° {agent.id}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

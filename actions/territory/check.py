"""`python -m actions.territory.check`: validates the territory files before the servers start."""

from __future__ import annotations

import sys

from actions.territory.loader import TerritoryError, load_territory


def main() -> int:
    try:
        territory = load_territory()
    except TerritoryError as exc:
        print(exc, file=sys.stderr)
        print("Corrigez ces lignes puis relancez.", file=sys.stderr)
        return 1
    print(f"Territoire valide : {len(territory.communes)} communes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

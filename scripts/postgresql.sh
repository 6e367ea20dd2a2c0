#!/usr/bin/env bash
# Throwaway PostgreSQL server for tests (tests/demandes): never touches the system cluster.
#   scripts/postgresql.sh start DIR   -> prints the SQLAlchemy URL on stdout
#   scripts/postgresql.sh stop DIR
#   scripts/postgresql.sh install     -> only installs the Debian package when missing
# Installs Debian's postgresql package when missing. initdb refuses to run as root, so the
# cluster belongs to the "postgres" user; as DIR may not be reachable by that user (pytest's
# tmp dirs are private), data and socket go to a fresh /tmp/tchatche-pg.* whose path is kept in
# DIR/pgdir and which "stop" removes.
set -euo pipefail
cmd=${1:?usage: postgresql.sh start|stop DIR | install}

find_bin() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_if_missing() {
    bin=$(find_bin || true)
    if [ -z "$bin" ]; then
        echo "Installation de PostgreSQL (apt-get)…" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 \
            || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; }
        bin=$(find_bin)
    fi
}

bin=$(find_bin || true)
[ "$cmd" = install ] || dir=${2:?usage: postgresql.sh start|stop DIR}
case "$cmd" in
install)
    install_if_missing
    ;;
start)
    install_if_missing
    mkdir -p "$dir"
    pg=$(mktemp -d /tmp/tchatche-pg.XXXXXX)
    echo "$pg" >"$dir/pgdir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$pg"; fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_pg "$bin/initdb" -D "$pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$pg/initdb.log" 2>&1 \
        || { cat "$pg/initdb.log" >&2; exit 1; }
    as_pg "$bin/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w -t 60 \
        -o "-p $port -k $pg -c listen_addresses=127.0.0.1 -c fsync=off" start >&2 \
        || { cat "$pg/server.log" >&2; exit 1; }
    echo "postgresql+psycopg2://postgres@127.0.0.1:$port/postgres"
    ;;
stop)
    pg=$(cat "$dir/pgdir" 2>/dev/null || true)
    [ -n "$pg" ] || exit 0
    if [ -n "$bin" ] && [ -d "$pg/data" ]; then
        as_pg "$bin/pg_ctl" -D "$pg/data" -m fast -w stop >&2 || true
    fi
    case "$pg" in /tmp/tchatche-pg.*) rm -rf "$pg" ;; esac
    rm -f "$dir/pgdir"
    ;;
*)
    echo "usage: postgresql.sh start|stop DIR | install" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# A throwaway PostgreSQL cluster (Debian's postgresql) for the console's tests, on loopback only:
#   scripts/postgres-loopback.sh start   make the cluster if needed and start it, unless
#                                        127.0.0.1:5433 answers already
#   scripts/postgres-loopback.sh stop    stop the cluster this script started (its data stays)
# The cluster lives in /var/tmp/imagebuilder-postgres (owned by the postgres user), listens on
# 127.0.0.1:5433 and on a socket in its own data directory, nowhere else; database, user and
# password are all 'imagebuilder' (a test cluster: nothing else is in it). Needs root.
set -euo pipefail

PORT=5433
DATA=/var/tmp/imagebuilder-postgres
NAME=imagebuilder

answers() { (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; }
as_postgres() { runuser -u postgres -- "$@"; }

bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [[ -x "$dir/pg_ctl" ]] || {
    echo "postgres-loopback: PostgreSQL is missing; run scripts/setup-host.sh as root" >&2
    exit 2
  }
  echo "$dir"
}

case "${1:-}" in
  start)
    if answers; then
      echo "postgres-loopback: 127.0.0.1:$PORT answers already" >&2
      exit 0
    fi
    bin=$(bindir)
    if [[ ! -s "$DATA/PG_VERSION" ]]; then
      rm -rf "$DATA"
      install -d -o postgres -g postgres -m 0700 "$DATA"
      # trust on the socket in the data directory only (mode 0700: the postgres user alone),
      # passwords over TCP
      as_postgres "$bin/initdb" -D "$DATA" -U postgres --auth-local=trust \
        --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
      created=true
    else
      created=false
    fi
    as_postgres "$bin/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DATA" start >/dev/null
    if $created; then
      as_postgres "$bin/psql" -h "$DATA" -p "$PORT" -U postgres -q -v ON_ERROR_STOP=1 <<SQL
CREATE ROLE $NAME LOGIN PASSWORD '$NAME';
CREATE DATABASE $NAME OWNER $NAME;
SQL
    fi
    answers || { echo "postgres-loopback: PostgreSQL does not answer; see $DATA/server.log" >&2; exit 1; }
    echo "postgres-loopback: PostgreSQL listens on 127.0.0.1:$PORT (database $NAME)" >&2
    ;;
  stop)
    if [[ -f "$DATA/postmaster.pid" ]]; then
      as_postgres "$(bindir)/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null || true
    fi
    ;;
  *)
    echo "postgres-loopback: expected start or stop, got '${1:-}'" >&2
    exit 2
    ;;
esac

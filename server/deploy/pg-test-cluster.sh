#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the server tests and the store benchmark: initdb in a temp dir,
# started with pg_ctl on a free loopback port (Unix socket in the same dir), trust auth, one database
# `backstop_test`. Needs Debian's postgresql package (apt-get install postgresql); run as root, the
# cluster belongs to the postgres user.
#
#   eval "$(server/deploy/pg-test-cluster.sh start)"   # sets BACKSTOP_PG_DIR and BACKSTOP_PG_URL
#   BACKSTOP_TEST_DATABASE_URL="$BACKSTOP_PG_URL" npx vitest run server tests/integration
#   server/deploy/pg-test-cluster.sh stop "$BACKSTOP_PG_DIR"
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "pg-test-cluster: no PostgreSQL server found (apt-get install postgresql)" >&2
  exit 1
fi
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
start)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/backstop-pg-XXXXXX")
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200" start >/dev/null ||
    { cat "$dir/log" >&2; exit 1; }
  for _ in $(seq 1 60); do
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
    sleep 0.5
  done
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" || { cat "$dir/log" >&2; exit 1; }
  "$bin/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c 'CREATE DATABASE backstop_test' >/dev/null
  echo "BACKSTOP_PG_DIR=$dir"
  echo "BACKSTOP_PG_URL=postgres://postgres@127.0.0.1:$port/backstop_test"
  ;;
stop)
  dir=${2:?usage: pg-test-cluster.sh stop DIR}
  if [ -f "$dir/data/postmaster.pid" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: pg-test-cluster.sh start | stop DIR" >&2
  exit 2
  ;;
esac

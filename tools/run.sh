#!/bin/sh
# run.sh - `make run`: run jobwatchd in the foreground with CONFIG. When CONFIG names no
# database, a private PostgreSQL cluster is started under var/pg (and left running for the
# next run; `tests/lib/pgcluster.sh stop var/pg` stops it).
set -eu
bin=${1:?usage: run.sh JOBWATCHD CONFIG}
conf=${2:?usage: run.sh JOBWATCHD CONFIG}
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
if ! grep -Eq '^[[:space:]]*database[[:space:]]*[:=]' "$conf"; then
	eval "$("$top/tests/lib/pgcluster.sh" start "$top/var/pg")"
	export PGHOST PGPORT PGDATABASE PGUSER
	echo "run.sh: private PostgreSQL at $PGHOST port $PGPORT (psql -h $PGHOST -p $PGPORT -U $PGUSER jobwatch)" >&2
fi
"$bin" -c "$conf" --check-config
exec "$bin" -c "$conf" --log-stderr "$@"

#!/bin/sh
# pgcluster.sh - a throwaway PostgreSQL cluster for tests, benchmarks and `make run`.
#   pgcluster.sh start DIR   initdb DIR if needed, start it on a free port with its socket in
#                            DIR, create database "jobwatch"; prints "PGHOST=… PGPORT=…" lines
#   pgcluster.sh stop DIR    stop it (fast)
#   pgcluster.sh restart DIR pg_ctl restart -m fast (same port)
#   pgcluster.sh env DIR     print the PGHOST/PGPORT/PGDATABASE/PGUSER lines of a running one
# PostgreSQL refuses to run as root: as root, the cluster runs as the "postgres" user, and DIR
# is handed to it.
set -eu

cmd=${1:?usage: pgcluster.sh start|stop|restart|env DIR}
dir=${2:?usage: pgcluster.sh start|stop|restart|env DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

pgbin=${PGBIN:-}
if [ -z "$pgbin" ]; then
	for v in 17 16 15 14 13; do
		if [ -x "/usr/lib/postgresql/$v/bin/pg_ctl" ]; then
			pgbin=/usr/lib/postgresql/$v/bin
			break
		fi
	done
fi
[ -n "$pgbin" ] || { echo "pgcluster.sh: no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 1; }

as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pguser() {
	if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi
}

print_env() {
	port=$(cat "$dir/port")
	echo "PGHOST=$dir"
	echo "PGPORT=$port"
	echo "PGDATABASE=jobwatch"
	echo "PGUSER=$(pguser)"
}

free_port() {
	# A port nobody listens on, chosen by the kernel.
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
	else
		echo $((20000 + $$ % 20000))
	fi
}

case $cmd in
start)
	if [ "$(id -u)" = 0 ]; then
		chown postgres "$dir"
		# the postgres user must be able to reach DIR
		p=$dir
		while [ "$p" != / ]; do
			p=$(dirname "$p")
			chmod o+x "$p" 2>/dev/null || true
		done
	fi
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		as_pg "$pgbin/initdb" -D "$dir/data" -A trust -U "$(pguser)" -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
			as_pg "$pgbin/initdb" -D "$dir/data" -A trust -U "$(pguser)" -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
			{ cat "$dir/initdb.log" >&2; exit 1; }
	fi
	if as_pg "$pgbin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		print_env
		exit 0
	fi
	# a restart keeps its port, so that clients configured for it find it again
	if [ -f "$dir/port" ]; then
		port=$(cat "$dir/port")
	else
		port=$(free_port)
		echo "$port" >"$dir/port.tmp" && mv "$dir/port.tmp" "$dir/port"
	fi
	as_pg "$pgbin/pg_ctl" -D "$dir/data" -w -t 60 -l "$dir/postgres.log" \
		-o "-p $port -k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		start >/dev/null || { tail -20 "$dir/postgres.log" >&2; exit 1; }
	as_pg "$pgbin/psql" -h "$dir" -p "$port" -U "$(pguser)" -d postgres -qAt \
		-c "SELECT 1 FROM pg_database WHERE datname='jobwatch'" | grep -q 1 ||
		as_pg "$pgbin/createdb" -h "$dir" -p "$port" -U "$(pguser)" jobwatch
	print_env
	;;
stop)
	[ -f "$dir/data/PG_VERSION" ] || exit 0
	as_pg "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	;;
restart)
	as_pg "$pgbin/pg_ctl" -D "$dir/data" -m fast -w -t 60 restart >/dev/null 2>&1 ||
		{ tail -20 "$dir/postgres.log" >&2; exit 1; }
	;;
env)
	print_env
	;;
*)
	echo "usage: pgcluster.sh start|stop|restart|env DIR" >&2
	exit 1
	;;
esac

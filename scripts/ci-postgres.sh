#!/usr/bin/env bash
# Start a local PostgreSQL server for mentorkit's PostgresStore tests and print its DSN.
#
# Works on Debian/Ubuntu as root (CI machines, containers):
#   export MENTORKIT_TEST_POSTGRES_DSN="$(scripts/ci-postgres.sh)"
#
# Installs Debian's `postgresql` package if it is missing, starts the first cluster on
# loopback, creates (or resets) a login role and a database, and prints
# postgresql://ROLE:PASSWORD@127.0.0.1:PORT/DB on stdout. Everything else goes to stderr, so
# the output can be captured. Safe to run again: it reuses what is already there.
# Override the names with MENTORKIT_PG_USER, MENTORKIT_PG_PASSWORD and MENTORKIT_PG_DB.
set -euo pipefail

user="${MENTORKIT_PG_USER:-mentorkit}"
password="${MENTORKIT_PG_PASSWORD:-mentorkit}"
db="${MENTORKIT_PG_DB:-mentorkit_test}"

log() { echo "ci-postgres: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "must run as root (it installs and starts PostgreSQL); try: sudo $0"
  exit 1
fi

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  log "installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

# The first cluster: "15 main 5432 down postgres ..." (version, name, port, status).
read -r version cluster port status _ < <(pg_lsclusters --no-header | head -n 1) || true
if [ -z "${version:-}" ]; then
  version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
  log "creating cluster $version/main"
  pg_createcluster "$version" main >&2
  read -r version cluster port status _ < <(pg_lsclusters --no-header | head -n 1)
fi
if [ "$status" != "online" ]; then
  log "starting cluster $version/$cluster on port $port"
  pg_ctlcluster "$version" "$cluster" start >&2
fi

# Wait until the server accepts connections (a fresh start can take a moment).
for _ in $(seq 1 30); do
  if su postgres -c "pg_isready -q -h 127.0.0.1 -p $port"; then break; fi
  sleep 1
done
su postgres -c "pg_isready -h 127.0.0.1 -p $port" >&2

psql_admin() { su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -qAt $*"; }

# Role and database names are fixed identifiers (no quoting games with user input here).
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_roles WHERE rolname = '$user'\"")" != "1" ]; then
  log "creating role $user"
  psql_admin "-c \"CREATE ROLE $user LOGIN PASSWORD '$password'\""
else
  psql_admin "-c \"ALTER ROLE $user LOGIN PASSWORD '$password'\""
fi
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_database WHERE datname = '$db'\"")" != "1" ]; then
  log "creating database $db"
  su postgres -c "createdb -p $port -O $user $db"
fi

dsn="postgresql://$user:$password@127.0.0.1:$port/$db"
# Prove the DSN works over TCP with a password before handing it out.
PGPASSWORD="$password" psql "$dsn" -qAt -c "SELECT 1" >/dev/null
log "ready: $dsn"
echo "$dsn"

#!/usr/bin/env bash
# Make sure a local PostgreSQL (Debian's postgresql package) is running and holds the CI role
# and database, then print the URL for MOMENTS_DESK_TEST_PG on stdout (everything else goes to
# stderr), e.g.:
#
#   MOMENTS_DESK_TEST_PG=$(scripts/ci_postgres.sh) make test-pg
#
# Idempotent: safe to run again on a machine where the cluster, role or database exist.
# Runs as root (CI) or as a user with sudo. Override with PG_ROLE, PG_PASSWORD, PG_DB and
# PG_CLUSTER (the Debian cluster name, default main; a new cluster gets the next free port).
set -euo pipefail

ROLE=${PG_ROLE:-md}
PASSWORD=${PG_PASSWORD:-md}
DB=${PG_DB:-md_ci}
CLUSTER=${PG_CLUSTER:-main}
HOST=127.0.0.1

log() { echo "ci_postgres: $*" >&2; }

if [ "$(id -u)" -eq 0 ]; then
    as_root() { "$@"; }
else
    as_root() { sudo -n "$@"; }
fi

# psql and friends as the postgres superuser over the local socket. `cd /` first: postgres
# may not be allowed into the caller's working directory.
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && sudo -n -u postgres -- "$@")
    fi
}

command -v pg_lsclusters >/dev/null || {
    log "pg_lsclusters not found: install Debian's postgresql package"
    exit 1
}

# --- a cluster: the newest installed server version, named $CLUSTER ------------------------
cluster_line() {
    pg_lsclusters --no-header 2>/dev/null | awk -v name="$CLUSTER" '$2 == name' | sort -V | tail -n 1
}

line=$(cluster_line)
if [ -z "$line" ]; then
    version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null |
        sort -V | tail -n 1)
    [ -n "$version" ] || {
        log "no PostgreSQL server under /usr/lib/postgresql"
        exit 1
    }
    log "creating cluster $version/$CLUSTER"
    as_root pg_createcluster --locale C.UTF-8 --encoding UTF8 "$version" "$CLUSTER" >&2
    line=$(cluster_line)
fi
read -r version _name port status _rest <<<"$line"

# --- running --------------------------------------------------------------------------------
if [ "$status" != "online" ]; then
    log "starting cluster $version/$CLUSTER"
    if ! as_root pg_ctlcluster "$version" "$CLUSTER" start >&2; then
        # Another start may have raced us ("already running"): only the final state matters.
        line=$(cluster_line)
        read -r version _name port status _rest <<<"$line"
        [ "$status" = "online" ] || {
            log "cluster $version/$CLUSTER did not start; see /var/log/postgresql/"
            exit 1
        }
    fi
fi

for _ in $(seq 1 60); do
    if pg_isready -q -h "$HOST" -p "$port"; then
        break
    fi
    sleep 0.5
done
pg_isready -h "$HOST" -p "$port" >&2 || {
    log "PostgreSQL on $HOST:$port is not accepting connections"
    exit 1
}

# --- role and database ----------------------------------------------------------------------
psql_admin() { as_postgres psql -p "$port" -X -q -v ON_ERROR_STOP=1 -tA "$@"; }

# The password is a literal in SQL: refuse quotes rather than escape them.
case "$PASSWORD$ROLE$DB" in
*\'* | *\"*)
    log "quotes are not allowed in PG_ROLE, PG_PASSWORD or PG_DB"
    exit 1
    ;;
esac

if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" = "1" ]; then
    psql_admin -c "ALTER ROLE \"$ROLE\" WITH LOGIN SUPERUSER PASSWORD '$PASSWORD'" >/dev/null
else
    log "creating role $ROLE"
    psql_admin -c "CREATE ROLE \"$ROLE\" WITH LOGIN SUPERUSER PASSWORD '$PASSWORD'" >/dev/null
fi

# The tests CREATE DATABASE from template1. A cluster made by the package's postinst in a
# container without a locale is SQL_ASCII, and psycopg returns bytes instead of str for it.
# In CI, rebuild template1 as UTF8; elsewhere only warn (it is someone's own server).
template_encoding=$(psql_admin -c "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'template1'")
if [ "$template_encoding" != "UTF8" ]; then
    if [ "${CI:-}" = "true" ]; then
        log "template1 is $template_encoding: rebuilding it as UTF8 (CI=true)"
        psql_admin -d postgres >/dev/null <<'SQL'
UPDATE pg_database SET datistemplate = FALSE WHERE datname = 'template1';
DROP DATABASE template1;
CREATE DATABASE template1 WITH TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8';
UPDATE pg_database SET datistemplate = TRUE WHERE datname = 'template1';
SQL
    else
        log "WARNING template1 of $version/$CLUSTER is $template_encoding, not UTF8: Chinese text will fail"
    fi
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
    log "creating database $DB"
    psql_admin -c "CREATE DATABASE \"$DB\" OWNER \"$ROLE\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'" >/dev/null
fi

url="postgresql://$ROLE:$PASSWORD@$HOST:$port/$DB"
# Prove the URL works with a password over TCP, as the tests will use it.
PGPASSWORD=$PASSWORD psql "$url" -X -q -tA -c "SELECT 1" >/dev/null || {
    log "cannot log in as $ROLE over TCP: check pg_hba.conf of $version/$CLUSTER"
    exit 1
}
log "PostgreSQL $version/$CLUSTER ready on $HOST:$port"
echo "$url"

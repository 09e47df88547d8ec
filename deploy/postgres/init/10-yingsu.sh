#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised (docker-entrypoint-initdb.d): the application's own
# role and database beside Temporal's. Temporal's databases are created by deploy/temporal/setup-schema.sh.
# Changing YINGSU_DB_PASSWORD later needs `ALTER ROLE yingsu PASSWORD '...'`: this script does not run again.
set -eu
: "${YINGSU_DB_PASSWORD:?YINGSU_DB_PASSWORD must be set}"

# :'name' quotes the value as a literal, so the password never needs escaping here.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v yingsu_password="$YINGSU_DB_PASSWORD" <<'SQL'
CREATE ROLE yingsu LOGIN PASSWORD :'yingsu_password';
CREATE DATABASE yingsu OWNER yingsu;
SQL

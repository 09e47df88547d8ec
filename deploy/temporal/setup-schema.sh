#!/bin/sh
# One-shot (temporalio/admin-tools): creates Temporal's two databases if missing and brings their schemas to the
# version the server image expects. Safe at every `docker compose up`: setup-schema leaves an existing schema alone
# and update-schema only applies what is missing. Connection settings come from SQL_* (see docker-compose.yml).
set -eu
schemas=/etc/temporal/schema/postgresql/v12

setup() {
  db=$1
  dir=$2
  # `create` fails on an existing database; only that failure is expected.
  if ! out=$(temporal-sql-tool --db "$db" create 2>&1); then
    case $out in
      *"already exists"*) ;;
      *) echo "$out" >&2; echo "cannot create database $db on $SQL_HOST:$SQL_PORT" >&2; exit 1 ;;
    esac
  fi
  temporal-sql-tool --db "$db" setup-schema -v 0.0
  temporal-sql-tool --db "$db" update-schema -d "$schemas/$dir/versioned"
  echo "database $db: schema up to date"
}

setup "${TEMPORAL_DB:-temporal}" temporal
setup "${TEMPORAL_VISIBILITY_DB:-temporal_visibility}" visibility

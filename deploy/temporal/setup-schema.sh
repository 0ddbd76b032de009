#!/bin/sh
# Creates (once) and upgrades Temporal's two PostgreSQL databases. Safe to run at every start.
# The schema files are the admin-tools image's (TEMPORAL_SCHEMA_DIR elsewhere: bench/serveur-postgres.ts).
set -eu
tool() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" "$@"; }
# temporal-sql-tool reads the password from SQL_PASSWORD.
export SQL_PASSWORD="$POSTGRES_PWD"
for db in temporal temporal_visibility; do
  tool --db "$db" create 2>/dev/null || echo "database $db already exists"
done
tool --db temporal setup-schema -v 0.0 2>/dev/null || echo "temporal schema already initialised"
tool --db temporal update-schema -d "${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema}"/postgresql/v12/temporal/versioned
tool --db temporal_visibility setup-schema -v 0.0 2>/dev/null || echo "visibility schema already initialised"
tool --db temporal_visibility update-schema -d "${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema}"/postgresql/v12/visibility/versioned

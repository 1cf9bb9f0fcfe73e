# Sourced by the local-cluster scripts: sets psql_admin, the command that runs psql as a PostgreSQL superuser.
# SAFETYNET_PSQL_ADMIN wins; as root with a postgres user, runuser; otherwise plain psql (PG* variables apply).
if [ -n "${SAFETYNET_PSQL_ADMIN:-}" ]; then
  read -r -a psql_admin <<<"$SAFETYNET_PSQL_ADMIN"
elif [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1; then
  psql_admin=(runuser -u postgres -- psql)
else
  psql_admin=(psql)
fi

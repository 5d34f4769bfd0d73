# Sourced by .ci/run (and usable alone: `source .ci/postgres.bash && start_postgres`): a throwaway PostgreSQL on
# 127.0.0.1:55432 for the tests that need one (the PostgreSQL ledger, several serve nodes on one database).
# start_postgres installs PostgreSQL with apt-get when it is missing and this runs as root, starts a server in a fresh
# directory under /tmp, exports JOBPILOT_TEST_PG_URL and sets pg_stop to the command that stops it and removes its
# files. It fails when PostgreSQL cannot be had (missing, and not root), so CI never skips those tests silently.

pg_stop=":"

# The newest installed initdb: on PATH, or where Debian's packages put it (not on PATH).
pg_initdb() {
  command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1
}

pg_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "ci: PostgreSQL is not installed and this is not root; install it (apt-get install -y postgresql)" >&2
    return 1
  fi
  echo "ci: installing PostgreSQL (apt-get install -y postgresql)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends postgresql >/dev/null
}

start_postgres() {
  local initdb pg_ctl pgdata as=()
  initdb=$(pg_initdb || true)
  if [ -z "$initdb" ]; then
    pg_install || return 1
    initdb=$(pg_initdb || true)
  fi
  [ -n "$initdb" ] && [ -x "$initdb" ] || { echo "ci: no initdb found after installing PostgreSQL" >&2; return 1; }
  pg_ctl="$(dirname "$(readlink -f "$initdb")")/pg_ctl"
  pgdata=$(mktemp -d /tmp/jobpilot-ci-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then
    # the server refuses to run as root: as the postgres user the package creates (made here if it is missing)
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    chown postgres "$pgdata"
    as=(su postgres -s /bin/bash -c)
  else
    as=(bash -c)
  fi
  "${as[@]}" "'$initdb' -D '$pgdata/data' -U jobpilot --auth=trust >'$pgdata/init.log' 2>&1" \
    || { echo "ci: initdb failed:" >&2; cat "$pgdata/init.log" >&2; return 1; }
  "${as[@]}" "'$pg_ctl' -D '$pgdata/data' -o '-p 55432 -k /tmp -c listen_addresses=127.0.0.1' \
      -l '$pgdata/server.log' -w -t 30 start >/dev/null" \
    || { echo "ci: PostgreSQL did not start:" >&2; cat "$pgdata/server.log" >&2; return 1; }
  pg_stop="$(printf '%q ' "${as[@]}") $(printf '%q' "'$pg_ctl' -D '$pgdata/data' -m fast stop") ; rm -rf $(printf '%q' "$pgdata")"
  export JOBPILOT_TEST_PG_URL="jdbc:postgresql://127.0.0.1:55432/postgres?user=jobpilot"
}

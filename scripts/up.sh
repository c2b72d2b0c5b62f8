#!/usr/bin/env bash
# scripts/up.sh: start Socratic on this machine with one command, from the repository root.
#   1. Docker engine running      -> `docker compose up --build` (PostgreSQL, web, worker), then exit.
#   2. ConnectionStrings__Socratic set -> run the host against that database.
#   3. otherwise                  -> a local PostgreSQL from the system's binaries, data kept in .data/pg
#                                    (initdb only the first time), stopped again when this script ends.
# The host migrates the database and seeds the demo itself; this script only provides a server.
# Usage: ./scripts/up.sh [--reset]   (--reset wipes .data/pg, or the compose volumes, first)
# Constraints: bash on Debian/Ubuntu/macOS, idempotent, no sudo needed unless run as root (then the
# server runs as the `postgres` user, which initdb requires). Local runs do not read .env: export
# variables in the shell instead (.env is for docker compose).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

reset=false
for arg in "$@"; do
  case "$arg" in
    --reset) reset=true ;;
    -h | --help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$arg' (try --help)" ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# ---------------------------------------------------------------------------------------------------
# 1. Docker: the whole stack, as it would run in production.
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  if [[ ! -f .env ]]; then
    say "No .env yet: copying .env.example to .env (edit it to change settings)."
    cp .env.example .env
  fi
  if $reset; then
    say "--reset: removing the compose containers and volumes (the database)."
    docker compose down --volumes --remove-orphans
  fi
  http_port="${SOCRATIC_HTTP_PORT:-$(sed -n 's/^SOCRATIC_HTTP_PORT=//p' .env | tail -n 1)}"
  say "Docker engine found: docker compose up --build"
  say "Open http://localhost:${http_port:-5080} when the app is healthy (Ctrl-C stops everything)."
  exec docker compose up --build
fi

# ---------------------------------------------------------------------------------------------------
# 2./3. Run the host with dotnet, against a given database or a local one started here.
if ! command -v dotnet >/dev/null 2>&1; then
  die "the .NET 10 SDK is not installed. Install it (https://learn.microsoft.com/dotnet/core/install/linux,
       or on macOS: brew install --cask dotnet-sdk), or start a Docker engine and run this again."
fi

url="${ASPNETCORE_URLS:-http://127.0.0.1:5080}"
export ASPNETCORE_URLS="$url"
# dotnet run starts the host in the project folder: give it absolute paths to the repository's folders.
export Socratic__Models__Directory="${Socratic__Models__Directory:-$root/models}"
export Socratic__Demo__Game="${Socratic__Demo__Game:-$root/games/explorer-critic-arithmetic.json}"
# Package static assets (MudBlazor's CSS/JS) are served from the build output only in Development;
# the Docker image is published and runs as Production.
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"

if [[ -f .env ]]; then
  say "Note: .env is read by docker compose only; export variables in your shell to change a local run."
fi
if [[ -z "${SOCRATIC_MODEL:-}" ]] && ! compgen -G "$Socratic__Models__Directory/*.gguf" >/dev/null; then
  say "Warning: no *.gguf in $Socratic__Models__Directory and SOCRATIC_MODEL is unset: the UI runs, self-play cannot."
fi

pg_bin=""
pg_root=""
runuser=runuser
pg_started=false

run_pg() {
  # initdb and postgres refuse to run as root: run them as the postgres system user instead.
  # From /: the postgres user may not be allowed into the current directory (initdb checks it).
  local tool="$1"; shift
  local path="$pg_bin/$tool"
  [[ -x "$path" ]] || path="$(command -v "$tool")" || die "$tool not found (next to $pg_bin or on PATH)."
  if ((EUID == 0)); then
    (cd / && "$runuser" -u postgres -- "$path" "$@")
  else
    "$path" "$@"
  fi
}

# shellcheck disable=SC2317  # called through the EXIT trap
stop_pg() {
  if $pg_started; then
    # `|| true`: stdout may be gone (closed terminal or pipe); stopping the server matters more.
    say "Stopping the local PostgreSQL ($pg_root/data)." || true
    run_pg pg_ctl -D "$pg_root/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    pg_started=false
  fi
}

find_pg_bin() {
  # The data folder's major version wins, so an upgrade of the system packages keeps old data usable.
  # Debian's versioned folders come first: /usr/bin there holds wrappers, not the server tools.
  local want="${1:-}" dir file target
  if [[ -n "$want" && -x "/usr/lib/postgresql/$want/bin/pg_ctl" ]]; then
    echo "/usr/lib/postgresql/$want/bin"; return
  fi
  dir="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/pg_ctl' 2>/dev/null | sort -V | tail -n 1)"
  if [[ -n "$dir" ]]; then dirname "$dir"; return; fi
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    # Follow symlinks (no readlink -f on older macOS) to the folder that also holds psql and createdb.
    file="$(command -v pg_ctl)"
    while [[ -L "$file" ]]; do
      target="$(readlink "$file")"
      [[ "$target" == /* ]] || target="$(dirname "$file")/$target"
      file="$target"
    done
    dirname "$file"; return
  fi
  for dir in /opt/homebrew/opt/postgresql@15/bin /usr/local/opt/postgresql@15/bin /opt/homebrew/bin /usr/local/bin; do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then echo "$dir"; return; fi
  done
}

port_in_use() {
  # bash's /dev/tcp connects when something listens: works on Linux and macOS without ss/lsof.
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

if [[ -n "${ConnectionStrings__Socratic:-}" ]]; then
  $reset && say "--reset ignored: ConnectionStrings__Socratic points at a database this script does not own."
  say "Using the database in ConnectionStrings__Socratic."
else
  mkdir -p .data
  data_link="$root/.data/pg"

  if $reset; then
    say "--reset: wiping $data_link."
    pid_file="$data_link/data/postmaster.pid"
    if [[ -f "$pid_file" ]] && kill -0 "$(head -n 1 "$pid_file")" 2>/dev/null; then
      die "a PostgreSQL is running on $data_link (another up.sh?). Stop it first."
    fi
    if [[ -L "$data_link" ]]; then rm -rf "$(cd "$data_link" && pwd -P)"; fi
    rm -rf "$data_link"
  fi

  if ((EUID == 0)); then
    # runuser lives in /usr/sbin or /sbin, which a root PATH may lack (e.g. under su without -).
    runuser="$(command -v runuser || true)"
    for candidate in /usr/sbin/runuser /sbin/runuser; do
      if [[ -z "$runuser" && -x "$candidate" ]]; then runuser="$candidate"; fi
    done
    [[ -n "$runuser" ]] || die "running as root needs runuser (util-linux) to start PostgreSQL as the postgres user; or run as an ordinary user."
    id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' system user:
       apt-get update && apt-get install -y postgresql   (creates it), or run as an ordinary user."
    # The server runs as postgres, which cannot enter e.g. /root: keep the cluster where it can and
    # leave a link in .data/pg, so the data still lives "in" .data/pg between runs.
    if [[ ! -L "$data_link" ]] && ! "$runuser" -u postgres -- test -x "$root/.data"; then
      if [[ -d "$data_link" ]]; then
        rmdir "$data_link" 2>/dev/null \
          || die "the postgres user cannot reach $data_link. Move the repository (e.g. under /srv), or run: ./scripts/up.sh --reset"
      fi
      key="$(printf '%s' "$root" | cksum | cut -d ' ' -f 1)"
      mkdir -p "/var/lib/socratic/$key/pg"
      ln -s "/var/lib/socratic/$key/pg" "$data_link"
      say "The postgres user cannot reach $root; keeping the cluster in /var/lib/socratic/$key/pg (linked from .data/pg)."
    fi
  fi
  mkdir -p "$data_link"
  pg_root="$(cd "$data_link" && pwd -P)"

  existing_version=""
  [[ -f "$pg_root/data/PG_VERSION" ]] && existing_version="$(cat "$pg_root/data/PG_VERSION")"
  pg_bin="$(find_pg_bin "$existing_version")"
  if [[ -z "$pg_bin" ]]; then
    die "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them, then run this again:
       Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y postgresql
       macOS:         brew install postgresql@15
     Or start a Docker engine (then this script uses docker compose), or set ConnectionStrings__Socratic."
  fi
  bin_version="$("$pg_bin/pg_ctl" --version | sed -E 's/[^0-9]*([0-9]+).*/\1/')"
  if [[ -n "$existing_version" && "$existing_version" != "$bin_version" ]]; then
    die "$data_link holds a PostgreSQL $existing_version cluster but only PostgreSQL $bin_version is installed.
       Install PostgreSQL $existing_version, or start afresh with: ./scripts/up.sh --reset"
  fi

  if ((EUID == 0)); then
    chown postgres: "$pg_root"
  fi
  chmod 700 "$pg_root"

  if [[ -z "$existing_version" ]]; then
    say "First run: creating a PostgreSQL $bin_version cluster in $data_link (initdb)."
    run_pg initdb -D "$pg_root/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  fi

  trap stop_pg EXIT
  # Ctrl-C reaches dotnet and this script alike; exiting runs the EXIT trap, which stops the server.
  # A closed terminal (HUP) or reader (PIPE) must not kill the script before the trap has run.
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
  trap '' PIPE

  if run_pg pg_ctl -D "$pg_root/data" status >/dev/null 2>&1; then
    # Left running by an earlier run that was killed: adopt it (this script owns .data/pg).
    port="$(sed -n 4p "$pg_root/data/postmaster.pid")"
    say "A PostgreSQL is already running on $data_link (port $port): using it, and stopping it on exit."
    pg_started=true
  else
    port=55432
    while port_in_use "$port"; do
      port=$((port + 1))
      ((port < 55532)) || die "no free port in 55432-55531 for PostgreSQL."
    done
    say "Starting PostgreSQL $bin_version on 127.0.0.1:$port (log: $data_link/server.log)."
    # TCP only (no Unix socket): the repository path may be longer than a socket path may be.
    pg_started=true
    run_pg pg_ctl -D "$pg_root/data" -l "$pg_root/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=''" start >/dev/null \
      || { pg_started=false; tail -n 20 "$pg_root/server.log" >&2 || true; die "PostgreSQL did not start (log above)."; }
  fi

  # The host migrates, but Hangfire's storage connects too and needs the database to exist already.
  exists="$(run_pg psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atc \
    "SELECT 1 FROM pg_database WHERE datname = 'socratic'")"
  if [[ "$exists" != 1 ]]; then
    say "Creating database 'socratic'."
    run_pg createdb -h 127.0.0.1 -p "$port" -U postgres socratic
  fi

  export ConnectionStrings__Socratic="Host=127.0.0.1;Port=$port;Database=socratic;Username=postgres"
  say "Database: $ConnectionStrings__Socratic"
fi

say "Starting the Socratic host: dotnet run --project web/Socratic.Web -c Release (the first build takes a minute)."
say "Open $(printf '%s' "$url" | cut -d ';' -f 1 | sed -E 's#//(\+|\*|0\.0\.0\.0|\[::\])#//localhost#') once it logs 'Now listening'."
say "Sign in as ${Socratic__Admin__Email:-admin@socratic.local}; on the first start the host prints the generated password once."
if $pg_started; then say "Ctrl-C stops the host and the local PostgreSQL."; else say "Ctrl-C stops the host."; fi

status=0
# Not exec: the EXIT trap must still stop PostgreSQL after the host ends.
dotnet run --project web/Socratic.Web -c Release --no-launch-profile || status=$?
exit "$status"

#!/usr/bin/env bash
# Serve the app to a class: K Streamlit processes behind nginx with sticky sessions.
#
#   scripts/serve_class.sh                      # K = number of cores, students open http://<host>:8501
#   scripts/serve_class.sh --processes 4 --port 80
#
# One Streamlit process uses one core, and every page run or slider move costs it a few
# tenths of a second of CPU, so one process serves a handful of students at a time. This
# starts K processes (headless) on ports APP_PORT..APP_PORT+K-1 of 127.0.0.1 and nginx on
# PORT, with a config generated from deploy/nginx.conf.template into a temporary directory:
# a cookie made by nginx keeps each browser's page, websocket and files on one process, and
# spreads a class that comes from one NAT address (see the template for why not ip_hash).
# Ctrl-C (or SIGTERM) stops nginx and every process this script started.
#
# Several machines: the same recipe, with the app processes on other hosts. On each app host
#
#   scripts/serve_class.sh --no-proxy --address 0.0.0.0 --processes 2   # ports 8601, 8602
#
# and on the host the students open (it may run app processes too, or none: --processes 0)
#
#   scripts/serve_class.sh --processes 0 --upstream 10.0.0.11:8601 --upstream 10.0.0.11:8602 \
#                          --upstream 10.0.0.12:8601 --upstream 10.0.0.12:8602
#
# Open the app ports to the proxy host only (a firewall), and give every process the same
# cookie secret (export STREAMLIT_SERVER_COOKIE_SECRET=<one random string> on every host
# before starting; this script makes one for its own processes when it is unset).
#
# Needs nginx (Debian: apt-get install -y nginx; the system service need not run) and the
# app's requirements. Options:
#   --processes K     app processes on this host (default: the number of cores)
#   --app-port P      first app port (default 8601)
#   --address A       address the app processes listen on (default 127.0.0.1)
#   --port L          the port students open, served by nginx (default 8501)
#   --upstream H:P    an app process on another host (repeatable)
#   --no-proxy        start only the app processes (an app host of a several-machine setup)
#   --workers W       nginx worker processes (default 1: a worker carries thousands of websockets)
# Environment: PYTHON (default python3), NGINX (default nginx).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
NGINX="${NGINX:-nginx}"
COOKIE="stclass"
PROCESSES="$(nproc 2>/dev/null || echo 2)"
APP_PORT=8601
ADDRESS=127.0.0.1
PORT=8501
WORKERS=1
PROXY=1
UPSTREAMS=()

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

while (($#)); do
    case "$1" in
        --processes) PROCESSES="$2"; shift 2 ;;
        --app-port) APP_PORT="$2"; shift 2 ;;
        --address) ADDRESS="$2"; shift 2 ;;
        --port) PORT="$2"; shift 2 ;;
        --upstream) UPSTREAMS+=("$2"); shift 2 ;;
        --workers) WORKERS="$2"; shift 2 ;;
        --no-proxy) PROXY=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "serve_class.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

if ((PROXY)) && ! command -v "$NGINX" >/dev/null; then
    echo "serve_class.sh: nginx not found (Debian: apt-get install -y nginx)" >&2
    exit 1
fi

RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/serve_class.XXXXXX")"
chmod 755 "$RUN_DIR"
PIDS=()

stop() {
    trap - INT TERM EXIT
    # Only the processes started here, by their PIDs.
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$RUN_DIR"
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

# One cookie secret for all processes, so a cookie made by one is accepted by the others.
if [[ -z "${STREAMLIT_SERVER_COOKIE_SECRET:-}" ]]; then
    STREAMLIT_SERVER_COOKIE_SECRET="$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
    export STREAMLIT_SERVER_COOKIE_SECRET
fi

SERVERS=""
for ((i = 0; i < PROCESSES; i++)); do
    port=$((APP_PORT + i))
    (cd "$ROOT" && exec "$PYTHON" -m streamlit run app.py --server.headless true \
        --server.address "$ADDRESS" --server.port "$port" --browser.gatherUsageStats false \
        --server.fileWatcherType none --server.runOnSave false) \
        >"$RUN_DIR/app_$port.log" 2>&1 &
    PIDS+=("$!")
    host="$ADDRESS"
    [[ "$host" == "0.0.0.0" ]] && host=127.0.0.1
    SERVERS+="        server $host:$port max_fails=1 fail_timeout=10s;"$'\n'
done
for upstream in "${UPSTREAMS[@]}"; do
    SERVERS+="        server $upstream max_fails=1 fail_timeout=10s;"$'\n'
done
if [[ -z "$SERVERS" ]] || { ((PROXY == 0)) && ((PROCESSES == 0)); }; then
    echo "serve_class.sh: nothing to serve (--processes 0 and no --upstream, or with --no-proxy)" >&2
    exit 2
fi

# Wait until the local processes answer their health check.
for ((i = 0; i < PROCESSES; i++)); do
    port=$((APP_PORT + i))
    host="$ADDRESS"
    [[ "$host" == "0.0.0.0" ]] && host=127.0.0.1
    until "$PYTHON" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
        "http://$host:$port/_stcore/health" 2>/dev/null; do
        if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
            echo "serve_class.sh: the app on port $port exited:" >&2
            tail -20 "$RUN_DIR/app_$port.log" >&2
            exit 1
        fi
        sleep 0.2
    done
done

if ((PROXY)); then
    template="$(<"$ROOT/deploy/nginx.conf.template")"
    config="${template//@UPSTREAM_SERVERS@/${SERVERS%$'\n'}}"
    config="${config//@RUN_DIR@/$RUN_DIR}"
    config="${config//@LISTEN@/$PORT}"
    config="${config//@WORKERS@/$WORKERS}"
    config="${config//@COOKIE@/$COOKIE}"
    printf '%s\n' "$config" >"$RUN_DIR/nginx.conf"
    "$NGINX" -t -q -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/error.log"
    "$NGINX" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/error.log" -g "daemon off;" &
    PIDS+=("$!")
    until "$PYTHON" -c "import socket, sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 2).close()" \
        "$PORT" 2>/dev/null; do
        if ! kill -0 "${PIDS[-1]}" 2>/dev/null; then
            echo "serve_class.sh: nginx exited:" >&2
            cat "$RUN_DIR/error.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "Serving the app on port $PORT: $PROCESSES local process(es) from port $APP_PORT," \
        "${#UPSTREAMS[@]} on other hosts; nginx config $RUN_DIR/nginx.conf. Ctrl-C stops."
else
    echo "Serving $PROCESSES app process(es) on $ADDRESS:$APP_PORT..$((APP_PORT + PROCESSES - 1))" \
        "(no proxy). Ctrl-C stops."
fi

# Run until one of the processes ends or a signal comes.
wait -n "${PIDS[@]}" || true
echo "serve_class.sh: a process ended; stopping the rest" >&2
exit 1

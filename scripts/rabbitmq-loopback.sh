#!/usr/bin/env bash
# Starts RabbitMQ (Debian's rabbitmq-server) for the farm's tests, on loopback only:
#   scripts/rabbitmq-loopback.sh start [PORT]   start the node unless 127.0.0.1:PORT answers already
#   scripts/rabbitmq-loopback.sh stop [PORT]    stop the node this script started on PORT
# PORT is 5672 (the default node) unless given: another port is a node of its own
# (imagebuilder-PORT@localhost, its data in /var/tmp/imagebuilder-rabbitmq-PORT), which a test may
# stop and start again (FarmDurabilityIT restarts one while builds run) without touching the node
# other tests use. AMQP (PORT), epmd (4369) and the node's distribution port (PORT + 20000) listen
# on 127.0.0.1 only; the guest account is RabbitMQ's default, which it accepts from loopback only.
# Needs root.
set -euo pipefail

PORT=${2:-5672}
[[ $PORT =~ ^[0-9]+$ && $PORT -ge 1024 && $PORT -le 45000 ]] || {
  echo "rabbitmq-loopback: invalid port '$PORT' (expected 1024..45000)" >&2
  exit 2
}
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$PORT ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_DIST_PORT=$((PORT + 20000))
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
ctl=(rabbitmqctl)
if [[ $PORT != 5672 ]]; then
  base=/var/tmp/imagebuilder-rabbitmq-$PORT
  export RABBITMQ_NODENAME=imagebuilder-$PORT@localhost
  export RABBITMQ_MNESIA_BASE=$base/mnesia RABBITMQ_LOG_BASE=$base/log
  export RABBITMQ_PID_FILE=$base/rabbitmq.pid
  # no management or other plugins: nothing more listens
  export RABBITMQ_ENABLED_PLUGINS_FILE=$base/enabled_plugins
  ctl=(rabbitmqctl -n "$RABBITMQ_NODENAME")
fi

answers() { (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; }

case "${1:-}" in
  start)
    if answers; then
      echo "rabbitmq-loopback: 127.0.0.1:$PORT answers already" >&2
      exit 0
    fi
    if [[ -n ${base:-} ]]; then
      install -d -o rabbitmq -g rabbitmq "$base" "$base/mnesia" "$base/log"
      [[ -f $base/enabled_plugins ]] || echo '[].' >"$base/enabled_plugins"
    fi
    command -v rabbitmq-server >/dev/null || {
      echo "rabbitmq-loopback: rabbitmq-server is missing; run scripts/setup-host.sh as root" >&2
      exit 2
    }
    rabbitmq-server -detached
    for _ in $(seq 1 60); do
      answers && { echo "rabbitmq-loopback: RabbitMQ listens on 127.0.0.1:$PORT" >&2; exit 0; }
      sleep 1
    done
    echo "rabbitmq-loopback: RabbitMQ did not start in 60 s; see ${RABBITMQ_LOG_BASE:-/var/log/rabbitmq}/" >&2
    exit 1
    ;;
  stop)
    "${ctl[@]}" stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "rabbitmq-loopback: expected start or stop, got '${1:-}'" >&2
    exit 2
    ;;
esac

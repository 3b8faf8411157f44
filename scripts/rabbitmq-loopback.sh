#!/usr/bin/env bash
# Starts RabbitMQ (Debian's rabbitmq-server) for the farm's tests, on loopback only:
#   scripts/rabbitmq-loopback.sh start   start the node unless 127.0.0.1:5672 answers already
#   scripts/rabbitmq-loopback.sh stop    stop the node this script started
# AMQP (5672), epmd (4369) and the node's distribution port (25672) listen on 127.0.0.1 only; the
# guest account is RabbitMQ's default, which it accepts from loopback only. Needs root.
set -euo pipefail

export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=5672 ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_DIST_PORT=25672
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"

answers() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

case "${1:-}" in
  start)
    if answers; then
      echo "rabbitmq-loopback: 127.0.0.1:5672 answers already" >&2
      exit 0
    fi
    command -v rabbitmq-server >/dev/null || {
      echo "rabbitmq-loopback: rabbitmq-server is missing; run scripts/setup-host.sh as root" >&2
      exit 2
    }
    rabbitmq-server -detached
    for _ in $(seq 1 60); do
      answers && { echo "rabbitmq-loopback: RabbitMQ listens on 127.0.0.1:5672" >&2; exit 0; }
      sleep 1
    done
    echo "rabbitmq-loopback: RabbitMQ did not start in 60 s; see /var/log/rabbitmq/" >&2
    exit 1
    ;;
  stop)
    rabbitmqctl stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "rabbitmq-loopback: expected start or stop, got '${1:-}'" >&2
    exit 2
    ;;
esac

package io.imagebuilder.console.farm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.build.BuildListener;
import io.imagebuilder.console.build.BuildStatus;
import io.imagebuilder.console.build.BuildView;
import io.imagebuilder.console.build.StageView;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes a {@link FarmProgress} on the progress exchange, routed by the request's trigger, each
 * time a build with a trigger changes state or stage; a rejected request is published once. What
 * the broker does not take (it is restarting) waits, in order, and goes first with the next message
 * or on {@link #retry()} (the farm's sweep): a build that ends while the broker is away is still
 * reported on its trigger. At most {@link #WAITING_MAX} wait; beyond, the oldest are dropped.
 */
public final class ProgressPublisher implements BuildListener {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressPublisher.class);

  private final RabbitTemplate rabbit;
  private final FarmSettings farm;
  private final ObjectMapper json;
  static final int WAITING_MAX = 10_000;

  private final Map<String, String> lastSent = new ConcurrentHashMap<>();
  private final Deque<FarmProgress> waiting = new ArrayDeque<>();

  public ProgressPublisher(RabbitTemplate rabbit, FarmSettings farm, ObjectMapper json) {
    this.rabbit = rabbit;
    this.farm = farm;
    this.json = json;
  }

  @Override
  public void changed(BuildView b) {
    if (b.trigger() == null || b.trigger().isEmpty()) {
      return;
    }
    String stage = currentStage(b.stages());
    String key = b.status() + " " + stage;
    if (Objects.equals(lastSent.put(b.id(), key), key)) {
      return; // the same state and stage: only the log grew
    }
    if (b.status().isFinal()) {
      lastSent.remove(b.id());
    }
    publish(
        new FarmProgress(
            b.id(),
            b.trigger(),
            b.status().name(),
            stage,
            b.status() == BuildStatus.SUCCEEDED ? b.artifacts() : List.of(),
            b.error(),
            b.failedStage(),
            Instant.now()));
  }

  /** Tells {@code trigger} its request was refused, and why; nothing was queued. */
  public void rejected(String trigger, String error) {
    if (trigger == null || trigger.isEmpty()) {
      return;
    }
    publish(
        new FarmProgress(null, trigger, "REJECTED", null, List.of(), error, null, Instant.now()));
  }

  private synchronized void publish(FarmProgress p) {
    waiting.addLast(p);
    if (waiting.size() > WAITING_MAX) {
      FarmProgress dropped = waiting.removeFirst();
      LOG.warn(
          "progress of {} on {} dropped: the broker is away", dropped.buildId(), dropped.trigger());
    }
    retry();
  }

  /** Publishes what waits, oldest first, until the broker refuses one. */
  public synchronized void retry() {
    while (!waiting.isEmpty()) {
      FarmProgress p = waiting.peekFirst();
      try {
        rabbit.send(farm.progressExchange(), p.trigger(), JsonMessages.of(json, p));
      } catch (AmqpException e) {
        LOG.info("{} progress messages wait for the broker: {}", waiting.size(), e.toString());
        return;
      }
      waiting.removeFirst();
    }
  }

  private static String currentStage(List<StageView> stages) {
    return stages.isEmpty() ? null : stages.get(stages.size() - 1).type();
  }
}

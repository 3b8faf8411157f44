package io.imagebuilder.console.farm;

import io.imagebuilder.api.spec.Architecture;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The farm's RabbitMQ names ({@code imagebuilder.farm.amqp.*} properties); the broker's address and
 * account are Spring's {@code spring.rabbitmq.*}.
 *
 * @param enabled the console hands its builds to workers through RabbitMQ (default false: the
 *     in-process queue)
 * @param requestQueue where the seed's JSON lists of requests are read from
 * @param jobExchange the direct exchange that routes a job to its architecture's queue
 * @param buildQueuePrefix a job of architecture {@code a} waits in the queue {@code prefix + a}
 * @param progressExchange the topic exchange progress and results are published on, with the
 *     request's trigger as the routing key
 * @param heartbeatTimeout a running build whose worker has not reported for this long is queued
 *     again (workers report every few seconds); default 60 s
 * @param maxAttempts a build taken by this many workers that all went away is failed, with the
 *     reason, rather than queued again; default 3
 */
@ConfigurationProperties("imagebuilder.farm.amqp")
public record FarmSettings(
    Boolean enabled,
    String requestQueue,
    String jobExchange,
    String buildQueuePrefix,
    String progressExchange,
    Duration heartbeatTimeout,
    Integer maxAttempts) {
  public FarmSettings {
    enabled = enabled != null && enabled;
    requestQueue = orDefault(requestQueue, "imagebuilder.requests");
    jobExchange = orDefault(jobExchange, "imagebuilder.jobs");
    buildQueuePrefix = orDefault(buildQueuePrefix, "imagebuilder.builds.");
    progressExchange = orDefault(progressExchange, "imagebuilder.progress");
    heartbeatTimeout = heartbeatTimeout == null ? Duration.ofSeconds(60) : heartbeatTimeout;
    if (heartbeatTimeout.compareTo(Duration.ofSeconds(10)) < 0) {
      throw new IllegalArgumentException(
          "invalid imagebuilder.farm.amqp.heartbeat-timeout '"
              + heartbeatTimeout
              + "' (expected at least 10 s: workers report every few seconds)");
    }
    maxAttempts = maxAttempts == null ? 3 : maxAttempts;
    if (maxAttempts < 1) {
      throw new IllegalArgumentException(
          "invalid imagebuilder.farm.amqp.max-attempts '" + maxAttempts + "' (expected 1 or more)");
    }
  }

  /** The defaults, as a worker that reads no console properties uses them. */
  public static FarmSettings defaults() {
    return new FarmSettings(false, null, null, null, null, null, null);
  }

  /** The queue jobs of {@code architecture} wait in. */
  public String buildQueue(Architecture architecture) {
    return buildQueuePrefix + architecture.debianName();
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}

package io.imagebuilder.console.farm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.build.BuildQueue;
import io.imagebuilder.console.build.BuildView;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The farm's queue: each build becomes a persistent {@link FarmJob} on the job exchange, routed by
 * its architecture to the durable queue the workers of that architecture consume. A job counts as
 * queued once the broker confirmed it (publisher confirms), and that is recorded in the build's
 * lease; a job the broker did not take (it is down, restarting) is not an error for the caller: the
 * build stays QUEUED and {@link FarmDispatcher#sweep()} publishes it when the broker is back.
 */
public final class AmqpBuildQueue implements BuildQueue {
  private static final Logger LOG = LoggerFactory.getLogger(AmqpBuildQueue.class);
  private static final long CONFIRM_MILLIS = 10_000;

  private final RabbitTemplate rabbit;
  private final FarmSettings farm;
  private final ObjectMapper json;
  private final FarmLeases leases;

  public AmqpBuildQueue(
      RabbitTemplate rabbit, FarmSettings farm, ObjectMapper json, FarmLeases leases) {
    this.rabbit = rabbit;
    this.farm = farm;
    this.json = json;
    this.leases = leases;
  }

  @Override
  public void submit(BuildView build, Runnable runHere) {
    FarmJob job =
        new FarmJob(
            build.id(), build.imageType(), build.architecture(), build.specJson(), build.trigger());
    try {
      rabbit.invoke(
          ops -> {
            ops.send(farm.jobExchange(), build.architecture(), JsonMessages.of(json, job));
            ops.waitForConfirmsOrDie(CONFIRM_MILLIS);
            return null;
          });
    } catch (AmqpException e) {
      LOG.warn(
          "the job of build {} is not on the broker yet ({}); it is published again when the"
              + " broker takes it",
          build.id(),
          e.toString());
      return;
    }
    leases.published(build.id(), Instant.now());
  }

  @Override
  public boolean keepsJobs() {
    return true;
  }

  @Override
  public void shutdown() {}
}

package io.imagebuilder.console.farm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.build.BuildQueue;
import io.imagebuilder.console.build.BuildView;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The farm's queue: each build becomes a persistent {@link FarmJob} on the job exchange, routed by
 * its architecture to the queue the workers of that architecture consume. The broker keeps the jobs
 * (durable queues), so a restarted console queues nothing again.
 */
public final class AmqpBuildQueue implements BuildQueue {
  private final RabbitTemplate rabbit;
  private final FarmSettings farm;
  private final ObjectMapper json;

  public AmqpBuildQueue(RabbitTemplate rabbit, FarmSettings farm, ObjectMapper json) {
    this.rabbit = rabbit;
    this.farm = farm;
    this.json = json;
  }

  @Override
  public void submit(BuildView build, Runnable runHere) {
    FarmJob job =
        new FarmJob(
            build.id(), build.imageType(), build.architecture(), build.specJson(), build.trigger());
    rabbit.send(farm.jobExchange(), build.architecture(), JsonMessages.of(json, job));
  }

  @Override
  public boolean keepsJobs() {
    return true;
  }

  @Override
  public void shutdown() {}
}

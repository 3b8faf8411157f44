package io.imagebuilder.console.farm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.console.ConsoleDatabase;
import io.imagebuilder.console.build.BuildQueue;
import io.imagebuilder.console.build.BuildService;
import io.imagebuilder.console.build.BuildStore;
import io.imagebuilder.console.build.SubmissionReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The console in farm mode ({@code imagebuilder.farm.amqp.enabled=true}): builds go to RabbitMQ for
 * workers, requests are read from the request queue, progress is published on the triggers.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "imagebuilder.farm.amqp.enabled", havingValue = "true")
public class FarmConfiguration {
  /** The exchanges and the durable queues, one per architecture; declared on each connection. */
  @Bean
  Declarables farmTopology(FarmSettings farm) {
    return topology(farm);
  }

  /** What the console and the workers declare alike, so either may start first. */
  public static Declarables topology(FarmSettings farm) {
    List<Declarable> all = new ArrayList<>();
    DirectExchange jobs = new DirectExchange(farm.jobExchange(), true, false);
    all.add(jobs);
    all.add(new TopicExchange(farm.progressExchange(), true, false));
    all.add(QueueBuilder.durable(farm.requestQueue()).build());
    for (Architecture a : Architecture.values()) {
      Queue q = QueueBuilder.durable(farm.buildQueue(a)).build();
      all.add(q);
      all.add(BindingBuilder.bind(q).to(jobs).with(a.debianName()));
    }
    return new Declarables(all);
  }

  @Bean
  FarmLeases farmLeases(ConsoleDatabase database) {
    return new FarmLeases(database);
  }

  @Bean
  BuildQueue buildQueue(
      RabbitTemplate rabbit, FarmSettings farm, ObjectMapper json, FarmLeases leases) {
    return new AmqpBuildQueue(rabbit, farm, json, leases);
  }

  @Bean
  FarmDispatcher farmDispatcher(
      BuildService builds, BuildStore store, FarmLeases leases, FarmSettings farm) {
    return new FarmDispatcher(
        builds, store, leases, farm.heartbeatTimeout(), farm.maxAttempts(), Clock.systemUTC());
  }

  /** Runs the dispatcher's sweep every few seconds, the first right after the start. */
  @Bean(destroyMethod = "close")
  FarmSweeper farmSweeper(
      FarmDispatcher dispatcher, ProgressPublisher progress, FarmSettings farm) {
    return new FarmSweeper(dispatcher, progress, farm.heartbeatTimeout().dividedBy(4));
  }

  @Bean
  ProgressPublisher progressPublisher(RabbitTemplate rabbit, FarmSettings farm, ObjectMapper json) {
    return new ProgressPublisher(rabbit, farm, json);
  }

  @Bean
  SimpleMessageListenerContainer requestListener(
      ConnectionFactory connections,
      FarmSettings farm,
      SubmissionReader reader,
      BuildService builds,
      BuildStore store,
      ProgressPublisher progress,
      ObjectMapper json) {
    SimpleMessageListenerContainer c = new SimpleMessageListenerContainer(connections);
    c.setQueueNames(farm.requestQueue());
    c.setAcknowledgeMode(AcknowledgeMode.AUTO); // acknowledged once its builds are stored
    c.setDefaultRequeueRejected(false); // a message that cannot be read would come back forever
    c.setPrefetchCount(1);
    c.setMessageListener(
        new RequestListener(reader, builds, store, progress, json, farm.requestQueue()));
    return c;
  }
}

package io.imagebuilder.console.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.console.farm.FarmConfiguration;
import io.imagebuilder.console.farm.FarmSettings;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The application in worker mode: no web server, no console; it consumes the build queues of the
 * architectures this host can build, one job at a time (prefetch 1, manual acknowledgement), and
 * reports to the console over HTTP. Not a component, so the console's scan never picks it up.
 */
@EnableAutoConfiguration(
    exclude = {
      SecurityAutoConfiguration.class,
      UserDetailsServiceAutoConfiguration.class,
      // a worker keeps no database: the console stores what it reports
      DataSourceAutoConfiguration.class,
      FlywayAutoConfiguration.class
    })
@EnableConfigurationProperties({WorkerSettings.class, FarmSettings.class})
public class WorkerApplication {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerApplication.class);

  /** Starts a worker with Spring property arguments. */
  public static void run(String[] springArgs) {
    new SpringApplicationBuilder(WorkerApplication.class)
        .web(WebApplicationType.NONE)
        .run(
            java.util.stream.Stream.concat(
                    java.util.stream.Stream.of("--spring.application.name=imagebuilder-worker"),
                    java.util.stream.Stream.of(springArgs))
                .toArray(String[]::new));
  }

  @Bean
  Declarables farmTopology(FarmSettings farm) {
    return FarmConfiguration.topology(farm);
  }

  @Bean
  SimpleMessageListenerContainer buildQueues(
      ConnectionFactory connections, WorkerSettings settings, FarmSettings farm, ObjectMapper json)
      throws IOException {
    settings.check();
    // a worker that comes back after it was killed first removes what its last build left
    WorkerCleanup.clean(settings.workDir().resolve("builds"));
    List<Architecture> archs =
        WorkerArchitectures.of(settings.architectures(), settings.workDir().resolve("checks"));
    if (archs.isEmpty()) {
      throw new IllegalStateException(
          "this host can build no architecture (expected at least its own; see the log above)");
    }
    List<String> queues = archs.stream().map(farm::buildQueue).toList();
    LOG.info("worker {} takes jobs from {}", settings.name(), queues);
    SimpleMessageListenerContainer c = new SimpleMessageListenerContainer(connections);
    c.setQueueNames(queues.toArray(new String[0]));
    c.setAcknowledgeMode(AcknowledgeMode.MANUAL);
    c.setPrefetchCount(1);
    c.setConcurrentConsumers(1);
    c.setMessageListener(
        new FarmWorker(
            settings,
            new ConsoleClient(settings.consoleUrl(), settings.token(), settings.name(), json),
            json));
    return c;
  }
}

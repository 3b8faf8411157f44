package io.imagebuilder.console.retention;

import io.imagebuilder.console.ConsoleSettings;
import io.imagebuilder.console.account.AuditLog;
import io.imagebuilder.console.build.BuildStore;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Retention, quotas and disk space; retention and the library's cache collection run every {@code
 * console.retention.interval} (the first run one interval after the start).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class RetentionConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionConfiguration.class);

  @Bean
  Retention retention(
      RetentionSettings settings, BuildStore store, ConsoleSettings console, AuditLog audit) {
    return new Retention(
        new RetentionRules(settings), store, new BuildFiles(console), audit, Clock.systemUTC());
  }

  @Bean
  Quotas quotas(QuotaSettings settings, BuildStore store, ConsoleSettings console) {
    return new Quotas(settings, store, new BuildFiles(console));
  }

  @Bean
  DiskSpace diskSpace(
      ConsoleSettings console, RetentionSettings settings, BuildStore store, Retention retention) {
    return new DiskSpace(console, settings, store, new BuildFiles(console), retention);
  }

  @Bean
  Schedule retentionSchedule(Retention retention, DiskSpace disk) {
    return new Schedule(retention, disk);
  }

  /** The scheduled runs. */
  static final class Schedule {
    private final Retention retention;
    private final DiskSpace disk;

    Schedule(Retention retention, DiskSpace disk) {
      this.retention = retention;
      this.disk = disk;
    }

    @Scheduled(
        fixedDelayString = "${console.retention.interval:PT1H}",
        initialDelayString = "${console.retention.interval:PT1H}")
    void run() {
      try {
        retention.run("retention", "");
        disk.collectCache();
      } catch (IOException | RuntimeException e) {
        LOG.warn("the scheduled retention run failed: {}", e.toString());
      }
    }
  }
}

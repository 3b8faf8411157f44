package io.imagebuilder.console.retention;

import io.imagebuilder.console.ConsoleSettings;
import io.imagebuilder.console.account.AuditLog;
import io.imagebuilder.console.build.BuildStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

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
  Schedule retentionSchedule(Retention retention, DiskSpace disk, RetentionSettings settings) {
    return new Schedule(retention, disk, settings.interval());
  }

  /** The scheduled run, every interval from the settings (already parsed and checked there). */
  static final class Schedule implements SchedulingConfigurer {
    private final Retention retention;
    private final DiskSpace disk;
    private final Duration interval;

    Schedule(Retention retention, DiskSpace disk, Duration interval) {
      this.retention = retention;
      this.disk = disk;
      this.interval = interval;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
      registrar.addFixedDelayTask(new FixedDelayTask(this::run, interval, interval));
    }

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

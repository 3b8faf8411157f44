package io.imagebuilder.console.retention;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which finished builds keep their artifacts and logs ({@code console.retention.*} properties).
 * Releases are always kept; a rule left unset keeps everything it would judge.
 *
 * @param keepPerTrigger keep the newest N builds of each trigger (builds without one are judged by
 *     the other rules only); null or 0: no limit
 * @param keepPerSpec keep the newest N builds of each spec hash; null or 0: no limit
 * @param maxAge remove builds that ended longer ago than this (e.g. {@code 30d}); null: no limit
 * @param interval how often retention runs (and the library's cache is collected); default 1h
 * @param cacheMaxBytes the cap the library's cache is collected down to; default the library's (20
 *     GiB, or {@code -Dimagebuilder.cache.maxBytes})
 */
@ConfigurationProperties("console.retention")
public record RetentionSettings(
    Integer keepPerTrigger,
    Integer keepPerSpec,
    Duration maxAge,
    Duration interval,
    Long cacheMaxBytes) {
  public RetentionSettings {
    keepPerTrigger = atLeastZero("keep-per-trigger", keepPerTrigger);
    keepPerSpec = atLeastZero("keep-per-spec", keepPerSpec);
    if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
      throw new IllegalArgumentException(
          "invalid console.retention.max-age '" + maxAge + "' (expected a positive duration)");
    }
    interval = interval == null ? Duration.ofHours(1) : interval;
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "invalid console.retention.interval '" + interval + "' (expected 1s or more)");
    }
    cacheMaxBytes =
        cacheMaxBytes == null ? io.imagebuilder.api.BuildCache.configuredMaxBytes() : cacheMaxBytes;
    if (cacheMaxBytes < 0) {
      throw new IllegalArgumentException(
          "invalid console.retention.cache-max-bytes '"
              + cacheMaxBytes
              + "' (expected 0 or more bytes)");
    }
  }

  private static int atLeastZero(String property, Integer n) {
    if (n == null) {
      return 0;
    }
    if (n < 0) {
      throw new IllegalArgumentException(
          "invalid console.retention."
              + property
              + " '"
              + n
              + "' (expected 0 for no limit, or more)");
    }
    return n;
  }
}

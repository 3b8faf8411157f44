package io.imagebuilder.console.retention;

import io.imagebuilder.console.build.BuildView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which builds retention removes, and why: pure logic over the builds and the time. A build is
 * judged once it has ended; a release or an already expired build is never chosen. The newest N of
 * a trigger or spec count every ended build, releases included, so a release can be one of the N.
 */
public final class RetentionRules {
  /**
   * A build to expire.
   *
   * @param build the build
   * @param reason the rule that removes it
   */
  public record Expiry(BuildView build, String reason) {}

  private static final Comparator<BuildView> NEWEST_FIRST =
      Comparator.comparing(BuildView::submittedAt, Comparator.nullsLast(Comparator.reverseOrder()))
          .thenComparing(BuildView::id, Comparator.reverseOrder());

  private final RetentionSettings settings;

  public RetentionRules(RetentionSettings settings) {
    this.settings = settings;
  }

  /** The builds of {@code builds} that the rules remove at {@code now}, the oldest first. */
  public List<Expiry> expired(List<BuildView> builds, Instant now) {
    List<BuildView> ended =
        builds.stream().filter(b -> b.status().isFinal()).sorted(NEWEST_FIRST).toList();
    Map<String, Integer> perTrigger = new HashMap<>();
    Map<String, Integer> perSpec = new HashMap<>();
    List<Expiry> out = new ArrayList<>();
    for (BuildView b : ended) {
      int triggerRank =
          b.trigger() == null || b.trigger().isEmpty()
              ? 0
              : perTrigger.merge(b.trigger(), 1, Integer::sum);
      int specRank = perSpec.merge(String.valueOf(b.specHash()), 1, Integer::sum);
      if (b.release() != null || b.expiredAt() != null) {
        continue;
      }
      String reason = reason(b, triggerRank, specRank, now);
      if (reason != null) {
        out.add(new Expiry(b, reason));
      }
    }
    java.util.Collections.reverse(out);
    return out;
  }

  private String reason(BuildView b, int triggerRank, int specRank, Instant now) {
    Instant ended = b.finishedAt() != null ? b.finishedAt() : b.submittedAt();
    if (settings.maxAge() != null
        && ended != null
        && ended.isBefore(now.minus(settings.maxAge()))) {
      return "ended " + ended + ", longer ago than console.retention.max-age " + settings.maxAge();
    }
    if (settings.keepPerTrigger() > 0 && triggerRank > settings.keepPerTrigger()) {
      return "not among the newest "
          + settings.keepPerTrigger()
          + " builds of trigger '"
          + b.trigger()
          + "' (console.retention.keep-per-trigger)";
    }
    if (settings.keepPerSpec() > 0 && specRank > settings.keepPerSpec()) {
      return "not among the newest "
          + settings.keepPerSpec()
          + " builds of spec "
          + b.specHash()
          + " (console.retention.keep-per-spec)";
    }
    return null;
  }
}

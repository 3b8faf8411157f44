package io.imagebuilder.console.retention;

import io.imagebuilder.console.build.BuildStore;
import io.imagebuilder.console.build.BuildView;
import java.util.Optional;

/** Each account's stored bytes (artifacts and logs of its builds not expired) against its quota. */
public final class Quotas {
  private final QuotaSettings settings;
  private final BuildStore store;
  private final BuildFiles files;

  Quotas(QuotaSettings settings, BuildStore store, BuildFiles files) {
    this.settings = settings;
    this.store = store;
    this.files = files;
  }

  /** The bytes {@code account}'s builds keep on disk. */
  public long usage(String account) {
    long sum = 0;
    for (BuildView b : store.all()) {
      if (account.equals(b.submittedBy()) && b.expiredAt() == null) {
        sum += files.artifactBytes(b.id()) + files.logBytes(b.id());
      }
    }
    return sum;
  }

  /** Why {@code account} may not queue a build now (its usage has reached its quota), or empty. */
  public Optional<String> refusal(String account) {
    Long quota = settings.of(account);
    if (quota == null) {
      return Optional.empty();
    }
    long used = usage(account);
    if (used < quota) {
      return Optional.empty();
    }
    return Optional.of(
        "account '"
            + account
            + "' stores "
            + used
            + " bytes, at or over its quota of "
            + quota
            + " bytes (console.quota); releases and builds retention has not removed count;"
            + " nothing was queued");
  }
}

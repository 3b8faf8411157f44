package io.imagebuilder.console.build;

/** Where a build is in its life. */
public enum BuildStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  /** Whether the build has ended and will not change again. */
  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}

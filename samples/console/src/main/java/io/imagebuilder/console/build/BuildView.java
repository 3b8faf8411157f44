package io.imagebuilder.console.build;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one build, as the API returns it and the store keeps it.
 *
 * @param id the console's id of the build
 * @param status where it is
 * @param imageType the request's image_type, or {@code spec} for an ImageSpec
 * @param series the series
 * @param architecture the Debian architecture
 * @param board the board id, or null for a rootfs
 * @param packages the packages asked for
 * @param trigger the request's progress channel, or ""
 * @param specHash the spec's hash
 * @param specJson the spec's canonical JSON
 * @param submittedBy the account that submitted it
 * @param submittedFrom the remote address it was submitted from
 * @param submittedAt when it was queued
 * @param startedAt when it started, or null
 * @param finishedAt when it ended, or null
 * @param stages the stages reported so far
 * @param artifacts the artifacts of a successful build
 * @param error why it failed, or null
 * @param failedStage the stage that failed, or null
 * @param via how it came: {@code api}, {@code ui} or {@code queue} (null for builds of older
 *     consoles)
 * @param release who marked it a release and when, or null; retention never removes a release
 * @param expiredAt when retention removed its artifacts and log, or null; the row stays
 */
public record BuildView(
    String id,
    BuildStatus status,
    String imageType,
    String series,
    String architecture,
    String board,
    List<String> packages,
    String trigger,
    String specHash,
    String specJson,
    String submittedBy,
    String submittedFrom,
    Instant submittedAt,
    Instant startedAt,
    Instant finishedAt,
    List<StageView> stages,
    List<ArtifactView> artifacts,
    String error,
    String failedStage,
    String via,
    Release release,
    Instant expiredAt) {
  /**
   * Who marked a build as a release, and when.
   *
   * @param by the account
   * @param at when
   */
  public record Release(String by, Instant at) {}

  @com.fasterxml.jackson.annotation.JsonCreator
  public BuildView {
    packages = List.copyOf(packages == null ? List.of() : packages);
    stages = List.copyOf(stages == null ? List.of() : stages);
    artifacts = List.copyOf(artifacts == null ? List.of() : artifacts);
  }

  /** A build submitted the way older consoles knew: not a release, not expired, via unknown. */
  public BuildView(
      String id,
      BuildStatus status,
      String imageType,
      String series,
      String architecture,
      String board,
      List<String> packages,
      String trigger,
      String specHash,
      String specJson,
      String submittedBy,
      String submittedFrom,
      Instant submittedAt,
      Instant startedAt,
      Instant finishedAt,
      List<StageView> stages,
      List<ArtifactView> artifacts,
      String error,
      String failedStage) {
    this(
        id,
        status,
        imageType,
        series,
        architecture,
        board,
        packages,
        trigger,
        specHash,
        specJson,
        submittedBy,
        submittedFrom,
        submittedAt,
        startedAt,
        finishedAt,
        stages,
        artifacts,
        error,
        failedStage,
        null,
        null,
        null);
  }

  /** This build marked as a release. */
  public BuildView withRelease(Release newRelease) {
    return withKeeping(newRelease, expiredAt);
  }

  /** This build with its artifacts and log removed by retention at {@code at}. */
  public BuildView withExpired(Instant at) {
    return withKeeping(release, at);
  }

  private BuildView withKeeping(Release newRelease, Instant newExpiredAt) {
    return new BuildView(
        id,
        status,
        imageType,
        series,
        architecture,
        board,
        packages,
        trigger,
        specHash,
        specJson,
        submittedBy,
        submittedFrom,
        submittedAt,
        startedAt,
        finishedAt,
        stages,
        artifacts,
        error,
        failedStage,
        via,
        newRelease,
        newExpiredAt);
  }

  /** The bytes its artifacts take (0 once expired). */
  public long artifactBytes() {
    return expiredAt != null ? 0 : artifacts.stream().mapToLong(ArtifactView::size).sum();
  }

  /** This build with another status and the fields that go with it. */
  BuildView with(
      BuildStatus newStatus,
      Instant started,
      Instant finished,
      List<StageView> newStages,
      List<ArtifactView> newArtifacts,
      String newError,
      String newFailedStage) {
    return new BuildView(
        id,
        newStatus,
        imageType,
        series,
        architecture,
        board,
        packages,
        trigger,
        specHash,
        specJson,
        submittedBy,
        submittedFrom,
        submittedAt,
        started,
        finished,
        newStages,
        newArtifacts,
        newError,
        newFailedStage,
        via,
        release,
        expiredAt);
  }
}

package io.imagebuilder.api.event;

/**
 * Marker for everything a build reports while it runs. Listeners are registered by event type and
 * are called on the build's threads: they must be fast and thread-safe.
 */
public interface BuildEvent {
  /**
   * The progress channel the build was started with (a request's {@code trigger}).
   *
   * @return the trigger, or {@code ""} when the build was started without one; never null
   */
  String trigger();
}

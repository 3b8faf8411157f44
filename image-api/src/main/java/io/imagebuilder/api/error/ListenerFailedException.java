package io.imagebuilder.api.error;

/**
 * An event listener threw. The build that called it fails with this (after every started stage's
 * cleanup), so a listener's error is never lost; the message names the listener by the event type
 * it was registered for and the place in the caller's code that registered it.
 */
public class ListenerFailedException extends ImageBuildException {
  private static final long serialVersionUID = 1L;

  /** The event type the listener was registered for. */
  private final String listenerType;

  /** Where it was registered. */
  private final String registeredAt;

  /**
   * @param listenerType the event type the listener was registered for, e.g. {@code StageStarted}
   * @param registeredAt where it was registered ({@code Class.method(File.java:line)})
   * @param eventType the event it failed on
   * @param cause what it threw
   */
  public ListenerFailedException(
      String listenerType, String registeredAt, String eventType, Throwable cause) {
    super(
        "the event listener for "
            + listenerType
            + " registered at "
            + registeredAt
            + " threw "
            + cause
            + " on a "
            + eventType
            + " event",
        cause);
    this.listenerType = listenerType;
    this.registeredAt = registeredAt;
  }

  /**
   * The same failure, reported by a build that stood where {@code state} says.
   *
   * @param failure the listener's failure as first reported
   * @param state where the build stood when the listener threw
   */
  public ListenerFailedException(ListenerFailedException failure, BuildState state) {
    super(failure.getMessage(), failure.getCause(), state);
    this.listenerType = failure.listenerType;
    this.registeredAt = failure.registeredAt;
  }

  /**
   * The event type the listener was registered for.
   *
   * @return the event type's simple name, e.g. {@code StageStarted}
   */
  public String listenerType() {
    return listenerType;
  }

  /**
   * Where in the caller's code it was registered.
   *
   * @return {@code Class.method(File.java:line)} of the registering call
   */
  public String registeredAt() {
    return registeredAt;
  }
}

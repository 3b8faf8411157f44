package io.imagebuilder.api.error;

import java.util.Optional;

/** The root of every checked failure of a build: the input was valid, the build did not succeed. */
public class ImageBuildException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Where the build stood; not serialized. */
  private final transient BuildState state;

  /**
   * A failure described by {@code message}.
   *
   * @param message what failed, naming the bad value and what was expected
   */
  public ImageBuildException(String message) {
    this(message, null, null);
  }

  /**
   * A failure described by {@code message}, caused by {@code cause}.
   *
   * @param message what failed
   * @param cause the underlying error, or null
   */
  public ImageBuildException(String message, Throwable cause) {
    this(message, cause, null);
  }

  /**
   * A failure of a build that got as far as {@code state} says.
   *
   * @param message what failed
   * @param cause the underlying error, or null
   * @param state where the build stood, or null when it is not known
   */
  protected ImageBuildException(String message, Throwable cause, BuildState state) {
    super(message, cause);
    this.state = state;
  }

  /**
   * Where the build stood when it ended (failed stage, its log, the completed stages, the output
   * directory); present on the exception a build throws once its stages started.
   *
   * @return the build's state, or empty when the failure came before any stage started
   */
  public Optional<BuildState> buildState() {
    return Optional.ofNullable(state);
  }

  /**
   * The first exception of type {@code type} in this exception's cause chain, this exception
   * included: the way to reach the typed cause a {@link StageFailedException} wraps, e.g. {@code
   * e.findCause(RepositoryVerificationException.class)}. A cycle in the chain ends the search.
   *
   * @param <T> the type looked for
   * @param type the type looked for, e.g. {@code HostNotReadyException.class}; not null
   * @return the first such exception, or empty when the chain holds none
   */
  public <T extends Throwable> Optional<T> findCause(Class<T> type) {
    java.util.Set<Throwable> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Throwable t = this; t != null && seen.add(t); t = t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }
}

package io.imagebuilder.internal.engine;

import io.imagebuilder.api.error.ListenerFailedException;
import io.imagebuilder.api.event.BuildEvent;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Delivers events to the listeners registered for their type. A listener that throws does not stop
 * the others; its first failure is kept, with where the listener was registered, for the engine to
 * fail the build with.
 */
public final class EventBus {
  private record Listener<E extends BuildEvent>(
      Class<E> type, Consumer<? super E> consumer, String registeredAt) {
    void offer(BuildEvent event) {
      if (type.isInstance(event)) {
        consumer.accept(type.cast(event));
      }
    }
  }

  private final List<Listener<?>> listeners;
  private final AtomicReference<ListenerFailedException> failure = new AtomicReference<>();

  public EventBus() {
    this(List.of());
  }

  private EventBus(List<Listener<?>> listeners) {
    this.listeners = new CopyOnWriteArrayList<>(listeners);
  }

  /** The same listeners with no failure recorded: one bus per build. */
  public EventBus copy() {
    return new EventBus(listeners);
  }

  public <E extends BuildEvent> void register(Class<E> type, Consumer<? super E> consumer) {
    if (type == null || consumer == null) {
      throw new IllegalArgumentException(
          "an event listener needs a type and a consumer (got null)");
    }
    listeners.add(new Listener<>(type, consumer, callerOutsideTheLibrary()));
  }

  public void publish(BuildEvent event) {
    for (Listener<?> l : listeners) {
      try {
        l.offer(event);
      } catch (RuntimeException e) {
        failure.compareAndSet(
            null,
            new ListenerFailedException(
                l.type().getSimpleName(), l.registeredAt(), event.getClass().getSimpleName(), e));
      }
    }
  }

  /** The first failure of a listener, if one threw. */
  public Optional<ListenerFailedException> failure() {
    return Optional.ofNullable(failure.get());
  }

  /** The first stack frame of the code that registered a listener, for the failure message. */
  private static String callerOutsideTheLibrary() {
    return StackWalker.getInstance()
        .walk(
            frames ->
                frames
                    .filter(
                        f ->
                            !f.getClassName().startsWith("io.imagebuilder.internal.engine.")
                                && !f.getClassName().equals("io.imagebuilder.api.RunConfiguration"))
                    .findFirst()
                    .map(
                        f ->
                            f.getClassName()
                                + "."
                                + f.getMethodName()
                                + "("
                                + f.getFileName()
                                + ":"
                                + f.getLineNumber()
                                + ")")
                    .orElse("unknown"));
  }
}

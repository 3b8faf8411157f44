package io.imagebuilder.internal.engine;

import io.imagebuilder.api.event.BuildEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers events to the listeners registered for their type; a failing listener is logged. */
public final class EventBus {
  private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

  private record Listener<E extends BuildEvent>(Class<E> type, Consumer<? super E> consumer) {
    void offer(BuildEvent event) {
      if (type.isInstance(event)) {
        consumer.accept(type.cast(event));
      }
    }
  }

  private final List<Listener<?>> listeners = new CopyOnWriteArrayList<>();

  public <E extends BuildEvent> void register(Class<E> type, Consumer<? super E> consumer) {
    if (type == null || consumer == null) {
      throw new IllegalArgumentException("an event listener needs a type and a consumer (got null)");
    }
    listeners.add(new Listener<>(type, consumer));
  }

  public void publish(BuildEvent event) {
    for (Listener<?> l : listeners) {
      try {
        l.offer(event);
      } catch (RuntimeException e) {
        LOG.warn("event listener for {} failed on {}", l.type().getSimpleName(), event, e);
      }
    }
  }
}

package io.imagebuilder.api.stage;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.OutputFormat;
import java.util.List;
import java.util.Map;

/**
 * A stage that forwards to another: extend it to wrap a stage (time it, add a step before or after)
 * with {@link Plan#wrap}. The wrapper keeps the delegate's type. A wrapper that only watches
 * (times, logs) keeps the delegate's options and so its id; one that changes what the stage
 * produces must say how in {@link #wrapperOptions()}, which then becomes part of the options and
 * the id, so a stage cache never mistakes one output for the other.
 */
public abstract class ForwardingStage implements Stage {
  private final Stage delegate;

  /**
   * Wraps {@code delegate}.
   *
   * @param delegate the stage every method forwards to; not null
   */
  protected ForwardingStage(Stage delegate) {
    this.delegate = delegate;
  }

  /**
   * The wrapped stage.
   *
   * @return the delegate given to the constructor
   */
  protected Stage delegate() {
    return delegate;
  }

  @Override
  public String type() {
    return delegate.type();
  }

  @Override
  public String summary() {
    return delegate.summary();
  }

  @Override
  public Phase phase() {
    return delegate.phase();
  }

  @Override
  public int orderInPhase() {
    return delegate.orderInPhase();
  }

  /**
   * What this wrapper changes in the stage's output, as JSON-serialisable options (include a stable
   * name of the wrapper); empty (the default) for a wrapper that changes nothing.
   *
   * @return the wrapper's own options, JSON-serialisable; empty by default
   */
  protected Map<String, Object> wrapperOptions() {
    return Map.of();
  }

  /**
   * The delegate's options, or, when {@link #wrapperOptions()} is not empty, {@code {"delegate":
   * the delegate's options, "wrapper": the wrapper's}}.
   */
  @Override
  public Map<String, Object> options() {
    Map<String, Object> wrapper = wrapperOptions();
    if (wrapper.isEmpty()) {
      return delegate.options();
    }
    Map<String, Object> both = new java.util.LinkedHashMap<>();
    both.put("delegate", delegate.options());
    both.put("wrapper", wrapper);
    return both;
  }

  @Override
  public Map<String, String> hostTools() {
    return delegate.hostTools();
  }

  @Override
  public List<OutputFormat> produces() {
    return delegate.produces();
  }

  @Override
  public void verify(StageContext context) throws ImageBuildException {
    delegate.verify(context);
  }

  @Override
  public void run(StageContext context)
      throws ImageBuildException, java.io.IOException, InterruptedException {
    delegate.run(context);
  }

  @Override
  public void finished(FinishedBuild build, java.util.function.Consumer<String> log)
      throws ImageBuildException {
    delegate.finished(build, log);
  }

  @Override
  public void cleanup(StageContext context) throws ImageBuildException {
    delegate.cleanup(context);
  }
}

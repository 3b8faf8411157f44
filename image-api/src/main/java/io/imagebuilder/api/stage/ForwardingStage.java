package io.imagebuilder.api.stage;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.OutputFormat;
import java.util.List;
import java.util.Map;

/**
 * A stage that forwards to another: extend it to wrap a stage (time it, add a step before or
 * after) with {@link Plan#wrap}. The wrapper keeps the delegate's type, options and id.
 */
public abstract class ForwardingStage implements Stage {
  private final Stage delegate;

  protected ForwardingStage(Stage delegate) {
    this.delegate = delegate;
  }

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

  @Override
  public Map<String, Object> options() {
    return delegate.options();
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
  public void run(StageContext context) throws ImageBuildException, InterruptedException {
    delegate.run(context);
  }

  @Override
  public void cleanup(StageContext context) throws ImageBuildException {
    delegate.cleanup(context);
  }
}

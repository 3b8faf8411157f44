package io.imagebuilder.api.exec;

import io.imagebuilder.api.error.MissingModuleException;
import io.imagebuilder.api.spec.Architecture;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds execution strategies on the classpath by name, or picks one with {@code auto}. */
public final class ExecutionStrategies {
  /** Picks native when the host runs the target's binaries, else qemu-user. */
  public static final String AUTO = "auto";

  private ExecutionStrategies() {}

  /** {@return every strategy on the classpath, ordered by preference} */
  public static List<ExecutorProvider> available() {
    List<ExecutorProvider> out = new ArrayList<>();
    ServiceLoader.load(ExecutorProvider.class).forEach(out::add);
    out.sort(
        Comparator.comparingInt(ExecutorProvider::preference)
            .thenComparing(ExecutorProvider::name));
    return out;
  }

  /**
   * The strategy called {@code name} ({@code auto} picks one) for running {@code target} on this
   * host.
   *
   * @param name a strategy name, e.g. {@code native} or {@code qemu-user}
   * @param target the architecture of the image
   * @return the strategy's provider
   * @throws IllegalArgumentException for an unknown name or one that cannot run the target
   * @throws MissingModuleException when no strategy is on the classpath at all
   */
  public static ExecutorProvider find(String name, Architecture target) {
    List<ExecutorProvider> all = available();
    if (all.isEmpty()) {
      throw new MissingModuleException("no execution strategy is available", "image-arm");
    }
    Architecture host = Architecture.host();
    if (AUTO.equals(name)) {
      return all.stream()
          .filter(p -> p.supports(target, host))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "no execution strategy runs "
                          + target
                          + " binaries on this "
                          + host
                          + " host (known: "
                          + names(all)
                          + ")"));
    }
    ExecutorProvider found =
        all.stream()
            .filter(p -> p.name().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown executor '"
                            + name
                            + "' (expected auto or one of "
                            + names(all)
                            + ")"));
    if (!found.supports(target, host)) {
      throw new IllegalArgumentException(
          "executor '"
              + name
              + "' cannot run "
              + target
              + " binaries on this "
              + host
              + " host (expected auto or one of "
              + all.stream()
                  .filter(p -> p.supports(target, host))
                  .map(ExecutorProvider::name)
                  .collect(Collectors.joining(", "))
              + ")");
    }
    return found;
  }

  private static String names(List<ExecutorProvider> all) {
    return all.stream().map(ExecutorProvider::name).collect(Collectors.joining(", "));
  }
}

package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code rootfs.packages}: installs the requested packages with apt inside the target and purges
 * the excluded ones.
 *
 * <p>Options: {@code install} (the spec's packages, plus sudo when a user needs it), {@code
 * purge}. Recommends are not installed, to keep images small and their contents explicit. The
 * executor keeps services from starting (policy-rc.d) while apt runs.
 */
final class PackagesStage implements Stage {
  private final List<String> install;
  private final List<String> purge;

  PackagesStage(ImageSpec spec) {
    TreeSet<String> names = new TreeSet<>(spec.packages());
    if (spec.users().stream().anyMatch(u -> u.sudo())) {
      names.add("sudo");
    }
    this.install = List.copyOf(names);
    this.purge = spec.excludedPackages();
  }

  /** Whether the spec asks for any package work at all. */
  static boolean needed(ImageSpec spec) {
    return !spec.packages().isEmpty()
        || !spec.excludedPackages().isEmpty()
        || spec.users().stream().anyMatch(u -> u.sudo());
  }

  @Override
  public String type() {
    return "rootfs.packages";
  }

  @Override
  public String summary() {
    List<String> parts = new ArrayList<>();
    if (!install.isEmpty()) {
      parts.add("install " + String.join(" ", install));
    }
    if (!purge.isEmpty()) {
      parts.add("purge " + String.join(" ", purge));
    }
    return String.join("; ", parts);
  }

  @Override
  public Phase phase() {
    return Phase.PACKAGES;
  }

  @Override
  public Map<String, Object> options() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("install", install);
    o.put("purge", purge);
    return o;
  }

  @Override
  public void run(StageContext context) throws ImageBuildException, InterruptedException {
    HostNetwork.provide(context.rootfs());
    context.run(Command.of("apt-get", "update"));
    if (!install.isEmpty()) {
      context.run(Command.of(aptGet(List.of("install", "--yes", "--no-install-recommends"), install)));
    }
    if (!purge.isEmpty()) {
      context.run(Command.of(aptGet(List.of("purge", "--yes", "--auto-remove"), purge)));
    }
  }

  private static List<String> aptGet(List<String> action, List<String> packages) {
    List<String> argv = new ArrayList<>();
    argv.add("apt-get");
    argv.addAll(action);
    argv.addAll(packages);
    return argv;
  }
}

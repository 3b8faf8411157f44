package io.imagebuilder.console.account;

import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.console.build.Submission;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether an account's roles allow what a build asks for: extra repositories or PPAs, uploaded
 * .debs (a side repository), a base image. Pure: the roles held and the settings decide.
 */
public final class SubmissionPolicy {
  private final PolicySettings settings;

  public SubmissionPolicy(PolicySettings settings) {
    this.settings = settings;
  }

  /** The settings it applies. */
  public PolicySettings settings() {
    return settings;
  }

  /**
   * Why {@code held} (every role held, included ones too) may not queue {@code submissions}, or
   * empty when it may. The message names the field, the role needed and the roles held.
   */
  public Optional<String> refusal(List<Submission> submissions, Set<Role> held) {
    for (Submission s : submissions) {
      Optional<String> why = refusal(s, held);
      if (why.isPresent()) {
        return why;
      }
    }
    return Optional.empty();
  }

  private Optional<String> refusal(Submission s, Set<Role> held) {
    ImageSpec spec = s.builder().spec();
    boolean request = !"spec".equals(s.imageType());
    if (!spec.repositories().isEmpty()) {
      Optional<String> why =
          need("repositories", "extra repositories", settings.extraRepositories(), held);
      if (why.isPresent()) {
        return why;
      }
    }
    if (!spec.ppas().isEmpty()) {
      Optional<String> why =
          need(request ? "ppa_list" : "ppas", "PPAs", settings.extraRepositories(), held);
      if (why.isPresent()) {
        return why;
      }
    }
    if (!spec.localPackages().isEmpty()) {
      Optional<String> why =
          need(
              request ? "local_packages" : "localPackages",
              "uploaded .debs (a side repository)",
              settings.localPackages(),
              held);
      if (why.isPresent()) {
        return why;
      }
    }
    if (spec.baseImage() != null) {
      return need(request ? "image" : "baseImage", "a base image", settings.baseImage(), held);
    }
    return Optional.empty();
  }

  private static Optional<String> need(String field, String what, Role role, Set<Role> held) {
    if (held.contains(role)) {
      return Optional.empty();
    }
    return Optional.of(
        "field '"
            + field
            + "' ("
            + what
            + ") needs role "
            + role.label()
            + " (console.policy); the caller holds "
            + held.stream().sorted().map(Role::label).toList());
  }

  /** The roles the caller holds, included ones too. */
  public static Set<Role> held(org.springframework.security.core.Authentication caller) {
    Set<Role> held = java.util.EnumSet.noneOf(Role.class);
    for (Role r : Role.values()) {
      if (Authorities.has(caller, r)) {
        held.add(r);
      }
    }
    return held;
  }
}

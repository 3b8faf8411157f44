package io.imagebuilder.console.account;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which role a build needs for what it asks ({@code console.policy.*} properties), and which role
 * may mark a build as a release. Each role includes the ones before it (view, build, release,
 * admin).
 *
 * @param extraRepositories the role that may add repositories or PPAs; default build
 * @param localPackages the role that may add .debs (a side repository); default build
 * @param baseImage the role that may build on a base image (by URL); default build
 * @param release the role that may mark a build as a release; default release
 */
@ConfigurationProperties("console.policy")
public record PolicySettings(
    Role extraRepositories, Role localPackages, Role baseImage, Role release) {
  public PolicySettings {
    extraRepositories = atLeastBuild("extra-repositories", extraRepositories);
    localPackages = atLeastBuild("local-packages", localPackages);
    baseImage = atLeastBuild("base-image", baseImage);
    release = atLeastBuild("release", release == null ? Role.RELEASE : release);
  }

  /** The defaults: build for every field, release for releases. */
  public static PolicySettings defaults() {
    return new PolicySettings(null, null, null, null);
  }

  private static Role atLeastBuild(String property, Role role) {
    if (role == null) {
      return Role.BUILD;
    }
    if (role == Role.VIEW) {
      throw new IllegalArgumentException(
          "invalid console.policy."
              + property
              + " 'view' (expected build, release or admin: a viewer submits nothing)");
    }
    return role;
  }
}

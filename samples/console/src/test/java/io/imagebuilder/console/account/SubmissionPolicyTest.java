package io.imagebuilder.console.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.console.build.Submission;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubmissionPolicyTest {
  private static final Set<Role> BUILDER = Role.BUILD.withIncluded();
  private static final Set<Role> RELEASER = Role.RELEASE.withIncluded();

  private static Submission plain() {
    return new Submission("rootfs", ImageBuilder.forSeries("bookworm").withPackages("hello"), "");
  }

  private static Submission withPpa(String imageType) {
    return new Submission(imageType, ImageBuilder.forSeries("noble").withPpa("ppa:owner/name"), "");
  }

  @Test
  void theDefaultsLetABuilderUseEveryField() {
    SubmissionPolicy p = new SubmissionPolicy(PolicySettings.defaults());
    assertEquals(Optional.empty(), p.refusal(List.of(plain(), withPpa("rootfs")), BUILDER));
    assertEquals(Role.RELEASE, p.settings().release());
  }

  @Test
  void refusesAFieldTheRolesDoNotAllowNamingFieldAndRole() {
    SubmissionPolicy p = new SubmissionPolicy(new PolicySettings(Role.RELEASE, null, null, null));
    assertEquals(
        Optional.of(
            "field 'ppa_list' (PPAs) needs role release (console.policy); the caller holds"
                + " [view, build]"),
        p.refusal(List.of(plain(), withPpa("rootfs")), BUILDER));
    assertEquals(
        Optional.of(
            "field 'ppas' (PPAs) needs role release (console.policy); the caller holds"
                + " [view, build]"),
        p.refusal(List.of(withPpa("spec")), BUILDER));
    assertEquals(Optional.empty(), p.refusal(List.of(withPpa("rootfs")), RELEASER));
    assertEquals(
        Optional.empty(), p.refusal(List.of(withPpa("rootfs")), EnumSet.allOf(Role.class)));
  }

  @Test
  void aViewerMayNeverBeTheRoleAFieldNeeds() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> new PolicySettings(null, Role.VIEW, null, null));
    assertEquals(
        "invalid console.policy.local-packages 'view' (expected build, release or admin: a viewer"
            + " submits nothing)",
        e.getMessage());
  }

  @Test
  void releaseSitsBetweenBuildAndAdmin() {
    assertEquals(EnumSet.of(Role.VIEW, Role.BUILD, Role.RELEASE), RELEASER);
    assertEquals(Role.RELEASE, Role.parse("release"));
  }
}

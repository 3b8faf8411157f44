package io.imagebuilder.console.web;

import io.imagebuilder.console.account.AuditLog;
import io.imagebuilder.console.account.Authorities;
import io.imagebuilder.console.account.Role;
import io.imagebuilder.console.build.BuildService;
import io.imagebuilder.console.build.BuildView;
import io.imagebuilder.console.build.Submission;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Submitting and cancelling on behalf of the caller, for the API and the UI alike: records who and
 * from where, checks that only the submitter or an admin cancels, and writes the audit log.
 */
@Component
public class BuildActions {
  private final BuildService builds;
  private final AuditLog audit;

  public BuildActions(BuildService builds, AuditLog audit) {
    this.builds = builds;
    this.audit = audit;
  }

  /** Queues the submissions as the caller's. */
  public List<BuildView> submit(List<Submission> submissions, HttpServletRequest request) {
    String who = caller().getName();
    List<BuildView> queued = builds.submit(submissions, who, request.getRemoteAddr());
    for (BuildView b : queued) {
      audit.record(who, "submit", b.id(), request.getRemoteAddr());
    }
    return queued;
  }

  /**
   * Cancels a build of the caller's; an admin may cancel anyone's.
   *
   * @throws AccessDeniedException for another account's build
   */
  public BuildView cancel(BuildView build, HttpServletRequest request) {
    Authentication caller = caller();
    if (!caller.getName().equals(build.submittedBy()) && !Authorities.has(caller, Role.ADMIN)) {
      throw new AccessDeniedException(
          "build "
              + build.id()
              + " was submitted by '"
              + build.submittedBy()
              + "'; only that account or an admin may cancel it");
    }
    audit.record(caller.getName(), "cancel", build.id(), request.getRemoteAddr());
    return builds.cancel(build.id()).orElseThrow();
  }

  private static Authentication caller() {
    return SecurityContextHolder.getContext().getAuthentication();
  }
}

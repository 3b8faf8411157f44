package io.imagebuilder.console.web;

import io.imagebuilder.console.account.AuditLog;
import io.imagebuilder.console.account.Authorities;
import io.imagebuilder.console.account.PolicySettings;
import io.imagebuilder.console.account.Role;
import io.imagebuilder.console.account.SubmissionPolicy;
import io.imagebuilder.console.build.BuildService;
import io.imagebuilder.console.build.BuildView;
import io.imagebuilder.console.build.Submission;
import io.imagebuilder.console.retention.Quotas;
import io.imagebuilder.console.retention.Retention;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Submitting, cancelling and releasing on behalf of the caller, for the API and the UI alike:
 * records who, from where and how (api or ui), applies the role limits and quotas, checks that only
 * the submitter or an admin cancels, and writes the audit log.
 */
@Component
public class BuildActions {
  private final BuildService builds;
  private final AuditLog audit;
  private final SubmissionPolicy policy;
  private final Quotas quotas;
  private final Retention retention;

  public BuildActions(
      BuildService builds,
      AuditLog audit,
      PolicySettings policy,
      Quotas quotas,
      Retention retention) {
    this.builds = builds;
    this.audit = audit;
    this.policy = new SubmissionPolicy(policy);
    this.quotas = quotas;
    this.retention = retention;
  }

  /**
   * Queues the submissions as the caller's.
   *
   * @throws AccessDeniedException when the caller's roles do not allow a field of one (nothing is
   *     queued)
   * @throws ApiErrors.Conflict when the caller's stored builds have reached its quota
   */
  public List<BuildView> submit(List<Submission> submissions, HttpServletRequest request) {
    Authentication caller = caller();
    String who = caller.getName();
    var refused = policy.refusal(submissions, SubmissionPolicy.held(caller));
    if (refused.isPresent()) {
      audit.record(who, "submit refused", refused.get(), request.getRemoteAddr());
      throw new AccessDeniedException(refused.get());
    }
    var over = quotas.refusal(who);
    if (over.isPresent()) {
      audit.record(who, "submit refused", over.get(), request.getRemoteAddr());
      throw new ApiErrors.Conflict(over.get());
    }
    String via = request.getRequestURI().startsWith("/api/") ? "api" : "ui";
    List<BuildView> queued = builds.submit(submissions, who, request.getRemoteAddr(), via);
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

  /**
   * Marks a finished build as a release, which retention never removes.
   *
   * @throws AccessDeniedException when the caller lacks the role {@code console.policy.release}
   *     names
   * @throws ApiErrors.Conflict when the build has not succeeded or has expired
   */
  public BuildView release(BuildView build, HttpServletRequest request) {
    Authentication caller = caller();
    Role needed = policy.settings().release();
    if (!Authorities.has(caller, needed)) {
      audit.record(caller.getName(), "release refused", build.id(), request.getRemoteAddr());
      throw new AccessDeniedException(
          "marking a build as a release needs role "
              + needed.label()
              + " (console.policy.release); the caller holds "
              + SubmissionPolicy.held(caller).stream().sorted().map(Role::label).toList());
    }
    BuildView b;
    try {
      b = retention.release(build.id(), caller.getName()).orElseThrow();
    } catch (IllegalStateException e) {
      throw new ApiErrors.Conflict(e.getMessage());
    }
    audit.record(caller.getName(), "release", build.id(), request.getRemoteAddr());
    return b;
  }

  private static Authentication caller() {
    return SecurityContextHolder.getContext().getAuthentication();
  }
}

package io.imagebuilder.console.web;

import io.imagebuilder.api.BuildCache;
import io.imagebuilder.console.account.AuditLog;
import io.imagebuilder.console.retention.DiskSpace;
import io.imagebuilder.console.retention.DiskUsage;
import io.imagebuilder.console.retention.Retention;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.security.Principal;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Disk space: what uses it, and (admins) retention and the cache's collection run now. */
@RestController
@ApiController
@RequestMapping("/api")
public class DiskApiController {
  private final DiskSpace disk;
  private final Retention retention;
  private final AuditLog audit;

  public DiskApiController(DiskSpace disk, Retention retention, AuditLog audit) {
    this.disk = disk;
    this.retention = retention;
    this.audit = audit;
  }

  @Operation(
      summary = "What uses the disk",
      description =
          "Bytes of artifacts (in all, per account, per trigger) and logs, the library's cache"
              + " part by part, free space on the data directory, and what the next retention"
              + " run would remove.")
  @GetMapping("/disk")
  public DiskUsage usage() throws IOException {
    return disk.usage();
  }

  @Operation(
      summary = "Run retention now (admin)",
      description = "Removes the artifacts and logs of the builds the rules choose; returns them.")
  @PostMapping("/admin/retention")
  public List<Retention.Pending> runRetention(Principal caller, HttpServletRequest request) {
    return retention.run(caller.getName(), request.getRemoteAddr());
  }

  @Operation(summary = "Collect the library's cache down to its cap now (admin)")
  @PostMapping("/admin/cache/collect")
  public BuildCache.Collection collectCache(Principal caller, HttpServletRequest request)
      throws IOException {
    BuildCache.Collection c = disk.collectCache();
    audit.record(
        caller.getName(),
        "collect cache",
        c.removedEntries() + " entries, " + c.freedBytes() + " bytes",
        request.getRemoteAddr());
    return c;
  }
}

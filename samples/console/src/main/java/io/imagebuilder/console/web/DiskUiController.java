package io.imagebuilder.console.web;

import io.imagebuilder.console.build.BuildStore;
import io.imagebuilder.console.build.BuildView;
import io.imagebuilder.console.retention.DiskSpace;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/** The web UI's disk-space page, and marking a build as a release from its page. */
@Controller
public class DiskUiController {
  private final DiskSpace disk;
  private final BuildStore store;
  private final BuildActions actions;

  public DiskUiController(DiskSpace disk, BuildStore store, BuildActions actions) {
    this.disk = disk;
    this.store = store;
    this.actions = actions;
  }

  @GetMapping("/disk")
  public String disk(Model model) throws IOException {
    model.addAttribute("disk", disk.usage());
    return "disk";
  }

  @PostMapping("/builds/{id}/release")
  public String release(
      @PathVariable String id,
      Model model,
      HttpServletRequest request,
      HttpServletResponse response) {
    BuildView b = store.find(id).orElse(null);
    if (b == null) {
      response.setStatus(HttpServletResponse.SC_NOT_FOUND);
      model.addAttribute("error", "no build '" + ApiText.excerpt(id) + "'");
      return "lookup";
    }
    try {
      actions.release(b, request);
    } catch (AccessDeniedException | ApiErrors.Conflict e) {
      response.setStatus(
          e instanceof AccessDeniedException
              ? HttpServletResponse.SC_FORBIDDEN
              : HttpServletResponse.SC_CONFLICT);
      model.addAttribute("build", b);
      model.addAttribute("policyError", e.getMessage());
      return "build";
    }
    return "redirect:/builds/" + id;
  }
}

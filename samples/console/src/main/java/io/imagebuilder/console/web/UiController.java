package io.imagebuilder.console.web;

import io.imagebuilder.api.BuildRequest;
import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.console.build.BuildStore;
import io.imagebuilder.console.build.BuildView;
import io.imagebuilder.console.build.SubmissionReader;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/**
 * The web UI, rendered on the server: start a build, the queue, a build's stages and live log and
 * artifacts, and the lookup of an image by hash or file.
 */
@Controller
public class UiController {
  private final BuildStore store;
  private final SubmissionReader reader;
  private final Manifests manifests;
  private final ImageApiController images;
  private final BuildActions actions;

  public UiController(
      BuildStore store,
      SubmissionReader reader,
      Manifests manifests,
      ImageApiController images,
      BuildActions actions) {
    this.store = store;
    this.reader = reader;
    this.manifests = manifests;
    this.images = images;
    this.actions = actions;
  }

  /** The login form (Spring Security checks what it posts). */
  @GetMapping("/login")
  public String login() {
    return "login";
  }

  @GetMapping("/")
  public String index(Model model) {
    return home(model, new BuildForm("rootfs", "bookworm", "amd64", "", "minbase", "", ""));
  }

  private String home(Model model, BuildForm form) {
    model.addAttribute("form", form);
    model.addAttribute("builds", store.all());
    model.addAttribute("boards", Boards.all().stream().map(Board::id).sorted().toList());
    return "index";
  }

  /** What the start form sends. */
  public record BuildForm(
      String imageType,
      String series,
      String arch,
      String board,
      String variant,
      String packages,
      String ppas) {}

  @PostMapping("/builds")
  public String start(
      BuildForm form, Model model, HttpServletRequest request, HttpServletResponse response) {
    try {
      Map<String, Object> extra = new LinkedHashMap<>();
      if ("disk".equals(form.imageType())) {
        if (!blank(form.board())) {
          extra.put("board", form.board().trim());
        }
      } else if (!blank(form.arch())) {
        extra.put("arch", form.arch().trim());
      }
      if (!blank(form.variant())) {
        extra.put("variant", form.variant().trim());
      }
      BuildRequest r =
          new BuildRequest(
              blank(form.imageType()) ? "rootfs" : form.imageType().trim(),
              null,
              blank(form.series()) ? null : form.series().trim(),
              words(form.ppas()),
              words(form.packages()),
              "",
              extra);
      List<BuildView> queued = actions.submit(List.of(reader.fromRequest(r)), request);
      return "redirect:/builds/" + queued.get(0).id();
    } catch (IllegalArgumentException e) {
      response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
      model.addAttribute("error", e.getMessage());
      return home(model, form);
    } catch (org.springframework.security.access.AccessDeniedException | ApiErrors.Conflict e) {
      // a role limit or the quota: the form stays, with the reason
      response.setStatus(
          e instanceof ApiErrors.Conflict
              ? HttpServletResponse.SC_CONFLICT
              : HttpServletResponse.SC_FORBIDDEN);
      model.addAttribute("error", e.getMessage());
      return home(model, form);
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static List<String> words(String s) {
    return blank(s)
        ? List.of()
        : Arrays.stream(s.trim().split("[\\s,]+")).filter(w -> !w.isEmpty()).toList();
  }

  @GetMapping("/builds/{id}")
  public String build(@PathVariable String id, Model model, HttpServletResponse response) {
    BuildView b = store.find(id).orElse(null);
    if (b == null) {
      response.setStatus(HttpServletResponse.SC_NOT_FOUND);
      model.addAttribute("error", "no build '" + ApiText.excerpt(id) + "'");
      return "lookup";
    }
    model.addAttribute("build", b);
    return "build";
  }

  @PostMapping("/builds/{id}/cancel")
  public String cancel(
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
    actions.cancel(b, request);
    return "redirect:/builds/" + id;
  }

  @GetMapping("/lookup")
  public String lookup(
      @RequestParam(required = false) String sha256, Model model, HttpServletResponse response) {
    if (!blank(sha256)) {
      try {
        model.addAttribute("sha256", sha256);
        manifests
            .lookup(sha256.trim())
            .ifPresentOrElse(
                v -> model.addAttribute("result", v),
                () -> {
                  response.setStatus(HttpServletResponse.SC_NOT_FOUND);
                  model.addAttribute("error", "no image with sha256 " + sha256 + " is indexed");
                });
      } catch (IllegalArgumentException e) {
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        model.addAttribute("error", e.getMessage());
      }
    }
    return "lookup";
  }

  @PostMapping("/lookup")
  public String identify(
      @RequestParam("file") MultipartFile file, Model model, HttpServletResponse response)
      throws IOException {
    try {
      model.addAttribute("result", images.identifyUpload(file));
    } catch (IllegalArgumentException | ApiErrors.NotFound e) {
      response.setStatus(
          e instanceof ApiErrors.NotFound
              ? HttpServletResponse.SC_NOT_FOUND
              : HttpServletResponse.SC_BAD_REQUEST);
      model.addAttribute("error", e.getMessage());
    }
    return "lookup";
  }
}

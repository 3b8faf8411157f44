package io.imagebuilder.console.web;

import java.security.Principal;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every page's header shows, for the controllers that render pages. */
@ControllerAdvice(assignableTypes = {UiController.class, DiskUiController.class})
class PageHeader {
  /** Who is logged in (none on the login page). */
  @ModelAttribute
  void user(Principal caller, Model model) {
    model.addAttribute("user", caller == null ? null : caller.getName());
  }
}

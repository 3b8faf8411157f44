package io.imagebuilder.samples.cli;

import io.imagebuilder.api.ImageBuilder;

/**
 * One image the command builds or plans.
 *
 * @param name the sub-directory of the output directory for this image, or null to write into the
 *     output directory itself (a single image from flags or a spec file)
 * @param builder the configured builder
 * @param trigger the progress channel of the build's events (a request's trigger), or ""
 */
record BuildTarget(String name, ImageBuilder builder, String trigger) {
  /** A target from flags or a spec file: no trigger. */
  BuildTarget(String name, ImageBuilder builder) {
    this(name, builder, "");
  }
}

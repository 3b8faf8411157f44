package io.imagebuilder.console.build;

import io.imagebuilder.api.ImageBuilder;

/**
 * One build to queue, checked: its builder holds a valid spec.
 *
 * @param imageType the request's image_type, or {@code spec} for an ImageSpec
 * @param builder what to build
 * @param trigger the progress channel, or ""
 */
public record Submission(String imageType, ImageBuilder builder, String trigger) {}

package io.imagebuilder.manifest.api;

import java.time.Instant;

/**
 * An artifact of a recorded build.
 *
 * @param buildId the build's number in the index
 * @param specHash the build's spec hash
 * @param createdAt when the build was recorded
 * @param file the artifact's file name
 * @param format its format, e.g. {@code tar.zst}
 * @param size its length in bytes
 * @param sha256 its content hash
 */
public record IndexedImage(
    long buildId,
    String specHash,
    Instant createdAt,
    String file,
    String format,
    long size,
    String sha256) {}

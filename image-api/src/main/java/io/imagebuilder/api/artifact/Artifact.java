package io.imagebuilder.api.artifact;

import io.imagebuilder.api.spec.OutputFormat;
import java.nio.file.Path;

/**
 * A file a build wrote.
 *
 * @param file where it is
 * @param format what it is
 * @param size its length in bytes
 * @param sha256 its content hash, 64 hex digits
 */
public record Artifact(Path file, OutputFormat format, long size, String sha256) {}

package io.imagebuilder.api.stage;

/**
 * A base image a build started from instead of bootstrapping, so the manifest traces a derived
 * image back to its base (see {@link BuildProvenance}).
 *
 * @param sha256 sha256 of the base image file, 64 hex digits
 * @param specHash the spec hash of the base's embedded manifest, or null when it had none
 */
public record BaseImage(String sha256, String specHash) {}

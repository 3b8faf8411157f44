package io.imagebuilder.api.stage;

/**
 * Where an installed package's .deb came from.
 *
 * @param name package name
 * @param version version installed
 * @param architecture its architecture ({@code all} or the target's)
 * @param debSha256 sha256 of the .deb file
 * @param repository name of the {@link UsedRepository} it came from
 */
public record PackageOrigin(
    String name, String version, String architecture, String debSha256, String repository) {}

package io.imagebuilder.manifest.api;

/**
 * An image that contains a package, with the package as installed there.
 *
 * @param image the artifact
 * @param name package name
 * @param version the version installed in that image
 * @param architecture its architecture
 */
public record PackageMatch(IndexedImage image, String name, String version, String architecture) {}

package io.imagebuilder.rootfs.internal.tar;

import java.nio.file.Path;

/**
 * A tarball that was written: its final path, and the SHA-256 and size of its bytes as written.
 *
 * @param file the tarball, under its final name
 * @param sha256 lower-case hex SHA-256 of the file
 * @param size its size in bytes
 */
public record TarballResult(Path file, String sha256, long size) {}

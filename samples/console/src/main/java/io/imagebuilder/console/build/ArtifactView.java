package io.imagebuilder.console.build;

/**
 * One artifact of a finished build.
 *
 * @param name its file name in the build's output directory
 * @param format e.g. {@code tar.zst}
 * @param size its size in bytes
 * @param sha256 its sha256, also the ETag of its download
 * @param launchCommand the qemu command line that boots it (disk images of boards qemu emulates),
 *     or null
 */
public record ArtifactView(
    String name, String format, long size, String sha256, String launchCommand) {}

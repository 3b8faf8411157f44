package io.imagebuilder.rootfs.internal.deb;

import io.imagebuilder.api.error.ImageBuildException;

/**
 * A package was rejected because one of its data.tar entries would write outside the rootfs or
 * create something a package must not create (device node, FIFO, a path through its own symlink).
 */
public class UnsafePackageException extends ImageBuildException {
  private static final long serialVersionUID = 1L;
  private final String packageName;
  private final String entry;

  public UnsafePackageException(String packageName, String entry, String reason) {
    super("package '" + packageName + "' rejected: entry '" + entry + "' " + reason);
    this.packageName = packageName;
    this.entry = entry;
  }

  /** The package that was rejected. */
  public String packageName() {
    return packageName;
  }

  /** The data.tar entry name, as it appears in the archive. */
  public String entry() {
    return entry;
  }
}

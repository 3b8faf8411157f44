package io.imagebuilder.api.stage;

/** The order of a build; stages are sorted by phase, then by {@link Stage#orderInPhase()}. */
public enum Phase {
  /** The base system, from the archive or a base image. */
  BOOTSTRAP,
  /** Extra apt sources, PPAs and side repositories. */
  SOURCES,
  /**
   * Requested and excluded packages; first in it, a board's kernel, firmware and boot packages,
   * which do not depend on the requested ones (so a changed package list reuses them).
   */
  PACKAGES,
  /** The board's boot configuration: fstab, bootloader files, what carries the disk's ids. */
  BOARD,
  /** Host name, users, files. */
  CUSTOMISE,
  /** Reproducibility clean-up. */
  FINALISE,
  /** Tarballs and disk images. */
  ASSEMBLE,
  /** Manifest, SBOM, index. */
  RECORD
}

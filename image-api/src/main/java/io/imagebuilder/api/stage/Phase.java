package io.imagebuilder.api.stage;

/** The order of a build; stages are sorted by phase, then by {@link Stage#orderInPhase()}. */
public enum Phase {
  /** The base system, from the archive or a base image. */
  BOOTSTRAP,
  /** Extra apt sources, PPAs and side repositories. */
  SOURCES,
  /** Requested and excluded packages. */
  PACKAGES,
  /** Kernel, firmware and bootloader of the board. */
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

package io.imagebuilder.manifest.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One package installed in the image, as dpkg records it, with where its .deb came from when the
 * build knows it.
 *
 * @param name the binary package name
 * @param version the installed version, with its epoch if it has one
 * @param architecture {@code all} or a Debian architecture
 * @param multiArch dpkg's {@code Multi-Arch} field ({@code same}, {@code foreign}, {@code allowed})
 *     or null
 * @param source the source package it was built from (the binary name when dpkg names none)
 * @param sourceVersion the source package's version (the binary version when dpkg names none)
 * @param debSha256 sha256 of the .deb that was installed, or null when the build did not fetch it
 * @param repository name of the {@link ManifestRepository} the .deb came from, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ManifestPackage(
    String name,
    String version,
    String architecture,
    String multiArch,
    String source,
    String sourceVersion,
    String debSha256,
    String repository) {

  /**
   * The name dpkg shows as {@code ${binary:Package}}: {@code name:arch} for a {@code Multi-Arch:
   * same} package (several architectures may be installed side by side), else the bare name.
   *
   * @return {@code name:arch} or {@code name}
   */
  public String binaryPackage() {
    return "same".equals(multiArch) ? name + ":" + architecture : name;
  }

  /**
   * This package as a lock entry.
   *
   * @return {@code name:arch=version}: the form apt-get accepts to install exactly this package
   */
  public String lockEntry() {
    return name + ":" + architecture + "=" + version;
  }
}

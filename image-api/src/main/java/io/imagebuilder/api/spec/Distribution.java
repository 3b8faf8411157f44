package io.imagebuilder.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/** A distribution family: where its archive is and which series it has. */
public enum Distribution {
  /** Debian. */
  DEBIAN(
      "debian",
      "http://deb.debian.org/debian",
      "http://deb.debian.org/debian",
      List.of("main"),
      List.of("buster", "bullseye", "bookworm", "trixie", "forky", "sid")),
  /** Ubuntu. */
  UBUNTU(
      "ubuntu",
      "http://archive.ubuntu.com/ubuntu",
      "http://ports.ubuntu.com/ubuntu-ports",
      List.of("main"),
      List.of("focal", "jammy", "noble", "oracular", "plucky", "questing"));

  private final String id;
  private final String primaryMirror;
  private final String portsMirror;
  private final List<String> defaultComponents;
  private final List<String> knownSeries;

  Distribution(
      String id,
      String primaryMirror,
      String portsMirror,
      List<String> defaultComponents,
      List<String> knownSeries) {
    this.id = id;
    this.primaryMirror = primaryMirror;
    this.portsMirror = portsMirror;
    this.defaultComponents = defaultComponents;
    this.knownSeries = knownSeries;
  }

  /** {@return the name in a spec's JSON, e.g. {@code debian}} */
  @JsonValue
  public String id() {
    return id;
  }

  /**
   * {@return the series this library knows by name; others can be given as {@code
   * distribution/series}}
   */
  public List<String> knownSeries() {
    return knownSeries;
  }

  /** {@return the archive components used when a spec names none, e.g. {@code main}} */
  public List<String> defaultComponents() {
    return defaultComponents;
  }

  /**
   * The archive that serves {@code arch} by default (Ubuntu keeps non-x86 on its ports mirror).
   *
   * @param arch the image's architecture
   * @return the mirror's URI
   */
  public String defaultMirror(Architecture arch) {
    boolean primary = arch == Architecture.AMD64 || arch == Architecture.I386;
    return primary ? primaryMirror : portsMirror;
  }

  /**
   * The distribution with this id.
   *
   * @param id the name in a spec's JSON
   * @return the distribution
   * @throws IllegalArgumentException naming the value and the known ids
   */
  @JsonCreator
  public static Distribution fromId(String id) {
    for (Distribution d : values()) {
      if (d.id.equals(id)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "invalid distribution '" + id + "' (expected debian or ubuntu)");
  }

  @Override
  public String toString() {
    return id;
  }
}

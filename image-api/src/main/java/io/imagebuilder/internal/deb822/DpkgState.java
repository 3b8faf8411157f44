package io.imagebuilder.internal.deb822;

import java.util.Set;

/**
 * A package's {@code Status} field in dpkg's database ({@code want flag state}, e.g. {@code install
 * ok installed}), and the library's one meaning of "installed": dpkg's state {@code installed},
 * what {@code dpkg-query -f '${db:Status-Status}'} prints (whatever the want, so a held package
 * counts). Only unpacked, half-configured, or removed with its configuration kept is not installed.
 */
public record DpkgState(String want, String flag, String state) {
  /** The states in which all of a package's files are on disk, configured or not. */
  private static final Set<String> FILES_IN_PLACE =
      Set.of("installed", "unpacked", "half-configured", "triggers-awaited", "triggers-pending");

  private static final DpkgState NONE = new DpkgState("unknown", "ok", "not-installed");

  /**
   * The state a {@code Status} value gives; a missing or malformed one is {@code not-installed}.
   */
  public static DpkgState parse(String status) {
    if (status == null) {
      return NONE;
    }
    String[] words = status.trim().split("\\s+");
    return words.length == 3 ? new DpkgState(words[0], words[1], words[2]) : NONE;
  }

  /** The state of a status-file stanza. */
  public static DpkgState of(Stanza stanza) {
    return parse(stanza.find("Status").orElse(null));
  }

  /** Installed: dpkg's state {@code installed}. */
  public boolean installed() {
    return state.equals("installed");
  }

  /**
   * The package's files are on disk (unpacked or later, configured or not): what a tool run during
   * the bootstrap, before the configure step, finds.
   */
  public boolean filesInPlace() {
    return FILES_IN_PLACE.contains(state);
  }
}

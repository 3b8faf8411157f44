package io.imagebuilder.internal.engine;

import java.nio.file.Path;
import java.util.Map;

/** Where things go when the caller does not say. */
public final class Defaults {
  private Defaults() {}

  /**
   * $XDG_CACHE_HOME/imagebuilder, else $HOME/.cache/imagebuilder, else (no $HOME) the JVM's {@code
   * user.home}/.cache/imagebuilder. {@code $HOME} comes first, as for every other tool: Java's
   * {@code user.home} is the account's home from the password database, which ignores a {@code
   * HOME} the caller set (sudo, CI runners, containers).
   */
  public static Path cacheDir() {
    return cacheDir(System.getenv(), System.getProperty("user.home"));
  }

  static Path cacheDir(Map<String, String> env, String userHome) {
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg).resolve("imagebuilder");
    }
    String home = env.get("HOME");
    Path base =
        home != null && !home.isBlank() && Path.of(home).isAbsolute()
            ? Path.of(home)
            : Path.of(userHome);
    return base.resolve(".cache").resolve("imagebuilder");
  }
}

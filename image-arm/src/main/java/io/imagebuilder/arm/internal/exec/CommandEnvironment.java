package io.imagebuilder.arm.internal.exec;

import java.util.Map;
import java.util.TreeMap;

/**
 * The complete environment of a target command: a fixed base, then the strategy's own variables
 * (such as {@code QEMU_CPU}), then the command's. Nothing of the host's environment is ever
 * included.
 */
public final class CommandEnvironment {
  /** The target's standard PATH; the program of an argv is looked up on it inside the root. */
  public static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private static final Map<String, String> BASE =
      Map.of(
          "LC_ALL", "C.UTF-8",
          "DEBIAN_FRONTEND", "noninteractive",
          "DEBCONF_NONINTERACTIVE_SEEN", "true",
          "PATH", PATH,
          "HOME", "/root");

  private CommandEnvironment() {}

  /** The base environment every command starts from. */
  public static Map<String, String> base() {
    return BASE;
  }

  /**
   * Builds the environment: base, then {@code strategy}, then {@code command}, later ones winning.
   *
   * @throws IllegalArgumentException for a name that is empty or holds {@code =} or NUL, or a value
   *     that holds NUL
   */
  public static Map<String, String> build(
      Map<String, String> strategy, Map<String, String> command) {
    Map<String, String> env = new TreeMap<>(BASE);
    putChecked(env, strategy);
    putChecked(env, command);
    return env;
  }

  private static void putChecked(Map<String, String> env, Map<String, String> add) {
    for (Map.Entry<String, String> e : add.entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      if (name == null || name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "invalid environment variable name '"
                + name
                + "' (expected a non-empty name without '=' or NUL)");
      }
      if (value == null || value.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "invalid value for environment variable " + name + " (expected a string without NUL)");
      }
      env.put(name, value);
    }
  }
}

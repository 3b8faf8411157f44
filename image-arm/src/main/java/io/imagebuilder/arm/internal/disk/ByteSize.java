package io.imagebuilder.arm.internal.disk;

/** Sizes written as {@code 512KiB}, {@code 256MiB}, {@code 2GiB}. */
public final class ByteSize {
  public static final long KIB = 1024;
  public static final long MIB = 1024 * KIB;
  public static final long GIB = 1024 * MIB;

  private ByteSize() {}

  /**
   * Parses a size with a binary unit.
   *
   * @throws IllegalArgumentException quoting the value
   */
  public static long parse(String text) {
    if (text != null) {
      for (String unit : new String[] {"KiB", "MiB", "GiB"}) {
        if (text.endsWith(unit)) {
          String digits = text.substring(0, text.length() - unit.length());
          if (!digits.isEmpty()
              && digits.chars().allMatch(Character::isDigit)
              && digits.length() < 10) {
            long factor = unit.equals("KiB") ? KIB : unit.equals("MiB") ? MIB : GIB;
            return Long.parseLong(digits) * factor;
          }
        }
      }
    }
    throw new IllegalArgumentException(
        "invalid size '" + text + "' (expected a number with KiB, MiB or GiB, such as 256MiB)");
  }

  /** Rounds {@code bytes} up to a multiple of {@code unit}. */
  public static long alignUp(long bytes, long unit) {
    return (bytes + unit - 1) / unit * unit;
  }

  /** For messages: {@code 1.5 GiB}, {@code 300 MiB}. */
  public static String human(long bytes) {
    if (bytes >= GIB) {
      return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) GIB);
    }
    if (bytes >= MIB) {
      return String.format(java.util.Locale.ROOT, "%.0f MiB", bytes / (double) MIB);
    }
    return bytes + " bytes";
  }
}

package io.imagebuilder.rootfs.internal.stages;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The downloads {@code apt-get install --print-uris -qq -o Acquire::ForceHash=SHA256} lists, one a
 * line: {@code 'URI' FILENAME SIZE HASHTYPE:hex}. Without the ForceHash option apt 2.6 prints the
 * MD5Sum, too weak to trust a .deb that apt will then install without checking it again.
 */
final class AptPrintUris {
  private static final Pattern LINE = Pattern.compile("'([^']+)' (\\S+) (\\d+) (\\S*)");
  private static final Pattern SHA256 = Pattern.compile("SHA256:([0-9a-fA-F]{64})");

  private AptPrintUris() {}

  /**
   * One .deb apt would download.
   *
   * @param sha256 64 lowercase hex digits, or null when apt gave no SHA256
   */
  record Entry(URI uri, String fileName, long size, String sha256) {
    /** Whether it can be fetched natively: over http(s), with a SHA256 to check it against. */
    boolean fetchable() {
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https"))
          && sha256 != null
          && fileName.endsWith(".deb");
    }
  }

  /**
   * Parses apt's output; blank lines are skipped.
   *
   * @throws IllegalArgumentException naming a line that is not a download
   */
  static List<Entry> parse(String output) {
    List<Entry> entries = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      Matcher m = LINE.matcher(line.strip());
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "unexpected apt --print-uris line '" + line + "' (expected 'URI' FILENAME SIZE HASH)");
      }
      URI uri;
      try {
        uri = new URI(m.group(1));
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException(
            "invalid URI in apt --print-uris line '" + line + "'", e);
      }
      Matcher h = SHA256.matcher(m.group(4));
      String sha256 = h.matches() ? h.group(1).toLowerCase(Locale.ROOT) : null;
      entries.add(new Entry(uri, m.group(2), Long.parseLong(m.group(3)), sha256));
    }
    return entries;
  }
}

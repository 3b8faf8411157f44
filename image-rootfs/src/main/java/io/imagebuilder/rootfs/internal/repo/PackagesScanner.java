package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.internal.deb822.Deb822;
import io.imagebuilder.internal.deb822.Stanza;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a Packages index fast: a streaming scan over its bytes that keeps only the values of {@link
 * PackageRecord#FIELDS} and skips every other field (Description, Maintainer, Tag, MD5sum, ...)
 * without making strings of them. Same syntax as {@link Deb822}: stanzas separated by blank lines,
 * {@code Name: value} fields matched ignoring case, continuation lines starting with a space or
 * tab, {@code #} comment lines. A continuation line without a field, a line without a colon or a
 * kept field given twice in a stanza is an {@link IllegalArgumentException} naming the line number.
 */
public final class PackagesScanner {
  private static final int CHUNK = 1 << 16;
  private static final byte[][] NAMES = names();

  /** Fields with few distinct values: Architecture, Multi-Arch, Priority, Essential. */
  private static final boolean[] SHARED =
      shared("Architecture", "Multi-Arch", "Priority", "Essential");

  private final InputStream in;
  private final Consumer<String[]> sink;

  /** Repeated values (architectures, priorities, Multi-Arch) share one String. */
  private final Map<String, String> shared = new HashMap<>();

  private byte[] buf = new byte[CHUNK];
  private int start;
  private int end;
  private boolean eof;
  private long lineNo;

  private String[] values = new String[NAMES.length];
  private boolean inStanza;

  /** The kept field the last line belongs to, -1 for a skipped field, -2 before any field. */
  private int current = -2;

  private StringBuilder continued;

  private PackagesScanner(InputStream in, Consumer<String[]> sink) {
    this.in = in;
    this.sink = sink;
  }

  /**
   * Streams each stanza of {@code in} to {@code sink} as the values of {@link PackageRecord#FIELDS}
   * (null for absent fields; multi-line values as {@link Stanza} keeps them).
   *
   * @throws IllegalArgumentException naming the line for malformed input
   */
  public static void scan(InputStream in, Consumer<String[]> sink) throws IOException {
    new PackagesScanner(in, sink).run();
  }

  private static byte[][] names() {
    List<String> fields = PackageRecord.FIELDS;
    byte[][] out = new byte[fields.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = fields.get(i).toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    }
    return out;
  }

  private static boolean[] shared(String... fields) {
    boolean[] out = new boolean[PackageRecord.FIELDS.size()];
    for (String f : fields) {
      out[PackageRecord.FIELDS.indexOf(f)] = true;
    }
    return out;
  }

  private void run() throws IOException {
    int lineEnd;
    while ((lineEnd = nextLine()) >= 0) {
      lineNo++;
      line(start, lineEnd);
      start = lineEnd + 1;
    }
    if (start < end) { // last line without a newline
      lineNo++;
      line(start, end);
      start = end;
    }
    endStanza();
  }

  /**
   * The index of the next '\n' at or after {@code start}, reading more as needed; -1 at the end.
   */
  private int nextLine() throws IOException {
    int from = start;
    while (true) {
      for (int i = from; i < end; i++) {
        if (buf[i] == '\n') {
          return i;
        }
      }
      if (eof) {
        return -1;
      }
      from = end - start;
      fill();
      from = start + from;
    }
  }

  private void fill() throws IOException {
    if (start > 0) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      start = 0;
    }
    if (end == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
    }
    int n = in.read(buf, end, buf.length - end);
    if (n < 0) {
      eof = true;
    } else {
      end += n;
    }
  }

  private void line(int from, int to) {
    if (isBlank(from, to)) {
      endStanza();
      return;
    }
    byte first = buf[from];
    if (first == '#') {
      return;
    }
    if (first == ' ' || first == '\t') {
      if (current == -2) {
        throw new IllegalArgumentException(
            "line "
                + lineNo
                + ": continuation line without a field: '"
                + text(from, Math.min(to, from + 60))
                + "'");
      }
      if (current >= 0) {
        if (continued == null) {
          continued = new StringBuilder(values[current]);
        }
        continued.append('\n').append(text(from, to));
      }
      return;
    }
    finishField();
    inStanza = true;
    int colon = -1;
    for (int i = from; i < to; i++) {
      if (buf[i] == ':') {
        colon = i;
        break;
      }
    }
    if (colon <= from) {
      throw new IllegalArgumentException(
          "line "
              + lineNo
              + ": expected 'Name: value', got '"
              + text(from, Math.min(to, from + 60))
              + "'");
    }
    current = field(from, colon);
    if (current < 0) {
      return;
    }
    if (values[current] != null) {
      throw new IllegalArgumentException(
          "line " + lineNo + ": field '" + text(from, colon) + "' appears twice in one stanza");
    }
    int v = colon + 1;
    while (v < to && (buf[v] == ' ' || buf[v] == '\t')) {
      v++;
    }
    values[current] = value(v, to);
  }

  /** Which kept field the name is, or -1. */
  private int field(int from, int to) {
    int len = to - from;
    for (int f = 0; f < NAMES.length; f++) {
      byte[] name = NAMES[f];
      if (name.length != len) {
        continue;
      }
      int i = 0;
      while (i < len && lower(buf[from + i]) == name[i]) {
        i++;
      }
      if (i == len) {
        return f;
      }
    }
    return -1;
  }

  private static byte lower(byte b) {
    return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
  }

  private String value(int from, int to) {
    while (to > from && isSpace(buf[to - 1])) {
      to--;
    }
    String s = text(from, to);
    if (SHARED[current]) {
      String known = shared.putIfAbsent(s, s);
      return known == null ? s : known;
    }
    return s;
  }

  private void finishField() {
    if (continued != null) {
      int len = continued.length();
      while (len > 0 && Character.isWhitespace(continued.charAt(len - 1))) {
        len--;
      }
      values[current] = continued.substring(0, len);
      continued = null;
    }
  }

  private void endStanza() {
    finishField();
    current = -2;
    if (!inStanza) {
      return;
    }
    inStanza = false;
    String[] done = values;
    values = new String[NAMES.length];
    sink.accept(done);
  }

  private boolean isBlank(int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = buf[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0x0b || b == '\f';
  }

  private String text(int from, int to) {
    return new String(buf, from, to - from, StandardCharsets.UTF_8);
  }
}

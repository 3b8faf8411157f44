package io.imagebuilder.rootfs.internal.deb;

import io.imagebuilder.api.error.ImageBuildException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * A Debian binary package ({@code .deb}): an ar archive of {@code debian-binary}, {@code
 * control.tar[.gz|.xz|.zst]} and {@code data.tar[.gz|.xz|.zst|.bz2]}.
 *
 * <p>{@link #open} reads the control archive into memory (it is small); the data archive is
 * streamed from the file by {@link #openData()} each time it is needed.
 */
public final class DebFile {
  /** The control files dpkg knows, besides {@code control} itself. */
  public static final List<String> CONTROL_FILES =
      List.of(
          "preinst",
          "postinst",
          "prerm",
          "postrm",
          "config",
          "templates",
          "triggers",
          "shlibs",
          "symbols",
          "conffiles",
          "md5sums");

  private static final int BUFFER = 128 * 1024;

  /**
   * The most control.tar may unpack to: real ones hold kilobytes; this stops a decompression bomb.
   */
  static final int MAX_CONTROL_BYTES = 64 << 20;

  private static final List<String> CONTROL_SUFFIXES = List.of("", ".gz", ".xz", ".zst");
  private static final List<String> DATA_SUFFIXES = List.of("", ".gz", ".xz", ".zst", ".bz2");

  private final Path path;
  private final String controlText;
  private final ControlStanza control;
  private final Map<String, byte[]> controlFiles;
  private final List<TarArchiveEntry> controlEntries;
  private final String dataMember;

  private DebFile(Path path, String controlText, Control control, String dataMember) {
    this.path = path;
    this.controlText = controlText;
    this.control = ControlStanza.parse(controlText);
    this.controlFiles = Collections.unmodifiableMap(control.files());
    this.controlEntries = List.copyOf(control.entries());
    this.dataMember = dataMember;
  }

  /** What control.tar held: the plain files read by name, and every entry's header. */
  private record Control(Map<String, byte[]> files, List<TarArchiveEntry> entries) {}

  /**
   * Reads the package's structure and control archive.
   *
   * @throws DebFormatException naming the file if it is not a well-formed .deb
   */
  public static DebFile open(Path deb) throws ImageBuildException {
    try (ArArchiveInputStream ar = openAr(deb)) {
      ArArchiveEntry first = ar.getNextEntry();
      if (first == null || !first.getName().equals("debian-binary")) {
        throw new DebFormatException(deb + " is not a .deb (expected debian-binary first)");
      }
      String version = new String(ar.readAllBytes(), StandardCharsets.US_ASCII).strip();
      if (!version.startsWith("2.")) {
        throw new DebFormatException(
            deb + " has unsupported format version '" + version + "' (expected 2.x)");
      }
      Control controlFiles = null;
      String dataMember = null;
      for (ArArchiveEntry e = ar.getNextEntry(); e != null; e = ar.getNextEntry()) {
        String name = e.getName();
        if (controlFiles == null && isMember(name, "control.tar", CONTROL_SUFFIXES)) {
          controlFiles = readControl(deb, name, decompress(name, ar));
        } else if (isMember(name, "data.tar", DATA_SUFFIXES)) {
          dataMember = name;
          requireWhole(deb, ar.getBytesRead() + e.getLength());
          break;
        } else if (!name.startsWith("_")) {
          throw new DebFormatException(deb + " has unexpected member '" + name + "'");
        }
      }
      if (controlFiles == null || dataMember == null) {
        throw new DebFormatException(
            deb + " lacks " + (controlFiles == null ? "control.tar" : "data.tar"));
      }
      byte[] control = controlFiles.files().remove("control");
      if (control == null) {
        throw new DebFormatException(deb + " has no control file in its control.tar");
      }
      return new DebFile(
          deb, new String(control, StandardCharsets.UTF_8), controlFiles, dataMember);
    } catch (EOFException e) {
      throw new DebFormatException(
          "cannot read "
              + deb
              + ": it ends early (truncated or damaged, "
              + sizeOf(deb)
              + " bytes)",
          e);
    } catch (IOException | IllegalArgumentException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new DebFormatException("cannot read " + deb + ": " + why, e);
    }
  }

  /** A truncated download or copy fails here, naming the sizes, not deep inside the unpacker. */
  private static void requireWhole(Path deb, long expectedEnd)
      throws IOException, DebFormatException {
    long size = Files.size(deb);
    if (size < expectedEnd) {
      throw new DebFormatException(
          deb
              + " is truncated: its data.tar ends at byte "
              + expectedEnd
              + " but the file has "
              + size
              + " bytes");
    }
  }

  private static String sizeOf(Path deb) {
    try {
      return String.valueOf(Files.size(deb));
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The file this was read from. */
  public Path path() {
    return path;
  }

  /** The {@code control} file's text, exactly as in the package. */
  public String controlText() {
    return controlText;
  }

  /** The parsed {@code control} file. */
  public ControlStanza control() {
    return control;
  }

  /** The {@code Package} field. */
  public String packageName() {
    return control.get("Package").orElse("");
  }

  /** The {@code Version} field, or empty. */
  public String version() {
    return control.get("Version").orElse("");
  }

  /**
   * The headers of every entry of control.tar, in archive order, as found: {@link DebCheck} refuses
   * a package whose control archive holds anything but plain control files.
   */
  public List<TarArchiveEntry> controlEntries() {
    return controlEntries;
  }

  /** The {@code Architecture} field. */
  public String architecture() {
    return control.get("Architecture").orElse("");
  }

  /**
   * The other files of control.tar (maintainer scripts, conffiles, md5sums, ...), by name without
   * the leading {@code ./}; {@code control} itself is not among them.
   */
  public Map<String, byte[]> controlFiles() {
    return controlFiles;
  }

  /** One control file's bytes, e.g. {@code postinst}. */
  public Optional<byte[]> controlFile(String name) {
    return Optional.ofNullable(controlFiles.get(name));
  }

  /**
   * The conffiles the package declares (absolute paths), without those flagged {@code
   * remove-on-upgrade} (they are not shipped).
   */
  public List<String> conffiles() {
    byte[] bytes = controlFiles.get("conffiles");
    if (bytes == null) {
      return List.of();
    }
    List<String> result = new java.util.ArrayList<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      if (trimmed.startsWith("/")) {
        result.add(trimmed);
      } else if (!trimmed.startsWith("remove-on-upgrade ")) {
        int space = trimmed.indexOf(' ');
        result.add(trimmed.substring(space + 1).strip());
      }
    }
    return result;
  }

  /** The name of the data member, e.g. {@code data.tar.xz}. */
  public String dataMember() {
    return dataMember;
  }

  /**
   * Opens a fresh stream over the decompressed data.tar. Entry names are read as UTF-8. The caller
   * closes it.
   */
  public TarArchiveInputStream openData() throws IOException {
    return dataTar(openDataStream());
  }

  /** The entries of decompressed data.tar bytes, read as every reader here reads them. */
  static TarArchiveInputStream dataTar(InputStream decompressed) {
    return new TarArchiveInputStream(decompressed, BUFFER, 512, "UTF-8");
  }

  /** Opens a fresh stream of the decompressed data.tar bytes. The caller closes it. */
  public InputStream openDataStream() throws IOException {
    ArArchiveInputStream ar = openAr(path);
    try {
      for (ArArchiveEntry e = ar.getNextEntry(); e != null; e = ar.getNextEntry()) {
        if (e.getName().equals(dataMember)) {
          return openMember(dataMember, ar);
        }
      }
      throw new IOException(path + " lost its member " + dataMember);
    } catch (IOException | RuntimeException e) {
      ar.close();
      throw e;
    }
  }

  /**
   * Decompresses a member by its name's suffix; xz (most of a build's decompression) with the
   * host's xz when installed, which is faster.
   */
  static InputStream openMember(String member, InputStream in) throws IOException {
    return member.endsWith(".xz") ? XzDecoder.preferHost().open(in) : decompress(member, in);
  }

  private static ArArchiveInputStream openAr(Path deb) throws IOException {
    return new ArArchiveInputStream(new BufferedInputStream(Files.newInputStream(deb), BUFFER));
  }

  private static boolean isMember(String name, String base, List<String> suffixes) {
    return name.startsWith(base) && suffixes.contains(name.substring(base.length()));
  }

  private static InputStream decompress(String member, InputStream in) throws IOException {
    if (member.endsWith(".gz")) {
      return new GzipCompressorInputStream(in, true);
    }
    if (member.endsWith(".xz")) {
      return new XZCompressorInputStream(in, true);
    }
    if (member.endsWith(".zst")) {
      return new ZstdCompressorInputStream(in);
    }
    if (member.endsWith(".bz2")) {
      return new BZip2CompressorInputStream(in, true);
    }
    return in;
  }

  /**
   * Reads control.tar's plain files into memory. Other entries (links, devices, subdirectories, odd
   * names) are kept as headers only, unread, for {@link DebCheck} to refuse with the package's
   * name, which is only known once the control file has been read.
   */
  private static Control readControl(Path deb, String member, InputStream in)
      throws IOException, DebFormatException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    List<TarArchiveEntry> entries = new java.util.ArrayList<>();
    int total = 0;
    TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
    for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
      entries.add(e);
      String name = e.getName();
      if (name.startsWith("./")) {
        name = name.substring(2);
      }
      if (!DebCheck.isPlainControlFile(e, name) || files.containsKey(name)) {
        continue;
      }
      byte[] bytes = tar.readNBytes(MAX_CONTROL_BYTES - total + 1);
      total += bytes.length;
      if (total > MAX_CONTROL_BYTES) {
        throw new DebFormatException(
            deb
                + " has a "
                + member
                + " larger than "
                + (MAX_CONTROL_BYTES >> 20)
                + " MiB unpacked (expected a few kilobytes of control files)");
      }
      files.put(name, bytes);
    }
    return new Control(files, entries);
  }
}

package io.imagebuilder.api.boot;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.MissingModuleException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Boots a disk image in qemu-system and watches its serial console for a login prompt (or a marker
 * a first-boot unit prints):
 *
 * <pre>{@code
 * BootResult r = BootCheck.of(Path.of("debian-bookworm-qemu-arm64.img"), Boards.find("qemu-arm64"))
 *     .timeout(Duration.ofMinutes(8))
 *     .run();
 * }</pre>
 *
 * <p>The image is never written to (qemu runs in snapshot mode, or on a per-run overlay of {@link
 * #diskSize(long)}), further drives such as a cloud-init seed attach read-only ({@link
 * #readOnlyDrive(Path)}), KVM is used when the host can run the board's architecture with it, TCG
 * otherwise, and qemu is always ended and its temporary files removed. The implementation comes
 * from image-arm.
 */
public final class BootCheck {
  /** How qemu runs the guest's CPU. */
  public enum Accelerator {
    /** KVM when /dev/kvm is usable and the host has the board's architecture, else TCG. */
    AUTO,
    /** KVM, failing the check when the host cannot use it. */
    KVM,
    /** Software emulation: slower, works on every host. */
    TCG
  }

  /**
   * What runs while the booted guest is still up, once the prompt (or marker) was seen: e.g. an SSH
   * login through a forwarded port. qemu is ended when it returns or throws.
   */
  @FunctionalInterface
  public interface WhileRunning {
    /**
     * Works with the running guest.
     *
     * @throws Exception any failure; a checked one becomes the check's {@link ImageBuildException}
     */
    void run() throws Exception;
  }

  private final Path image;
  private final Board board;
  private Duration timeout = Duration.ofMinutes(5);
  private String firmware;
  private String marker;
  private Accelerator accelerator = Accelerator.AUTO;
  private Consumer<String> consoleListener = line -> {};
  private final Map<Integer, Integer> tcpForwards = new TreeMap<>();
  private WhileRunning whileRunning;
  private final List<Path> readOnlyDrives = new ArrayList<>();
  private long diskSize;

  private BootCheck(Path image, Board board) {
    this.image = Objects.requireNonNull(image, "image");
    this.board = Objects.requireNonNull(board, "board");
  }

  /**
   * A check of {@code image} (raw {@code .img} or {@code .qcow2}) on {@code board}.
   *
   * @throws IllegalArgumentException if the image is not a readable file
   * @param image the disk image file
   * @param board the board it was built for
   * @return a check with the default timeout, firmware and accelerator
   */
  public static BootCheck of(Path image, Board board) {
    if (image == null || !Files.isRegularFile(image)) {
      throw new IllegalArgumentException(
          "invalid image '" + image + "' (expected a disk image file)");
    }
    return new BootCheck(image, board);
  }

  /**
   * The board an image file was built for, from its name: ImageBuilder names disk images {@code
   * <distribution>-<series>-<board>.<format>}, so the longest board id the name ends with (before
   * the extension) wins.
   *
   * @param image the image file
   * @return the board, or empty when the name ends with no known board id
   */
  public static Optional<Board> boardFromFileName(Path image) {
    String name = image.getFileName().toString();
    int dot = name.indexOf('.');
    String stem = dot < 0 ? name : name.substring(0, dot);
    return Boards.all().stream()
        .filter(b -> stem.equals(b.id()) || stem.endsWith("-" + b.id()))
        .max(java.util.Comparator.comparingInt(b -> b.id().length()));
  }

  /**
   * How long to wait for the prompt; default 5 minutes.
   *
   * @param value the longest to wait; positive
   * @return this check
   */
  public BootCheck timeout(Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("invalid timeout '" + value + "' (expected > 0)");
    }
    this.timeout = value;
    return this;
  }

  /**
   * The board firmware to boot with, e.g. {@code uefi} or {@code bios}; default the board's first.
   *
   * @param name a firmware name the board lists
   * @return this check
   */
  public BootCheck firmware(String name) {
    this.firmware = name;
    return this;
  }

  /**
   * Also stop when the console prints this text (e.g. a first-boot unit's marker).
   *
   * @param text the text to wait for, matched within a console line
   * @return this check
   */
  public BootCheck marker(String text) {
    this.marker = text == null || text.isEmpty() ? null : text;
    return this;
  }

  /**
   * How qemu runs the guest CPU; default {@link Accelerator#AUTO}.
   *
   * @param value the accelerator
   * @return this check
   */
  public BootCheck accelerator(Accelerator value) {
    this.accelerator = Objects.requireNonNull(value, "accelerator");
    return this;
  }

  /**
   * Receives each console line as it arrives; must be fast and thread-safe.
   *
   * @param listener called with each line, escape sequences removed
   * @return this check
   */
  public BootCheck onConsoleLine(Consumer<String> listener) {
    this.consoleListener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * Forwards a TCP port of the host's loopback address to a port of the guest (qemu's user
   * networking, {@code hostfwd}), e.g. {@code forwardTcp(2222, 22)} for SSH.
   *
   * @param hostPort the port on 127.0.0.1, 1 to 65535, free
   * @param guestPort the guest's port, 1 to 65535
   * @return this check
   * @throws IllegalArgumentException naming a port out of range
   */
  public BootCheck forwardTcp(int hostPort, int guestPort) {
    for (int port : new int[] {hostPort, guestPort}) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("invalid port '" + port + "' (expected 1 to 65535)");
      }
    }
    tcpForwards.put(hostPort, guestPort);
    return this;
  }

  /**
   * Runs {@code action} once the prompt (or the marker) appeared, while the guest still runs; the
   * check then ends qemu. An error or unchecked exception of the action is thrown by {@link #run()}
   * as it is (qemu ended first), a checked one as an {@link ImageBuildException}.
   *
   * @param action what to do with the running guest
   * @return this check
   */
  public BootCheck whileRunning(WhileRunning action) {
    this.whileRunning = Objects.requireNonNull(action, "action");
    return this;
  }

  /**
   * Attaches {@code file} as one more disk, read-only, after the image: e.g. a cloud-init NoCloud
   * seed (a vfat or iso9660 filesystem image labelled {@code cidata}). Its format is raw, or qcow2
   * for a {@code .qcow2} file. Drives attach in the order given.
   *
   * @param file a readable file
   * @return this check
   * @throws IllegalArgumentException if the file is not a readable regular file
   */
  public BootCheck readOnlyDrive(Path file) {
    if (file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(
          "invalid drive '" + file + "' (expected a readable file, e.g. a seed image)");
    }
    readOnlyDrives.add(file);
    return this;
  }

  /**
   * Boots a qcow2 overlay of the image, made for this run in a temporary directory (removed
   * afterwards) and {@code bytes} large, instead of qemu's snapshot mode: the image is still never
   * written, and the guest sees a disk larger than the image, e.g. to watch a root filesystem grow
   * to it at first boot. Needs qemu-img (qemu-utils).
   *
   * @param bytes the guest's disk size in bytes; at least the image's (virtual) size, which the
   *     check compares when it runs
   * @return this check
   * @throws IllegalArgumentException if {@code bytes} is not positive
   */
  public BootCheck diskSize(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("invalid disk size '" + bytes + "' (expected > 0 bytes)");
    }
    this.diskSize = bytes;
    return this;
  }

  /**
   * The further drives, attached read-only after the image.
   *
   * @return the files, in order; empty for none
   */
  public List<Path> readOnlyDrives() {
    return List.copyOf(readOnlyDrives);
  }

  /**
   * The size of the per-run overlay the guest boots.
   *
   * @return the size in bytes, or empty for qemu's snapshot mode on the image itself
   */
  public OptionalLong diskSize() {
    return diskSize == 0 ? OptionalLong.empty() : OptionalLong.of(diskSize);
  }

  /**
   * The TCP ports forwarded from the host to the guest.
   *
   * @return host port to guest port; empty for none
   */
  public Map<Integer, Integer> tcpForwards() {
    return Map.copyOf(tcpForwards);
  }

  /**
   * What runs while the guest is up.
   *
   * @return the action, or empty
   */
  public Optional<WhileRunning> whileRunning() {
    return Optional.ofNullable(whileRunning);
  }

  /**
   * The image to boot.
   *
   * @return the image file
   */
  public Path image() {
    return image;
  }

  /**
   * The board it is booted as.
   *
   * @return the board
   */
  public Board board() {
    return board;
  }

  /**
   * How long to wait for the prompt.
   *
   * @return the timeout
   */
  public Duration timeout() {
    return timeout;
  }

  /** {@return the firmware name, or null for the board's first} */
  public String firmware() {
    return firmware;
  }

  /** {@return the marker, or null} */
  public String marker() {
    return marker;
  }

  /**
   * How qemu runs the guest CPU.
   *
   * @return the accelerator
   */
  public Accelerator accelerator() {
    return accelerator;
  }

  /**
   * Who receives console lines.
   *
   * @return the listener; a no-op when none was given
   */
  public Consumer<String> consoleListener() {
    return consoleListener;
  }

  /**
   * Boots the image and waits for the prompt, the marker, qemu's exit or the timeout; not reaching
   * the prompt is a result, not an exception.
   *
   * @throws ImageBuildException if qemu or the board's firmware is missing or qemu cannot start
   * @throws MissingModuleException if image-arm is not on the classpath
   * @return how the boot ended
   * @throws InterruptedException when this thread is interrupted; qemu is ended first
   */
  public BootResult run() throws ImageBuildException, InterruptedException {
    Iterator<BootRunner> runners = ServiceLoader.load(BootRunner.class).iterator();
    if (!runners.hasNext()) {
      throw new MissingModuleException("no boot check runner on the classpath", "image-arm");
    }
    return runners.next().boot(this);
  }
}

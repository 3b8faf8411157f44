package io.imagebuilder.api.boot;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.MissingModuleException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Boots a disk image in qemu-system and watches its serial console for a login prompt (or a
 * marker a first-boot unit prints):
 *
 * <pre>{@code
 * BootResult r = BootCheck.of(Path.of("debian-bookworm-qemu-arm64.img"), Boards.find("qemu-arm64"))
 *     .timeout(Duration.ofMinutes(8))
 *     .run();
 * }</pre>
 *
 * <p>The image is never written to (qemu runs in snapshot mode), KVM is used when the host can
 * run the board's architecture with it, TCG otherwise, and qemu is always ended and its
 * temporary files removed. The implementation comes from image-arm.
 */
public final class BootCheck {
  /** How qemu runs the guest's CPU. */
  public enum Accelerator {
    /** KVM when /dev/kvm is usable and the host has the board's architecture, else TCG. */
    AUTO,
    KVM,
    TCG
  }

  private final Path image;
  private final Board board;
  private Duration timeout = Duration.ofMinutes(5);
  private String firmware;
  private String marker;
  private Accelerator accelerator = Accelerator.AUTO;
  private Consumer<String> consoleListener = line -> { };

  private BootCheck(Path image, Board board) {
    this.image = Objects.requireNonNull(image, "image");
    this.board = Objects.requireNonNull(board, "board");
  }

  /**
   * A check of {@code image} (raw {@code .img} or {@code .qcow2}) on {@code board}.
   *
   * @throws IllegalArgumentException if the image is not a readable file
   */
  public static BootCheck of(Path image, Board board) {
    if (image == null || !Files.isRegularFile(image)) {
      throw new IllegalArgumentException("invalid image '" + image + "' (expected a disk image file)");
    }
    return new BootCheck(image, board);
  }

  /**
   * The board an image file was built for, from its name: ImageBuilder names disk images
   * {@code <distribution>-<series>-<board>.<format>}, so the longest board id the name ends with
   * (before the extension) wins.
   */
  public static Optional<Board> boardFromFileName(Path image) {
    String name = image.getFileName().toString();
    int dot = name.indexOf('.');
    String stem = dot < 0 ? name : name.substring(0, dot);
    return Boards.all().stream()
        .filter(b -> stem.equals(b.id()) || stem.endsWith("-" + b.id()))
        .max(java.util.Comparator.comparingInt(b -> b.id().length()));
  }

  /** How long to wait for the prompt; default 5 minutes. */
  public BootCheck timeout(Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("invalid timeout '" + value + "' (expected > 0)");
    }
    this.timeout = value;
    return this;
  }

  /** The board firmware to boot with, e.g. {@code uefi} or {@code bios}; default the board's first. */
  public BootCheck firmware(String name) {
    this.firmware = name;
    return this;
  }

  /** Also stop when the console prints this text (e.g. a first-boot unit's marker). */
  public BootCheck marker(String text) {
    this.marker = text == null || text.isEmpty() ? null : text;
    return this;
  }

  public BootCheck accelerator(Accelerator value) {
    this.accelerator = Objects.requireNonNull(value, "accelerator");
    return this;
  }

  /** Receives each console line as it arrives; must be fast and thread-safe. */
  public BootCheck onConsoleLine(Consumer<String> listener) {
    this.consoleListener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  public Path image() {
    return image;
  }

  public Board board() {
    return board;
  }

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

  public Accelerator accelerator() {
    return accelerator;
  }

  public Consumer<String> consoleListener() {
    return consoleListener;
  }

  /**
   * Boots the image and waits for the prompt, the marker, qemu's exit or the timeout; not
   * reaching the prompt is a result, not an exception.
   *
   * @throws ImageBuildException if qemu or the board's firmware is missing or qemu cannot start
   * @throws MissingModuleException if image-arm is not on the classpath
   */
  public BootResult run() throws ImageBuildException, InterruptedException {
    Iterator<BootRunner> runners = ServiceLoader.load(BootRunner.class).iterator();
    if (!runners.hasNext()) {
      throw new MissingModuleException("no boot check runner on the classpath", "image-arm");
    }
    return runners.next().boot(this);
  }
}

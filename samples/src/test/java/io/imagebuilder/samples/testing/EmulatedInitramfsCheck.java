package io.imagebuilder.samples.testing;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A test stage put right after {@code board.boot} of an emulated build: it checks that the native
 * helpers really ran (a shell started with them has the host's libraries mapped) and builds each
 * kernel's initramfs again fully emulated, into /tmp, from the finished tree (the spec's packages
 * and fstab in place), and compares it byte for byte with the one board.kernel (or board.boot, when
 * a package asked) made with the helpers. It leaves the tree as it found it.
 */
public final class EmulatedInitramfsCheck implements Stage {
  /** One kernel's comparison. */
  public record Comparison(
      String kernel, boolean identical, long helperBytes, long emulatedBytes) {}

  /** What the check found in one build. */
  public record Findings(
      boolean helpersRan, boolean helpersAvoidedWhenNotAsked, List<Comparison> kernels) {}

  private static final String OUTPUT = "/tmp/imagebuilder-emulated-initrd.img";

  /** Exits 0 when the shell running it has the helpers' libraries mapped, i.e. is the host's. */
  private static final String HOST_SHELL =
      "if grep -q ' /run/ib-native/' /proc/$$/maps; then echo host; else echo target; fi";

  private Findings findings;

  /** What the last run found; null before the stage ran. */
  public synchronized Findings findings() {
    return findings;
  }

  @Override
  public String type() {
    return "test.initramfs-emulated";
  }

  @Override
  public String summary() {
    return "rebuild each initramfs fully emulated and compare it with the board stages'";
  }

  @Override
  public Phase phase() {
    return Phase.BOARD;
  }

  @Override
  public Map<String, Object> options() {
    return Map.of();
  }

  @Override
  public void run(StageContext context) throws ImageBuildException, InterruptedException {
    Path root = context.rootfs();
    boolean ran =
        shell(context, Command.of("sh", "-c", HOST_SHELL).withNativeHelpers()).equals("host");
    boolean avoided = shell(context, Command.of("sh", "-c", HOST_SHELL)).equals("target");
    List<Comparison> kernels = new ArrayList<>();
    try {
      for (String version : kernels(root)) {
        context.run(Command.of("mkinitramfs", "-o", OUTPUT, version));
        Path emulated = root.resolve(OUTPUT.substring(1));
        byte[] a = Files.readAllBytes(root.resolve("boot/initrd.img-" + version));
        byte[] b = Files.readAllBytes(emulated);
        Files.delete(emulated);
        kernels.add(new Comparison(version, Arrays.equals(a, b), a.length, b.length));
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot compare the initramfs: " + e.getMessage(), e);
    }
    synchronized (this) {
      findings = new Findings(ran, avoided, List.copyOf(kernels));
    }
  }

  private static String shell(StageContext context, Command command)
      throws ImageBuildException, InterruptedException {
    return String.join("\n", context.run(command).outputTail()).trim();
  }

  private static List<String> kernels(Path root) throws IOException {
    try (Stream<Path> s = Files.list(root.resolve("usr/lib/modules"))) {
      return s.map(p -> p.getFileName().toString())
          .filter(v -> Files.exists(root.resolve("boot/vmlinuz-" + v)))
          .sorted()
          .toList();
    }
  }
}

package io.imagebuilder.samples.testing;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A test stage put right after {@code board.boot} of an emulated build: it checks that the native
 * helpers really ran (a shell started with them has the host's libraries mapped) and builds each
 * kernel's initramfs again fully emulated, into /tmp, from the finished tree (the spec's packages
 * and fstab in place), and compares it byte for byte with the one board.kernel (or board.boot, when
 * a package asked) made with the helpers. It leaves the tree as it found it. Any difference fails
 * the build, so an image built with the check (now, or earlier and reused from the stage cache)
 * passed it; its stage log keeps the lines {@link #HELPERS_LINE} and {@link #KERNEL_LINE} a test
 * reads.
 */
public final class EmulatedInitramfsCheck implements Stage {
  /** The stage log's line when the helpers ran where asked and only there. */
  public static final String HELPERS_LINE =
      "native helpers: ran when allowed, not run when not allowed";

  /** The stage log's line for each kernel, after the kernel's version. */
  public static final String KERNEL_LINE = ": the initramfs made with native helpers is identical";

  private static final String OUTPUT = "/tmp/imagebuilder-emulated-initrd.img";

  /** Exits 0 when the shell running it has the helpers' libraries mapped, i.e. is the host's. */
  private static final String HOST_SHELL =
      "if grep -q ' /run/ib-native/' /proc/$$/maps; then echo host; else echo target; fi";

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
    String withHelpers = shell(context, Command.of("sh", "-c", HOST_SHELL).withNativeHelpers());
    String without = shell(context, Command.of("sh", "-c", HOST_SHELL));
    if (!withHelpers.equals("host") || !without.equals("target")) {
      throw new ImageBuildException(
          "native helpers: a command allowing them ran the "
              + withHelpers
              + " shell, one not allowing them the "
              + without
              + " shell (expected host, then target)");
    }
    context.log(HELPERS_LINE);
    try {
      List<String> kernels = kernels(root);
      if (kernels.size() != 1) {
        throw new ImageBuildException("expected one kernel in the image, found " + kernels);
      }
      for (String version : kernels) {
        context.run(Command.of("mkinitramfs", "-o", OUTPUT, version));
        Path emulated = root.resolve(OUTPUT.substring(1));
        byte[] a = Files.readAllBytes(root.resolve("boot/initrd.img-" + version));
        byte[] b = Files.readAllBytes(emulated);
        Files.delete(emulated);
        if (!Arrays.equals(a, b)) {
          throw new ImageBuildException(
              "kernel "
                  + version
                  + ": the initramfs made with native helpers ("
                  + a.length
                  + " bytes) differs from the fully emulated one ("
                  + b.length
                  + " bytes)");
        }
        context.log(version + KERNEL_LINE + " (" + a.length + " bytes)");
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot compare the initramfs: " + e.getMessage(), e);
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

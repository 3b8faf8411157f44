package io.imagebuilder.samples.testing;

import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.boot.BootCheck;
import io.imagebuilder.api.boot.BootResult;
import java.nio.file.Path;
import java.time.Duration;

/** Boots a built image through {@link BootCheck} the way the integration tests need it. */
public final class BootChecks {
  private BootChecks() {}

  /**
   * Boots {@code image} on its board with the given firmware ({@code null}: the board's default),
   * printing the summary. The accelerator is the library's choice (AUTO): KVM only when its probe
   * saw a guest run (a nested KVM on CI hosts can stall in SeaBIOS), else TCG, logged with why;
   * $IMAGEBUILDER_TEST_TCG forces TCG.
   */
  public static BootResult boot(Path image, String boardId, String firmware) throws Exception {
    return boot(image, boardId, firmware, check -> check);
  }

  /**
   * What one login over SSH into the booted image found.
   *
   * @param boot how the boot went
   * @param login the login's output and timing, or null when the prompt was not reached
   * @param machine {@code uname -m}
   * @param user {@code id -un}: who the key logged in as
   * @param init {@code /proc/1/comm}: the init the guest runs
   * @param rootBytes the root filesystem's size ({@code df -B1 /}), -1 when not answered
   */
  public record LoggedIn(
      BootResult boot,
      SshLogin.Answer login,
      String machine,
      String user,
      String init,
      long rootBytes) {}

  /**
   * The commands run over SSH, one answer per line. Not {@code systemctl is-system-running}: for a
   * user other than root it needs the D-Bus system bus, which a minimal image does not have (the
   * ITs read the failed units off the console instead).
   */
  static final String LOGIN_COMMANDS =
      "uname -m; id -un; cat /proc/1/comm; df -B1 --output=size / | tail -n 1 | tr -d ' '";

  /**
   * Boots {@code image} with the guest's SSH port forwarded from a free loopback port and, once the
   * login prompt appears, logs in as {@link SshLogin#USER} with the run's key and asks the machine,
   * the system state, the failed units and the initramfs's fsck log; qemu is ended afterwards.
   */
  public static LoggedIn bootAndLogIn(Path image, String boardId, String firmware)
      throws Exception {
    return bootAndLogIn(image, boardId, firmware, 0);
  }

  /**
   * As {@link #bootAndLogIn(Path, String, String)}, on a per-run overlay {@code growth} bytes
   * larger than the image (none when 0), for the root filesystem to grow into.
   */
  public static LoggedIn bootAndLogIn(Path image, String boardId, String firmware, long growth)
      throws Exception {
    long diskSize = growth == 0 ? 0 : java.nio.file.Files.size(image) + growth;
    int port = SshLogin.freePort();
    SshLogin.Answer[] answer = new SshLogin.Answer[1];
    BootResult result =
        boot(
            image,
            boardId,
            firmware,
            check ->
                (diskSize == 0 ? check : check.diskSize(diskSize))
                    .forwardTcp(port, 22)
                    .whileRunning(
                        () ->
                            answer[0] = SshLogin.run(port, LOGIN_COMMANDS, Duration.ofMinutes(4))));
    if (answer[0] == null) {
      return new LoggedIn(result, null, "", "", "", -1);
    }
    String[] lines = answer[0].output().split("\n", 4);
    System.out.printf(
        "%s: SSH login %.0f s after the prompt (%d attempts): %s%n",
        boardId,
        answer[0].untilAnswered().toMillis() / 1e3,
        answer[0].attempts(),
        String.join(" | ", java.util.Arrays.asList(lines).subList(0, Math.min(4, lines.length))));
    return new LoggedIn(
        result,
        answer[0],
        lines.length > 0 ? lines[0].strip() : "",
        lines.length > 1 ? lines[1].strip() : "",
        lines.length > 2 ? lines[2].strip() : "",
        lines.length > 3 && lines[3].strip().matches("\\d+")
            ? Long.parseLong(lines[3].strip())
            : -1);
  }

  private static BootResult boot(
      Path image, String boardId, String firmware, java.util.function.UnaryOperator<BootCheck> more)
      throws Exception {
    BootCheck.Accelerator accelerator =
        System.getenv("IMAGEBUILDER_TEST_TCG") != null
            ? BootCheck.Accelerator.TCG
            : BootCheck.Accelerator.AUTO;
    BootCheck check =
        BootCheck.of(image, Boards.find(boardId))
            .accelerator(accelerator)
            .timeout(Duration.ofMinutes(10));
    if (firmware != null) {
      check = check.firmware(firmware);
    }
    BootResult result = more.apply(check).run();
    System.out.printf(
        "%s%s: %s%n", boardId, firmware == null ? "" : " (" + firmware + ")", result.summary(0));
    return result;
  }
}

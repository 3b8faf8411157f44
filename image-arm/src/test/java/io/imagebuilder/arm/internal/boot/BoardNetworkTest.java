package io.imagebuilder.arm.internal.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.board.Board;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoardNetworkTest {
  @TempDir Path root;

  @Test
  void autoIsNetworkdWhereTheTreeHasItMergedUsrOrNot() throws Exception {
    assertEquals(Board.IFUPDOWN, BoardNetwork.resolve(Board.NETWORKING_AUTO, root));
    Files.createDirectories(root.resolve("lib/systemd"));
    Files.writeString(root.resolve("lib/systemd/systemd-networkd"), "");
    assertEquals(Board.NETWORKD, BoardNetwork.resolve(Board.NETWORKING_AUTO, root));
  }

  @Test
  void aBoardsOwnModeIsKeptWhateverTheTreeHas() throws Exception {
    Files.createDirectories(root.resolve("usr/lib/systemd"));
    Files.writeString(root.resolve("usr/lib/systemd/systemd-networkd"), "");
    assertEquals(Board.IFUPDOWN, BoardNetwork.resolve(Board.IFUPDOWN, root));
    assertEquals(Board.NETWORKING_NONE, BoardNetwork.resolve(Board.NETWORKING_NONE, root));
  }

  @Test
  void onlyIfupdownAddsPackagesToTheFirstInstall() {
    assertEquals(List.of("ifupdown", "isc-dhcp-client"), BoardNetwork.packages(Board.IFUPDOWN));
    assertEquals(List.of(), BoardNetwork.packages(Board.NETWORKING_AUTO));
    assertEquals(List.of(), BoardNetwork.packages(Board.NETWORKD));
  }

  @Test
  void theConfigurationsMatchWiredInterfacesOnly() {
    assertTrue(BoardNetwork.NETWORKD_CONFIG.contains("Type=ether\nName=en* eth*\n"));
    assertTrue(BoardNetwork.IFUPDOWN_CONFIG.contains("/en*=imagebuilder-wired /eth*="));
  }
}

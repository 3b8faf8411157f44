package io.imagebuilder.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostDnsTest {
  @TempDir Path dir;

  private static String hostResolvConf() throws Exception {
    Path host = Path.of(HostDns.RESOLV_CONF);
    return Files.isReadable(host) ? Files.readString(host) : "";
  }

  @Test
  void anImageWithoutResolverConfigurationGetsTheHostsAndLosesItAgain() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    HostDns.provide(root);
    Path conf = root.resolve("etc/resolv.conf");
    assertEquals(hostResolvConf(), Files.readString(conf));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)));
    HostDns.remove(root);
    assertFalse(Files.exists(conf, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void theImagesOwnFileIsKept() throws Exception {
    Path etc = Files.createDirectories(dir.resolve("root/etc"));
    Files.writeString(etc.resolve("resolv.conf"), "nameserver 192.0.2.1\n");
    HostDns.provide(dir.resolve("root"));
    assertEquals("nameserver 192.0.2.1\n", Files.readString(etc.resolve("resolv.conf")));
  }

  @Test
  void aLinkAtTheNameIsReplacedNotWrittenThrough() throws Exception {
    Path outside = Files.writeString(dir.resolve("outside"), "host file\n");
    Path etc = Files.createDirectories(dir.resolve("root/etc"));
    Files.createSymbolicLink(etc.resolve("resolv.conf"), outside);
    HostDns.provide(dir.resolve("root"));
    assertEquals("host file\n", Files.readString(outside));
    assertTrue(Files.isRegularFile(etc.resolve("resolv.conf"), LinkOption.NOFOLLOW_LINKS));
  }
}

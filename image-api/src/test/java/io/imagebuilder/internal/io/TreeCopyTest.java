package io.imagebuilder.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.internal.process.HostProcess;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copied or archived tree keeps what a root filesystem needs, and shares nothing with the
 * original.
 */
class TreeCopyTest {
  @TempDir Path temp;

  private static long allocatedBlocks(Path file) throws Exception {
    return Long.parseLong(
        HostProcess.of("stat", "-c", "%b", file.toString()).run(l -> {}).output().strip());
  }

  @Test
  void modesHardLinksXattrsAndHolesAreKeptAndAChangeToTheCopyNeverReachesTheOriginal()
      throws Exception {
    Path tree = Files.createDirectories(temp.resolve("tree/usr/bin"));
    Path tool = Files.writeString(tree.resolve("tool"), "v1");
    Files.setAttribute(tool, "unix:mode", 04755);
    Files.createLink(tree.resolve("tool-link"), tool);
    UserDefinedFileAttributeView xattrs =
        Files.getFileAttributeView(tool, UserDefinedFileAttributeView.class);
    xattrs.write("test", StandardCharsets.UTF_8.encode("kept"));
    Path sparse = tree.resolve("sparse");
    try (FileChannel c =
        FileChannel.open(sparse, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      c.write(ByteBuffer.wrap(new byte[] {1}), 64L << 20);
    }

    Path copy = temp.resolve("copy");
    TreeCopy.copyTo(temp.resolve("tree"), copy);

    Path copied = copy.resolve("usr/bin/tool");
    assertEquals(04755, (Integer) Files.getAttribute(copied, "unix:mode") & 07777);
    assertEquals(
        2, Files.getAttribute(copied, "unix:nlink"), "the hard link is kept inside the copy");
    assertEquals(
        Files.getAttribute(copied, "unix:ino"),
        Files.getAttribute(copy.resolve("usr/bin/tool-link"), "unix:ino"));
    ByteBuffer value = ByteBuffer.allocate(16);
    Files.getFileAttributeView(copied, UserDefinedFileAttributeView.class).read("test", value);
    assertEquals("kept", StandardCharsets.UTF_8.decode(value.flip()).toString());
    assertEquals((64L << 20) + 1, Files.size(copy.resolve("usr/bin/sparse")));
    assertTrue(allocatedBlocks(copy.resolve("usr/bin/sparse")) < 1024, "the hole stays a hole");

    Files.writeString(copied, "v2");
    Files.setAttribute(copied, "unix:mode", 0644);
    assertEquals("v1", Files.readString(tool), "the copy shares no file with the original");
    assertEquals(04755, (Integer) Files.getAttribute(tool, "unix:mode") & 07777);

    Path into = Files.createDirectories(temp.resolve("into"));
    TreeCopy.copyInto(temp.resolve("tree"), into);
    assertEquals("v1", Files.readString(into.resolve("usr/bin/tool")));
  }

  @Test
  void anArchivedTreeComesBackWithOwnersByNumberAndEveryModificationTime() throws Exception {
    Path tree = Files.createDirectories(temp.resolve("tree/etc/app"));
    Path conf = Files.writeString(tree.resolve("app.conf"), "x=1\n");
    Path link = Files.createSymbolicLink(tree.resolve("current"), Path.of("app.conf"));
    boolean root = TreeCopy.keepsOwners();
    if (root) {
      // ids no host user has: kept as numbers, never mapped through the host's names
      Files.setAttribute(conf, "unix:uid", 4242, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(conf, "unix:gid", 4343, LinkOption.NOFOLLOW_LINKS);
    }
    FileTime fileTime = FileTime.from(Instant.parse("2023-11-14T22:13:20.123456789Z"));
    FileTime dirTime = FileTime.from(Instant.parse("2023-11-14T22:13:21.5Z"));
    Files.setLastModifiedTime(conf, fileTime);
    Files.getFileAttributeView(link, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setTimes(fileTime, null, null);
    Files.setLastModifiedTime(tree, dirTime);
    // as the filesystem keeps them (the JVM may set microseconds only); dpkg sets nanoseconds
    fileTime = Files.getLastModifiedTime(conf);
    FileTime linkTime = Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS);
    dirTime = Files.getLastModifiedTime(tree);

    Path archive = temp.resolve("tree.tar");
    TreeCopy.archive(temp.resolve("tree"), archive);
    Path into = Files.createDirectories(temp.resolve("restored"));
    TreeCopy.extractInto(archive, into);

    Path restored = into.resolve("etc/app");
    assertEquals("x=1\n", Files.readString(restored.resolve("app.conf")));
    assertEquals(fileTime, Files.getLastModifiedTime(restored.resolve("app.conf")));
    assertEquals(
        linkTime,
        Files.getLastModifiedTime(restored.resolve("current"), LinkOption.NOFOLLOW_LINKS));
    assertEquals(Path.of("app.conf"), Files.readSymbolicLink(restored.resolve("current")));
    assertEquals(dirTime, Files.getLastModifiedTime(restored), "set after its files were written");
    if (root) {
      assertEquals(4242, Files.getAttribute(restored.resolve("app.conf"), "unix:uid"));
      assertEquals(4343, Files.getAttribute(restored.resolve("app.conf"), "unix:gid"));
    }
    assertThrows(IllegalArgumentException.class, () -> TreeCopy.archive(into, archive));
  }

  @Test
  void aCopyOntoAnExistingPathIsRefusedNamingIt() throws Exception {
    Path from = Files.createDirectories(temp.resolve("from"));
    Path to = Files.createDirectories(temp.resolve("to"));
    Files.writeString(to.resolve("kept"), "mine");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TreeCopy.copyTo(from, to));

    assertEquals(
        "invalid copy target '" + to + "' (expected a path that does not exist)", e.getMessage());
    assertEquals("mine", Files.readString(to.resolve("kept")));
  }
}

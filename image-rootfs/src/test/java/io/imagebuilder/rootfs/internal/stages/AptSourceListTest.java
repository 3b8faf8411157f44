package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AptSourceListTest {
  @TempDir Path root;

  private static AptSourceList.Entry only(List<AptSourceList.Entry> entries) {
    assertEquals(1, entries.size(), entries.toString());
    return entries.get(0);
  }

  private static String unsupported(String file, String text) {
    return assertThrows(
            AptListsWriter.Unsupported.class,
            () -> {
              if (file.endsWith(".sources")) {
                AptSourceList.deb822(file, text, "arm64");
              } else {
                AptSourceList.oneLine(file, text, "arm64");
              }
            })
        .getMessage();
  }

  @Test
  void readsTheSourcesTheSourcesStageWrites() throws Exception {
    AptSourceList.Entry debian =
        only(
            AptSourceList.deb822(
                "/etc/apt/sources.list.d/debian.sources",
                """
        Types: deb
        URIs: http://deb.debian.org/debian
        Suites: bookworm
        Components: main contrib
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
        """,
                "arm64"));
    assertEquals(
        new AptSourceList.Entry(
            "/etc/apt/sources.list.d/debian.sources (stanza 1)",
            "http://deb.debian.org/debian/",
            "bookworm",
            List.of("main", "contrib"),
            List.of(),
            List.of("/usr/share/keyrings/debian-archive-keyring.gpg"),
            null,
            false,
            true),
        debian);
    AptSourceList.Entry lab =
        only(
            AptSourceList.deb822(
                "lab.sources",
                """
        Types: deb
        URIs: http://127.0.0.1:8080/lab
        Suites: stable
        Components: main
        Trusted: yes
        """,
                "arm64"));
    assertTrue(lab.trusted());
    assertEquals(List.of(), lab.keyFiles());
  }

  @Test
  void aStanzaGivesOneEntryPerUriAndSuite() throws Exception {
    List<AptSourceList.Entry> entries =
        AptSourceList.deb822(
            "x.sources",
            """
        # a comment
        Types: deb deb-src
        URIs: http://a.example/debian http://b.example/$(ARCH)
        Suites: bookworm bookworm-updates
        Components: main
        Architectures: arm64 armhf
        Check-Valid-Until: no
        X-Repolib-Name: ignored, as apt ignores it
        Signed-By: /k.gpg, /l.asc

        Types: deb
        Enabled: no
        URIs: http://c.example/debian
        Suites: bookworm
        Components: main
        Signed-By: /k.gpg

        Types: deb-src
        URIs: http://d.example/debian
        Suites: bookworm
        Components: main
        Signed-By: /k.gpg
        """,
            "arm64");
    assertEquals(
        List.of(
            "http://a.example/debian/ bookworm",
            "http://a.example/debian/ bookworm-updates",
            "http://b.example/arm64/ bookworm",
            "http://b.example/arm64/ bookworm-updates"),
        entries.stream().map(e -> e.uri() + " " + e.suite()).toList());
    assertEquals(List.of("arm64", "armhf"), entries.get(0).architectures());
    assertEquals(List.of("/k.gpg", "/l.asc"), entries.get(0).keyFiles());
    assertFalse(entries.get(0).checkValidUntil());
  }

  @Test
  void aKeyMayBeWrittenIntoSignedBy() throws Exception {
    AptSourceList.Entry e =
        only(
            AptSourceList.deb822(
                "x.sources",
                """
        Types: deb
        URIs: http://a.example/debian
        Suites: bookworm
        Components: main
        Signed-By:
         -----BEGIN PGP PUBLIC KEY BLOCK-----
         .
         mQINBGQ
         -----END PGP PUBLIC KEY BLOCK-----
        """,
                "amd64"));
    assertEquals(
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGQ\n-----END PGP PUBLIC KEY BLOCK-----\n",
        e.inlineKey());
    assertEquals(List.of(), e.keyFiles());
  }

  @Test
  void readsOneLineEntriesAsAptDoes() throws Exception {
    List<AptSourceList.Entry> entries =
        AptSourceList.oneLine(
            "/etc/apt/sources.list",
            """
        # comment
        deb [ arch=arm64,armhf signed-by=/k.gpg check-valid-until=no lang=none ] http://a.example/a%20b bookworm main contrib # tail
        deb-src [signed-by=/k.gpg] http://a.example/a%20b bookworm main
           deb [trusted=yes] file:///srv/repo stable main
        """,
            "arm64");
    assertEquals(2, entries.size());
    AptSourceList.Entry a = entries.get(0);
    assertEquals("/etc/apt/sources.list:2", a.origin());
    assertEquals("http://a.example/a b/", a.uri(), "apt decodes %xx in one-line words");
    assertEquals(List.of("main", "contrib"), a.components());
    assertEquals(List.of("arm64", "armhf"), a.architectures());
    assertEquals(List.of("/k.gpg"), a.keyFiles());
    assertFalse(a.checkValidUntil());
    AptSourceList.Entry srv = entries.get(1);
    assertEquals("file:/srv/repo/", srv.uri());
    assertTrue(srv.trusted());
    assertNull(srv.inlineKey());
  }

  @Test
  void entriesOfOneSuiteAreMergedLikeApt() throws Exception {
    List<AptSourceList.Entry> merged =
        AptSourceList.merge(
            AptSourceList.oneLine(
                "s.list",
                """
        deb [signed-by=/k.gpg] http://a.example/debian bookworm main
        deb [signed-by=/k.gpg] http://a.example/debian/ bookworm contrib main
        deb [signed-by=/k.gpg] http://a.example/debian bookworm-updates main
        """,
                "amd64"));
    assertEquals(
        List.of("bookworm [main, contrib]", "bookworm-updates [main]"),
        merged.stream().map(e -> e.suite() + " " + e.components()).toList());
    AptListsWriter.Unsupported e =
        assertThrows(
            AptListsWriter.Unsupported.class,
            () ->
                AptSourceList.merge(
                    AptSourceList.oneLine(
                        "s.list",
                        """
            deb [signed-by=/k.gpg] http://a.example/debian bookworm main
            deb [signed-by=/other.gpg] http://a.example/debian bookworm contrib
            """,
                        "amd64")));
    assertEquals(
        "s.list:2 and s.list:1 name http://a.example/debian/ bookworm with different settings",
        e.getMessage());
  }

  @Test
  void whatTheWriterDoesNotFollowIsLeftToApt() {
    String entry = "deb [signed-by=/k.gpg] http://a.example/debian bookworm main";
    assertEquals(
        "s.list:1 is a flat repository (suite './')",
        unsupported("s.list", "deb [signed-by=/k.gpg] http://a.example/debian ./"));
    assertEquals(
        "s.list:1 is signed by '0123456789ABCDEF0123456789ABCDEF01234567' (handled: key files)",
        unsupported("s.list", entry.replace("/k.gpg", "0123456789ABCDEF0123456789ABCDEF01234567")));
    assertEquals(
        "s.list:1 has no Signed-By (apt would trust its global keyring)",
        unsupported("s.list", "deb http://a.example/debian bookworm main"));
    assertEquals(
        "s.list:1 has a user or password in its URI",
        unsupported("s.list", entry.replace("http://", "http://me:secret@")));
    assertEquals(
        "s.list:1 has URI 'ftp://a.example/debian' (handled: http, https, file)",
        unsupported("s.list", entry.replace("http:", "ftp:")));
    assertEquals(
        "s.list:1 has URI 'mirror+http://a.example/list' (handled: http, https, file)",
        unsupported(
            "s.list", entry.replace("http://a.example/debian", "mirror+http://a.example/list")));
    assertEquals(
        "s.list:1 sets option 'target-'",
        unsupported("s.list", entry.replace("[", "[target-=Translations ")));
    assertEquals(
        "s.list:1 is explicitly not trusted",
        unsupported("s.list", entry.replace("[", "[trusted=no ")));
    assertEquals(
        "s.list:1 has type 'deb822'", unsupported("s.list", "deb822 http://a bookworm main"));
    assertEquals(
        "x.sources (stanza 1) sets Targets",
        unsupported(
            "x.sources",
            """
        Types: deb
        URIs: http://a.example/debian
        Suites: bookworm
        Components: main
        Signed-By: /k.gpg
        Targets: Packages
        """));
  }

  @Test
  void readsTheImagesFilesInAptsOrder() throws Exception {
    Files.createDirectories(root.resolve("etc/apt/sources.list.d"));
    Files.createDirectories(root.resolve("srv"));
    Files.writeString(
        root.resolve("etc/apt/sources.list"),
        "deb [signed-by=/k.gpg] http://main.example/debian bookworm main\n");
    Files.writeString(
        root.resolve("etc/apt/sources.list.d/b.sources"),
        "Types: deb\nURIs: http://b.example/debian\nSuites: bookworm\nComponents: main\nSigned-By: /k.gpg\n");
    Files.writeString(
        root.resolve("srv/a.list"),
        "deb [signed-by=/k.gpg] http://a.example/debian bookworm main\n");
    // A link inside the image is followed inside the image.
    Files.createSymbolicLink(root.resolve("etc/apt/sources.list.d/a.list"), Path.of("/srv/a.list"));
    Files.writeString(
        root.resolve("etc/apt/sources.list.d/c.list.disabled"), "deb http://off.example/ x main\n");
    Files.writeString(root.resolve("etc/apt/sources.list.d/c.sources.save"), "garbage");
    assertEquals(
        List.of(
            "http://main.example/debian/", "http://a.example/debian/", "http://b.example/debian/"),
        AptSourceList.read(root, "amd64").stream().map(AptSourceList.Entry::uri).toList());
    Files.writeString(
        root.resolve("etc/apt/sources.list.d/d e.list"), "deb http://x.example/ x main\n");
    AptListsWriter.Unsupported e =
        assertThrows(AptListsWriter.Unsupported.class, () -> AptSourceList.read(root, "amd64"));
    assertEquals("/etc/apt/sources.list.d/d e.list has a name apt skips", e.getMessage());
  }
}

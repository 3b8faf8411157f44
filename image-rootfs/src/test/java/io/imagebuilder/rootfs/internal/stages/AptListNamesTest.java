package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The names apt 2.6.1 gives its list files, as {@code apt-get update --print-uris} printed them for
 * these sources (AptListNamesAptIT compares with the host's apt itself).
 */
class AptListNamesTest {

  private static String release(String uri, String suite) {
    return AptListNames.fileName(
        AptListNames.releaseUri(AptListNames.archiveUri(uri), suite, "InRelease"));
  }

  private static String packages(String uri, String suite, String component, String arch) {
    return AptListNames.fileName(
        AptListNames.indexUri(
            AptListNames.archiveUri(uri), suite, component + "/binary-" + arch + "/Packages"));
  }

  @Test
  void theDebianArchive() {
    assertEquals(
        "deb.debian.org_debian_dists_bookworm_InRelease",
        release("http://deb.debian.org/debian", "bookworm"));
    assertEquals(
        "deb.debian.org_debian_dists_bookworm_main_binary-arm64_Packages",
        packages("http://deb.debian.org/debian/", "bookworm", "main", "arm64"));
    assertEquals(
        "deb.debian.org_debian_dists_bookworm_contrib_binary-all_Packages",
        packages("http://deb.debian.org/debian", "bookworm", "contrib", "all"));
  }

  @Test
  void aPortStaysAndLeadingZerosGo() {
    assertEquals(
        "127.0.0.1:8080_debian_dists_bookworm_InRelease",
        release("http://127.0.0.1:8080/debian", "bookworm"));
    assertEquals(
        "host.example:80_a%20b_dists_local_InRelease",
        release("http://host.example:080/a b", "local"));
    assertEquals(
        "::1:8080_debian_dists_bookworm_main_binary-arm64_Packages",
        packages("http://[::1]:8080/debian", "bookworm", "main", "arm64"));
  }

  @Test
  void underscoresTildesAndPercentsInThePathAreEscaped() {
    assertEquals(
        "127.0.0.1:8080_repo%5fx_%7eme_dists_bookworm_InRelease",
        release("http://127.0.0.1:8080/repo_x/~me/", "bookworm"));
    assertEquals(
        "ppa.launchpadcontent.net_owner_ppa%7ex_ubuntu_dists_noble_main_binary-arm64_Packages",
        packages("https://ppa.launchpadcontent.net/owner/ppa~x/ubuntu", "noble", "main", "arm64"));
    assertEquals(
        "host.example_a%2520c_dists_s%257e1_InRelease",
        release("http://host.example/a%20c", "s~1"));
  }

  @Test
  void aSuiteIsEscapedForTheUriAndThenAgainForTheName() {
    assertEquals(
        "http://127.0.0.1:8080/repo_x/~me/dists/my%7esuite%2b1/InRelease",
        AptListNames.releaseUri(
            AptListNames.archiveUri("http://127.0.0.1:8080/repo_x/~me/"),
            "my~suite+1",
            "InRelease"));
    assertEquals(
        "127.0.0.1:8080_repo%5fx_%7eme_dists_my%257esuite%252b1_main_binary-arm64_Packages",
        packages("http://127.0.0.1:8080/repo_x/~me/", "my~suite+1", "main", "arm64"));
  }

  @Test
  void userAndPasswordAreLeftOutOfTheName() {
    assertEquals(
        "http://user:p%40ss@host.example:80/a b/",
        AptListNames.archiveUri("http://user:p%40ss@host.example:080/a b"));
    assertEquals(
        "host.example:80_a%20b_dists_local_main_binary-arm64_Packages",
        packages("http://user:p%40ss@host.example:080/a b", "local", "main", "arm64"));
  }

  @Test
  void aFileArchiveIsNamedByItsPath() {
    assertEquals(
        "_var_lib_imagebuilder_local-repository_dists_local_InRelease",
        release("file:/var/lib/imagebuilder/local-repository", "local"));
    assertEquals("file:/srv/repo/", AptListNames.archiveUri("file:///srv/repo"));
    assertEquals(
        "_srv_repo_dists_stable_main_binary-arm64_Packages",
        packages("file:///srv/repo", "stable", "main", "arm64"));
  }

  @Test
  void aFlatRepositoryHasNoDists() {
    String archive = AptListNames.archiveUri("http://host/flat");
    assertEquals(
        "host_flat_._InRelease",
        AptListNames.fileName(AptListNames.releaseUri(archive, "./", "InRelease")));
    assertEquals(
        "host_flat_._Packages",
        AptListNames.fileName(AptListNames.indexUri(archive, "./", "Packages")));
  }

  @Test
  void aUriWithoutSchemeIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> AptListNames.parse("deb.debian.org/debian"));
    assertEquals("invalid URI 'deb.debian.org/debian' (expected scheme:...)", e.getMessage());
  }
}

package io.imagebuilder.rootfs.internal.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.rootfs.internal.host.HostSetting;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostSettingTest {
  /** Names no one else sets, so the test neither sees nor disturbs real configuration. */
  private static final String PROPERTY = "imagebuilder.test.hostsetting";

  private final HostSetting<URI> setting =
      new HostSetting<>(
          PROPERTY,
          "IMAGEBUILDER_TEST_HOSTSETTING_UNSET",
          URI.create("https://default.example"),
          LaunchpadClient::api);

  @AfterEach
  void clear() {
    System.clearProperty(PROPERTY);
  }

  @Test
  void theFallbackWhenNothingIsSet() {
    assertEquals(URI.create("https://default.example"), setting.value());
    System.setProperty(PROPERTY, "  ");
    assertEquals(URI.create("https://default.example"), setting.value());
  }

  @Test
  void theSystemPropertyParsedAndTrimmed() {
    System.setProperty(PROPERTY, " http://127.0.0.1:8080/api/ ");
    assertEquals(URI.create("http://127.0.0.1:8080/api"), setting.value());
  }

  @Test
  void aBadValueNamesItselfAndWhereItCameFrom() throws Exception {
    System.setProperty(PROPERTY, "ftp://x");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, setting::value);
    assertEquals(
        "invalid Launchpad API 'ftp://x' (expected an http(s) base such as https://api.launchpad.net/1.0)"
            + " from -D"
            + PROPERTY,
        e.getMessage());
    ImageBuildException b = assertThrows(ImageBuildException.class, setting::valueForBuild);
    assertEquals(e.getMessage(), b.getMessage());
  }
}

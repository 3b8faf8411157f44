package io.imagebuilder.console.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The farm's settings: defaults, and values that cannot work refused with the property's name. */
class FarmSettingsTest {
  @Test
  void settingsRefuseAHeartbeatTimeoutWorkersCannotMeet() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new FarmSettings(true, null, null, null, null, Duration.ofSeconds(2), null));
    assertTrue(e.getMessage().contains("heartbeat-timeout 'PT2S'"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new FarmSettings(true, null, null, null, null, null, 0));
    assertEquals(Duration.ofSeconds(60), FarmSettings.defaults().heartbeatTimeout());
    assertEquals(3, FarmSettings.defaults().maxAttempts());
  }
}

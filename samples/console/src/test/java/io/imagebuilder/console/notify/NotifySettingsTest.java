package io.imagebuilder.console.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The {@code console.*} notification properties as Spring binds them at start. */
class NotifySettingsTest {
  private static NotifySettings bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("console", NotifySettings.class);
  }

  @Test
  void webhooksAreBoundInOrderAndTheDefaultsHold() {
    NotifySettings s =
        bind(
            Map.of(
                "console.webhooks[0].url", "https://ci.example.org/hook",
                "console.webhooks[0].secret", "one",
                "console.webhooks[1].url", "http://127.0.0.1:9000/h",
                "console.webhooks[1].secret", "two"));
    assertEquals(2, s.webhooks().size());
    assertEquals("two", s.webhooks().get(1).secret());
    assertEquals("http://localhost:8080/builds/b-1", s.buildUrl("b-1"));
    assertEquals("imagebuilder@localhost", s.mailFrom());
  }

  @Test
  void aBadWebhookUrlStopsTheStartNamingIt() {
    BindException e =
        assertThrows(
            BindException.class,
            () ->
                bind(
                    Map.of(
                        "console.webhooks[0].url", "gopher://ci.example.org/hook",
                        "console.webhooks[0].secret", "s3cret")));
    String messages = causes(e);
    assertTrue(
        messages.contains("invalid console.webhooks url 'gopher://ci.example.org/hook'"), messages);
    assertFalse(messages.contains("s3cret"), messages);
  }

  private static String causes(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      b.append(c.getMessage()).append('\n');
    }
    return b.toString();
  }
}

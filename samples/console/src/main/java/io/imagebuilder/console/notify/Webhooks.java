package io.imagebuilder.console.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.build.ArtifactView;
import io.imagebuilder.console.build.BuildView;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** What a webhook is sent: its JSON body, the body's signature, and when to try again. */
public final class Webhooks {
  /** The header that carries {@code sha256=<hex HMAC-SHA256 of the body>}. */
  public static final String SIGNATURE_HEADER = "X-ImageBuilder-Signature";

  /** How often a delivery is tried, the first time included. */
  public static final int TRIES = 5;

  private Webhooks() {}

  /**
   * The body: the build's id, status, trigger, spec hash, artifacts (name and sha256), failed stage
   * and error, in this order; null fields are written as null, so a receiver sees every key.
   */
  public static byte[] body(BuildView b, ObjectMapper json) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", b.id());
    m.put("status", b.status().name());
    m.put("trigger", b.trigger());
    m.put("specHash", b.specHash());
    List<Map<String, String>> artifacts = new ArrayList<>();
    for (ArtifactView a : b.artifacts()) {
      Map<String, String> one = new LinkedHashMap<>();
      one.put("name", a.name());
      one.put("sha256", a.sha256());
      artifacts.add(one);
    }
    m.put("artifacts", artifacts);
    m.put("failedStage", b.failedStage());
    m.put("error", b.error());
    try {
      return json.copy()
          .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
          .writeValueAsBytes(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the webhook body of build " + b.id(), e);
    }
  }

  /**
   * The header's value: {@code sha256=} and the hex HMAC-SHA256 of {@code body} keyed by secret.
   */
  public static String signature(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no HmacSHA256 in this JVM", e);
    }
  }

  /**
   * How long to wait before try {@code n} (2 to {@link #TRIES}): {@code base}, then twice as long
   * each time (1 s, 2 s, 4 s, 8 s for a base of 1 s).
   */
  public static Duration delayBefore(int n, Duration base) {
    if (n < 2 || n > TRIES) {
      throw new IllegalArgumentException("invalid try " + n + " (expected 2 to " + TRIES + ")");
    }
    return base.multipliedBy(1L << (n - 2));
  }

  /** Whether an answer with this status is worth another try: a server error (5xx). */
  public static boolean retried(int status) {
    return status >= 500 && status <= 599;
  }

  /** A URL as logs show it: scheme, host, port and path, without user info or query. */
  static String shown(URI url) {
    if (url == null) {
      return "null";
    }
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }
}

package io.imagebuilder.console.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.build.BuildListener;
import io.imagebuilder.console.build.BuildView;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs the signed JSON body of each build that ended to every webhook, off the build thread; a
 * network error or a 5xx is tried again after 1 s, 2 s, 4 s and 8 s. Each try is logged, by the URL
 * without user info or query, never the secret.
 */
public final class WebhookSender implements BuildListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

  private final List<NotifySettings.Webhook> webhooks;
  private final ObjectMapper json;
  private final Duration base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "webhooks");
            t.setDaemon(true);
            return t;
          });

  /** A sender whose first retry waits {@code base}. */
  public WebhookSender(List<NotifySettings.Webhook> webhooks, ObjectMapper json, Duration base) {
    this.webhooks = List.copyOf(webhooks);
    this.json = json;
    this.base = base;
  }

  @Override
  public void changed(BuildView b) {
    if (!b.status().isFinal()) {
      return;
    }
    byte[] body = Webhooks.body(b, json);
    for (NotifySettings.Webhook w : webhooks) {
      timer.execute(() -> attempt(w, b.id(), body, Webhooks.signature(w.secret(), body), 1));
    }
  }

  private void attempt(NotifySettings.Webhook w, String id, byte[] body, String signature, int n) {
    String url = Webhooks.shown(w.url());
    String outcome;
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(w.url())
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json")
                  .header(Webhooks.SIGNATURE_HEADER, signature)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      if (!Webhooks.retried(r.statusCode())) {
        LOG.info("webhook {} for build {}: try {} answered {}", url, id, n, r.statusCode());
        return;
      }
      outcome = "answered " + r.statusCode();
    } catch (IOException e) {
      outcome = "failed: " + e.getClass().getSimpleName();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (n >= Webhooks.TRIES) {
      LOG.warn("webhook {} for build {}: try {} {}; giving up", url, id, n, outcome);
      return;
    }
    Duration wait = Webhooks.delayBefore(n + 1, base);
    LOG.warn("webhook {} for build {}: try {} {}; again in {}", url, id, n, outcome, wait);
    var unused =
        timer.schedule(
            () -> attempt(w, id, body, signature, n + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

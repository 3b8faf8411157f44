package io.imagebuilder.console.notify;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the console tells of builds that ended ({@code console.public-url}, {@code
 * console.mail-from}, {@code console.webhooks[N].url} and {@code .secret}); the mail server itself
 * is Spring's {@code spring.mail.*}.
 *
 * @param publicUrl the console's address as users reach it, for the link in a mail; default {@code
 *     http://localhost:8080}
 * @param mailFrom the sender of the mails; default {@code imagebuilder@localhost}
 * @param webhooks the receivers of the signed JSON body of each build that ended
 */
@ConfigurationProperties("console")
public record NotifySettings(URI publicUrl, String mailFrom, List<Webhook> webhooks) {
  /**
   * One webhook.
   *
   * @param url an http or https URL
   * @param secret the HMAC-SHA256 key its body is signed with (e.g. from the environment)
   */
  public record Webhook(URI url, String secret) {
    public Webhook {
      if (url == null
          || url.getHost() == null
          || url.getScheme() == null
          || !List.of("http", "https").contains(url.getScheme().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "invalid console.webhooks url '" + url + "' (expected an http or https URL)");
      }
      if (secret == null || secret.isEmpty()) {
        throw new IllegalArgumentException(
            "missing console.webhooks secret for " + Webhooks.shown(url) + " (expected a secret)");
      }
    }

    @Override
    public String toString() {
      return "Webhook[" + Webhooks.shown(url) + "]"; // never the secret
    }
  }

  public NotifySettings {
    publicUrl = publicUrl == null ? URI.create("http://localhost:8080") : publicUrl;
    mailFrom = mailFrom == null || mailFrom.isBlank() ? "imagebuilder@localhost" : mailFrom;
    webhooks = List.copyOf(webhooks == null ? List.of() : webhooks);
  }

  /** The page of build {@code id}. */
  public String buildUrl(String id) {
    String base = publicUrl.toString();
    return (base.endsWith("/") ? base : base + "/") + "builds/" + id;
  }
}

package io.imagebuilder.console.worker;

import io.imagebuilder.api.CacheDir;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * A farm worker's settings ({@code imagebuilder.farm.worker.*} properties; the broker is Spring's
 * {@code spring.rabbitmq.*}).
 *
 * @param consoleUrl the console the worker reports to and uploads to, e.g. {@code
 *     http://console:8080/}
 * @param token an API token of an account with the role {@code build} (better given in the
 *     environment, IMAGEBUILDER_FARM_WORKER_TOKEN, than on the command line)
 * @param name the worker's name in the builds' logs; default the host name and process id
 * @param architectures the architectures to take jobs of; default every one this host can build
 *     (natively, or through qemu-user where binfmt is set up), as the library finds
 * @param cacheDir the library's package and stage cache; default the library's default
 * @param workDir where builds run and their output waits for the upload; default {@code
 *     <cacheDir>/worker}
 */
@ConfigurationProperties("imagebuilder.farm.worker")
public record WorkerSettings(
    URI consoleUrl,
    String token,
    String name,
    List<String> architectures,
    Path cacheDir,
    Path workDir) {
  public WorkerSettings {
    cacheDir = (cacheDir == null ? CacheDir.defaultDir() : cacheDir).toAbsolutePath().normalize();
    workDir = (workDir == null ? cacheDir.resolve("worker") : workDir).toAbsolutePath().normalize();
    architectures = List.copyOf(architectures == null ? List.of() : architectures);
    if (name == null || name.isBlank()) {
      name = host() + "-" + ProcessHandle.current().pid();
    }
  }

  /** Checks what a worker cannot start without. */
  void check() {
    if (consoleUrl == null
        || !("http".equals(consoleUrl.getScheme()) || "https".equals(consoleUrl.getScheme()))) {
      throw new IllegalArgumentException(
          "invalid imagebuilder.farm.worker.console-url '"
              + consoleUrl
              + "' (expected the console's http(s) URL, e.g. --console-url http://console:8080/)");
    }
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException(
          "no worker token (expected --token TOKEN or IMAGEBUILDER_FARM_WORKER_TOKEN: an API"
              + " token of an account with the role build)");
    }
  }

  private static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "worker";
    }
  }

  @Override
  public String toString() {
    return "WorkerSettings[consoleUrl=" + consoleUrl + ", name=" + name + "]"; // never the token
  }
}

package io.imagebuilder.console;

import io.imagebuilder.console.worker.WorkerApplication;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The image-building console: a web UI and a REST API that queue image builds, run them with the
 * library in this JVM (or hand them to farm workers) and keep their artifacts and logs on local
 * disk, builds, accounts, the audit log (and in a farm the image index) in a database.
 *
 * <p>{@code --port N}, {@code --data-dir DIR} and {@code --slots N} are short for the Spring
 * properties {@code server.port}, {@code console.data-dir} and {@code console.slots}. With {@code
 * --worker} the same application is a farm worker ({@link WorkerApplication}): {@code --console-url
 * URL}, {@code --token TOKEN}, {@code --architectures a,b} and {@code --worker-name N} are short
 * for {@code imagebuilder.farm.worker.*}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@OpenAPIDefinition(
    info =
        @Info(
            title = "ImageBuilder console",
            version = "v1",
            description =
                "Queue Debian/Ubuntu image builds, follow them, download their artifacts and go"
                    + " from an image back to the spec that built it."),
    security = @SecurityRequirement(name = "token"))
@SecurityScheme(
    name = "token",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description =
        "An account's API token (an admin makes them at /api/admin/accounts/{name}/tokens)")
public class ConsoleApplication {
  public static void main(String[] args) {
    if (List.of(args).contains("--worker")) {
      WorkerApplication.run(
          springArguments(
              List.of(args).stream().filter(a -> !a.equals("--worker")).toArray(String[]::new)));
      return;
    }
    SpringApplication.run(ConsoleApplication.class, springArguments(args));
  }

  /** The launcher's options as Spring property arguments; anything else is passed on. */
  static String[] springArguments(String[] args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      String property =
          switch (name) {
            case "--port" -> "server.port";
            case "--data-dir" -> "console.data-dir";
            case "--cache-dir" -> "console.cache-dir";
            case "--slots" -> "console.slots";
            case "--console-url" -> "imagebuilder.farm.worker.console-url";
            case "--token" -> "imagebuilder.farm.worker.token";
            case "--architectures" -> "imagebuilder.farm.worker.architectures";
            case "--worker-name" -> "imagebuilder.farm.worker.name";
            default -> null;
          };
      if (property == null) {
        out.add(a);
        continue;
      }
      String value;
      if (a.contains("=")) {
        value = a.substring(a.indexOf('=') + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException(
            "option " + name + " needs a value (e.g. " + name + " 8080)");
      }
      out.add("--" + property + "=" + value);
    }
    return out.toArray(new String[0]);
  }
}

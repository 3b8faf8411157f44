package io.imagebuilder.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.api.ImageTypes;
import io.imagebuilder.console.build.BuildListener;
import io.imagebuilder.console.build.BuildQueue;
import io.imagebuilder.console.build.BuildService;
import io.imagebuilder.console.build.BuildStore;
import io.imagebuilder.console.build.JdbcBuildStore;
import io.imagebuilder.console.build.LocalBuildQueue;
import io.imagebuilder.console.build.SubmissionReader;
import jakarta.servlet.MultipartConfigElement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded default: builds in this JVM's slots, builds stored in the console's database (see
 * {@link DatabaseConfiguration}), and every file the service writes (Tomcat's work files and
 * multipart uploads included) under the data directory.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleConfiguration {
  /** The largest upload (an image file to identify). */
  static final long MAX_UPLOAD_BYTES = 16L * 1024 * 1024 * 1024;

  @Bean
  BuildStore buildStore(ConsoleDatabase database, ObjectMapper json) {
    return new JdbcBuildStore(database, json);
  }

  /** The embedded default; farm mode has its own (see FarmConfiguration). */
  @Bean(destroyMethod = "")
  @ConditionalOnProperty(
      name = "imagebuilder.farm.amqp.enabled",
      havingValue = "false",
      matchIfMissing = true)
  BuildQueue buildQueue(ConsoleSettings settings) {
    return new LocalBuildQueue(settings.slots());
  }

  @Bean(destroyMethod = "shutdown")
  BuildService buildService(
      ConsoleSettings settings,
      BuildStore store,
      BuildQueue queue,
      ObjectProvider<BuildListener> listeners) {
    return new BuildService(settings, store, queue, listeners.orderedStream().toList());
  }

  @Bean
  SubmissionReader submissionReader(ObjectMapper json) {
    return new SubmissionReader(ImageTypes.standard(), json);
  }

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> tomcatInDataDir(
      ConsoleSettings settings) {
    return factory ->
        factory.setBaseDirectory(created(settings.dataDir().resolve("tomcat")).toFile());
  }

  @Bean
  MultipartConfigElement multipartConfig(ConsoleSettings settings) {
    return new MultipartConfigElement(
        created(settings.uploadsDir()).toString(), MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES, 1024 * 1024);
  }

  private static java.nio.file.Path created(java.nio.file.Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }
}

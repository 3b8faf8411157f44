package io.imagebuilder.console.web;

import io.imagebuilder.console.ConsoleSettings;
import io.imagebuilder.console.build.BuildListener;
import io.imagebuilder.console.build.BuildQueue;
import io.imagebuilder.console.build.BuildStatus;
import io.imagebuilder.console.build.BuildView;
import io.imagebuilder.console.build.LocalBuildQueue;
import io.imagebuilder.manifest.api.ImageIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.stereotype.Component;

/**
 * A build of this JVM's slots records itself in the library's index file in the cache; when the
 * console's index is in its database (spring.datasource.url), the build's manifest is recorded
 * there too, so lookups find it. Farm builds are recorded when their result arrives.
 */
@Component
public class LocalBuildRecorder implements BuildListener {
  private final ImageIndex index;
  private final BuildQueue queue;
  private final Manifests manifests;
  private final ConsoleSettings settings;

  public LocalBuildRecorder(
      ImageIndex index, BuildQueue queue, Manifests manifests, ConsoleSettings settings) {
    this.index = index;
    this.queue = queue;
    this.manifests = manifests;
    this.settings = settings;
  }

  @Override
  public void changed(BuildView build) {
    if (build.status() != BuildStatus.SUCCEEDED
        || index.file() != null
        || !(queue instanceof LocalBuildQueue)) {
      return;
    }
    try {
      manifests.recordAll(settings.buildsDir().resolve(build.id()).resolve("out"));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot record build " + build.id() + " in the console's database", e);
    }
  }
}

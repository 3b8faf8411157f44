package io.imagebuilder.testing;

import io.imagebuilder.api.ImageBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Declares the same fixture as {@link HelloFixtureIT}, in a JVM of its own (see the pom). */
class SharedFixtureOneIT {
  static {
    ItCache.linkSharedPackages();
  }

  @RegisterExtension
  static final ImageFixture HELLO =
      ImageFixture.of(ImageBuilder.forSeries("bookworm").withPackages("hello"));

  @Test
  void theRunBuildsItOnceAndThisJvmReusesOrBuildsIt() throws Exception {
    SharedFixtures.builtOnceAndReusedByTheOthers(HELLO);
  }
}

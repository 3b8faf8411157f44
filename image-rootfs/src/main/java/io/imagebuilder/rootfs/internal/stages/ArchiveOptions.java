package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.Distribution;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.Series;
import java.util.ArrayList;
import java.util.List;

/**
 * The spec's archive as the stages that read it see it: part of the options of the bootstrap, base
 * image, sources and packages stages.
 *
 * @param distribution debian or ubuntu
 * @param series the code name, e.g. {@code bookworm}
 * @param architecture the target's architecture
 * @param mirror the archive root
 * @param components the components used
 * @param mirrorKey the key file the archive's InRelease must verify against, or null for the
 *     distribution's archive keyring
 * @param besides the suites read beside the series (its updates and security suites, as the spec
 *     wants and the series has them), see {@link ArchiveSuite#beside}
 */
record ArchiveOptions(
    Distribution distribution,
    String series,
    Architecture architecture,
    String mirror,
    List<String> components,
    String mirrorKey,
    List<ArchiveSuite> besides) {
  ArchiveOptions {
    components = List.copyOf(components);
    besides = List.copyOf(besides);
  }

  static ArchiveOptions of(ImageSpec spec) {
    return new ArchiveOptions(
        spec.distribution(),
        spec.series(),
        spec.architecture(),
        spec.mirror(),
        spec.components(),
        spec.mirrorKey(),
        ArchiveSuite.beside(
            spec.distribution(),
            spec.series(),
            spec.architecture(),
            spec.mirror(),
            spec.mirrorKey(),
            spec.updates(),
            spec.security()));
  }

  /** Every suite read: the series itself (named after the distribution), then those beside it. */
  List<ArchiveSuite> suites() {
    List<ArchiveSuite> all = new ArrayList<>();
    all.add(new ArchiveSuite(distribution.id(), mirror, series, mirrorKey, false));
    all.addAll(besides);
    return all;
  }

  Series seriesRef() {
    return new Series(distribution, series);
  }
}

package io.imagebuilder.manifest.internal;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import com.github.packageurl.PackageURLBuilder;
import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.ManifestArtifact;
import io.imagebuilder.manifest.api.ManifestPackage;
import io.imagebuilder.manifest.api.ManifestRepository;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.ExternalReference;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.metadata.ToolInformation;

/**
 * The manifest as a CycloneDX 1.6 JSON SBOM. The image is the metadata component (type
 * operating-system, with the artifacts' sha256); every installed package is a component with the
 * purl {@code pkg:deb/<distribution>/<name>@<version>?arch=<arch>&distro=<series>} (the purl-spec's
 * deb type: vendor as namespace, the series as {@code distro}), the sha256 of its .deb, and the
 * repository it came from as a {@code distribution} external reference plus {@code
 * imagebuilder:repository} property. Same manifest, same bytes: the serial number is derived from
 * the spec hash and the artifacts, the timestamp is SOURCE_DATE_EPOCH.
 */
public final class CycloneDxSbom {
  /** The schema version written. */
  public static final Version VERSION = Version.VERSION_16;

  private CycloneDxSbom() {}

  /** The SBOM of {@code manifest}; {@code imageName} names the image component. */
  public static String of(Manifest manifest, String imageName) {
    Bom bom = new Bom();
    bom.setSerialNumber("urn:uuid:" + serial(manifest));
    bom.setVersion(1);
    bom.setMetadata(metadata(manifest, imageName));
    Map<String, ManifestRepository> repositories =
        manifest.repositories().stream()
            .collect(Collectors.toMap(ManifestRepository::name, Function.identity(), (a, b) -> a));
    String distribution = String.valueOf(manifest.spec().get("distribution"));
    String series = String.valueOf(manifest.spec().get("series"));
    List<Component> components = new ArrayList<>();
    for (ManifestPackage p : manifest.packages()) {
      components.add(component(p, distribution, series, repositories.get(p.repository())));
    }
    bom.setComponents(components);
    try {
      return BomGeneratorFactory.createJson(VERSION, bom).toJsonString() + "\n";
    } catch (GeneratorException e) {
      throw new IllegalStateException(
          "cannot write the CycloneDX SBOM of " + imageName + ": " + e.getMessage(), e);
    }
  }

  /** {@code pkg:deb/<distribution>/<name>@<version>?arch=<arch>&distro=<series>}. */
  public static PackageURL purl(ManifestPackage p, String distribution, String series) {
    try {
      return PackageURLBuilder.aPackageURL()
          .withType("deb")
          .withNamespace(distribution)
          .withName(p.name())
          .withVersion(p.version())
          .withQualifier("arch", p.architecture())
          .withQualifier("distro", series)
          .build();
    } catch (MalformedPackageURLException e) {
      throw new IllegalArgumentException(
          "cannot make a package URL for " + p.name() + " " + p.version() + ": " + e.getMessage(),
          e);
    }
  }

  private static Component component(
      ManifestPackage p, String distribution, String series, ManifestRepository repository) {
    Component c = new Component();
    PackageURL purl = purl(p, distribution, series);
    c.setType(Component.Type.LIBRARY);
    c.setBomRef(purl.canonicalize());
    c.setName(p.name());
    c.setVersion(p.version());
    c.setPurl(purl);
    if (p.debSha256() != null) {
      c.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, p.debSha256())));
    }
    List<Property> properties = new ArrayList<>();
    properties.add(property("imagebuilder:source", p.source()));
    properties.add(property("imagebuilder:sourceVersion", p.sourceVersion()));
    if (p.repository() != null) {
      properties.add(property("imagebuilder:repository", p.repository()));
    }
    c.setProperties(properties);
    if (repository != null) {
      ExternalReference ref = new ExternalReference();
      ref.setType(ExternalReference.Type.DISTRIBUTION);
      ref.setUrl(repository.uri());
      ref.setComment(
          "apt repository '"
              + repository.name()
              + "', suite "
              + repository.suite()
              + (repository.inReleaseSha256() == null
                  ? ""
                  : ", InRelease sha256 " + repository.inReleaseSha256()));
      c.setExternalReferences(List.of(ref));
    }
    return c;
  }

  private static Metadata metadata(Manifest manifest, String imageName) {
    Metadata md = new Metadata();
    if (manifest.build() != null && manifest.build().sourceDateEpoch() != null) {
      md.setTimestamp(new Date(manifest.build().sourceDateEpoch() * 1000L));
    }
    Component tool = new Component();
    tool.setType(Component.Type.APPLICATION);
    tool.setGroup("io.imagebuilder");
    tool.setName("imagebuilder");
    tool.setVersion(
        manifest.build() == null ? LibraryVersion.get() : manifest.build().libraryVersion());
    ToolInformation tools = new ToolInformation();
    tools.setComponents(List.of(tool));
    md.setToolChoice(tools);

    Component image = new Component();
    image.setType(Component.Type.OPERATING_SYSTEM);
    image.setBomRef("image:" + manifest.specHash());
    image.setName(imageName);
    image.setVersion(String.valueOf(manifest.spec().get("series")));
    List<Hash> hashes = new ArrayList<>();
    if (!manifest.artifacts().isEmpty()) {
      hashes.add(new Hash(Hash.Algorithm.SHA_256, manifest.artifacts().get(0).sha256()));
    }
    image.setHashes(hashes.isEmpty() ? null : hashes);
    List<Property> properties = new ArrayList<>();
    properties.add(property("imagebuilder:specHash", manifest.specHash()));
    for (ManifestArtifact a : manifest.artifacts()) {
      properties.add(property("imagebuilder:artifact", a.file() + " sha256:" + a.sha256()));
    }
    image.setProperties(properties);
    md.setComponent(image);
    return md;
  }

  private static Property property(String name, String value) {
    Property p = new Property();
    p.setName(name);
    p.setValue(value);
    return p;
  }

  private static UUID serial(Manifest manifest) {
    StringBuilder seed = new StringBuilder(manifest.specHash());
    manifest.artifacts().forEach(a -> seed.append('\n').append(a.sha256()));
    manifest.packages().forEach(p -> seed.append('\n').append(p.lockEntry()));
    return UUID.nameUUIDFromBytes(seed.toString().getBytes(StandardCharsets.UTF_8));
  }
}

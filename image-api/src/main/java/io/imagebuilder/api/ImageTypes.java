package io.imagebuilder.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.imagebuilder.api.spec.AptSource;
import io.imagebuilder.api.spec.FileEntry;
import io.imagebuilder.api.spec.Lock;
import io.imagebuilder.api.spec.Ppa;
import io.imagebuilder.api.spec.UserAccount;
import io.imagebuilder.internal.json.Json;
import io.imagebuilder.internal.validate.Checks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A registry from {@code image_type} names to {@link ImageType}s. {@link #standard()} holds {@code
 * rootfs} (a root filesystem tarball, optionally from a base image), {@code disk} (a bootable disk
 * image for the request's {@code board}), {@code cloud} (a qcow2 cloud image with cloud-init for
 * {@code pc-amd64} or {@code qemu-arm64}, {@link ImageBuilder#asCloudImage(String)}) and whatever
 * ServiceLoader finds.
 *
 * <p>The standard types take these fields beyond the standard ones ({@link #SPEC_FIELDS}; {@code
 * cloud} all but {@code format}, being qcow2):
 *
 * <ul>
 *   <li>{@code variant}, {@code hostname}, {@code mirror}: strings, as the {@link ImageBuilder}
 *       methods;
 *   <li>{@code format}: a format such as {@code tar.zst}, or a list of them;
 *   <li>{@code exclude_list}: packages to leave out;
 *   <li>{@code source_date_epoch}: seconds since 1970;
 *   <li>{@code updates}, {@code security}: {@code false} leaves out the series' updates or security
 *       suite (default true);
 *   <li>{@code users}: objects {@code {"name", "groups": [...], "sudo": bool, "password_hash",
 *       "ssh_keys": [...]}};
 *   <li>{@code files}: objects {@code {"path", "mode": "0644", "content"}} or with {@code
 *       "content_base64"} instead of {@code content};
 *   <li>{@code repositories}: objects {@code {"name", "uri", "suite", "components": [...], "key":
 *       PATH}} or with {@code "unsigned": true} instead of a key;
 *   <li>{@code local_packages}: paths of .deb files, or objects {@code {"url": "https://.../x.deb",
 *       "sha256"}} of .debs downloaded when the build runs;
 *   <li>{@code image_sha256}: the sha256 the base image named by an {@code image} URL must have;
 *   <li>{@code lock}: a lock as a build wrote it ({@code <image>.lock}), whose packages the build
 *       installs exactly ({@link ImageBuilder#withLock(Lock)}).
 * </ul>
 *
 * {@code rootfs} also takes {@code arch}, {@code disk} and {@code cloud} take {@code board}
 * (default {@code pc-amd64}). Host paths in a request (the {@code image}, a PPA's key file, a
 * repository's key, local packages) must pass the registry's {@link RequestPolicy}, which by
 * default allows none.
 */
public final class ImageTypes {
  /** The fields the standard types take beyond the standard ones; see the class comment. */
  public static final Set<String> SPEC_FIELDS =
      Set.of(
          "variant",
          "hostname",
          "mirror",
          "format",
          "exclude_list",
          "source_date_epoch",
          "updates",
          "security",
          "users",
          "files",
          "repositories",
          "local_packages",
          "image_sha256",
          "lock");

  private static final Pattern URL = Pattern.compile("(?i)https?://.+");

  private final Map<String, ImageType> types;
  private final RequestPolicy policy;

  private ImageTypes(Map<String, ImageType> types, RequestPolicy policy) {
    this.types = Map.copyOf(types);
    this.policy = policy;
  }

  /**
   * The standard types and those ServiceLoader finds, with {@link RequestPolicy#noLocalPaths()}.
   *
   * @return a new registry
   */
  public static ImageTypes standard() {
    Map<String, ImageType> types = new LinkedHashMap<>();
    for (ImageType t : List.of(new RootfsImageType(), new DiskImageType(), new CloudImageType())) {
      types.put(t.name(), t);
    }
    ServiceLoader.load(ImageType.class).forEach(t -> types.put(t.name(), t));
    return new ImageTypes(types, RequestPolicy.noLocalPaths());
  }

  /**
   * A registry with {@code type} added (replacing one of the same name).
   *
   * @param type the type to add
   * @return the new registry; this one is unchanged
   */
  public ImageTypes with(ImageType type) {
    Map<String, ImageType> copy = new LinkedHashMap<>(types);
    copy.put(type.name(), type);
    return new ImageTypes(copy, policy);
  }

  /**
   * A registry like this one whose requests may name the host paths {@code policy} allows.
   *
   * @param policy the policy for host paths
   * @return the new registry; this one is unchanged
   */
  public ImageTypes withPolicy(RequestPolicy policy) {
    return new ImageTypes(types, Checks.notNull(policy, "request policy"));
  }

  /**
   * The policy for host paths in requests.
   *
   * @return the policy
   */
  public RequestPolicy policy() {
    return policy;
  }

  /**
   * The known {@code image_type} names, sorted.
   *
   * @return an unmodifiable sorted set
   */
  public Set<String> names() {
    return new TreeSet<>(types.keySet());
  }

  /**
   * A builder configured for {@code request}.
   *
   * @throws IllegalArgumentException for an unknown image_type (listing the known ones), a field
   *     the type does not accept, a host path the policy refuses, or any bad value
   * @param request the request
   * @return a new builder, to run with a {@link RunConfiguration}
   */
  public ImageBuilder builderFor(BuildRequest request) {
    ImageType type = types.get(request.imageType());
    if (type == null) {
      throw new IllegalArgumentException(
          "unknown image_type '"
              + Checks.excerpt(request.imageType())
              + "' (expected one of "
              + String.join(", ", names())
              + ")");
    }
    for (String field : request.extra().keySet()) {
      if (!type.extraFields().contains(field)) {
        throw new IllegalArgumentException(
            "unknown field '"
                + Checks.excerpt(field)
                + "' for image_type '"
                + type.name()
                + "' (expected "
                + (type.extraFields().isEmpty()
                    ? "none beyond the standard fields"
                    : "one of " + new TreeSet<>(type.extraFields()))
                + ")");
      }
    }
    if (request.image() != null && !URL.matcher(request.image()).matches()) {
      policy.localFile(request.image(), "image");
    }
    ImageBuilder builder = ImageBuilder.forSeries(request.series());
    for (String entry : request.ppaList()) {
      Ppa ppa = Ppa.parse(entry);
      if (ppa.keyFile() != null) {
        builder.withPpa(ppa.ppa(), policy.localFile(ppa.keyFile(), "key file of " + ppa.ppa()));
      } else {
        builder.withPpa(entry);
      }
    }
    builder.withPackages(request.packageList().toArray(String[]::new));
    new SpecFields(request, policy).apply(type.extraFields(), builder);
    type.configure(request, builder);
    return builder;
  }

  /** The base image a request names: its {@code image}, with {@code image_sha256} when given. */
  static String baseImage(BuildRequest request) {
    Object sha = request.extra().get("image_sha256");
    if (sha == null) {
      return request.image();
    }
    if (request.image() == null || !URL.matcher(request.image()).matches()) {
      throw new IllegalArgumentException(
          "image_sha256 '"
              + Checks.excerpt(sha)
              + "' without an image URL (expected it only with an http(s)"
              + " image, whose download it checks)");
    }
    Checks.sha256(String.valueOf(sha), "image_sha256");
    if (request.image().contains("#")) {
      throw new IllegalArgumentException(
          "invalid image '"
              + Checks.excerpt(request.image())
              + "' (expected a URL without a #fragment"
              + " when image_sha256 is given)");
    }
    return request.image() + "#sha256=" + sha;
  }

  /** The {@link #SPEC_FIELDS} of one request, applied to a builder. */
  private static final class SpecFields {
    private final BuildRequest request;
    private final RequestPolicy policy;

    SpecFields(BuildRequest request, RequestPolicy policy) {
      this.request = request;
      this.policy = policy;
    }

    void apply(Set<String> accepted, ImageBuilder b) {
      Map<String, Object> x = request.extra();
      if (accepted.contains("variant") && x.get("variant") != null) {
        b.withVariant((String) x.get("variant"));
      }
      if (accepted.contains("hostname") && x.get("hostname") != null) {
        b.withHostname((String) x.get("hostname"));
      }
      if (accepted.contains("mirror") && x.get("mirror") != null) {
        b.withMirror(remote((String) x.get("mirror"), "mirror"));
      }
      if (accepted.contains("format") && x.get("format") != null) {
        b.withOutputs(stringOrList(x.get("format")).toArray(String[]::new));
      }
      if (accepted.contains("exclude_list") && x.get("exclude_list") != null) {
        b.withoutPackages(list(x.get("exclude_list")).toArray(String[]::new));
      }
      if (accepted.contains("lock") && x.get("lock") != null) {
        try {
          b.withLock(Lock.fromJson(Json.mapper().writeValueAsString(x.get("lock"))));
        } catch (JsonProcessingException | IllegalArgumentException e) {
          throw new IllegalArgumentException("invalid lock in request: " + e.getMessage(), e);
        }
      }
      if (accepted.contains("source_date_epoch")
          && x.get("source_date_epoch") instanceof Number n) {
        b.withSourceDateEpoch(n.longValue());
      }
      if (accepted.contains("updates") && Boolean.FALSE.equals(x.get("updates"))) {
        b.withoutUpdates();
      }
      if (accepted.contains("security") && Boolean.FALSE.equals(x.get("security"))) {
        b.withoutSecurity();
      }
      if (accepted.contains("users")) {
        objects("users", List.of("name", "groups", "sudo", "password_hash", "ssh_keys"))
            .forEach(u -> b.withUser(user(u)));
      }
      if (accepted.contains("files")) {
        objects("files", List.of("path", "mode", "content", "content_base64"))
            .forEach(f -> b.withFile(file(f)));
      }
      if (accepted.contains("repositories")) {
        objects("repositories", List.of("name", "uri", "suite", "components", "key", "unsigned"))
            .forEach(r -> b.withRepository(repository(r)));
      }
      if (accepted.contains("local_packages") && x.get("local_packages") != null) {
        List<?> entries = (List<?>) x.get("local_packages");
        for (int i = 0; i < entries.size(); i++) {
          if (entries.get(i) instanceof String deb) {
            if (URL.matcher(deb).matches()) {
              throw new IllegalArgumentException(
                  "invalid local package '"
                      + Checks.excerpt(deb)
                      + "' (a URL without its sha256; expected"
                      + " {\"url\": \""
                      + Checks.excerpt(deb)
                      + "\", \"sha256\": \"64 hex digits\"})");
            }
            b.withLocalPackages(policy.localFile(deb, "local package"));
          } else {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) entries.get(i);
            Entry e = entry("local_packages[" + i + "]", m, List.of("url", "sha256"));
            b.withLocalPackage(e.string("url", true), e.string("sha256", true));
          }
        }
      }
    }

    private UserAccount user(Entry u) {
      return new UserAccount(
          u.string("name", true),
          u.strings("groups"),
          u.bool("sudo"),
          u.string("password_hash", false),
          u.strings("ssh_keys"));
    }

    private FileEntry file(Entry f) {
      String path = f.string("path", true);
      String mode = f.string("mode", false);
      String text = f.string("content", false);
      String base64 = f.string("content_base64", false);
      if ((text == null) == (base64 == null)) {
        throw new IllegalArgumentException(
            "invalid " + f.where + " (expected exactly one of content and content_base64)");
      }
      if (base64 == null) {
        base64 = Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
      }
      return new FileEntry(path, mode == null ? "0644" : mode, base64);
    }

    private AptSource repository(Entry r) {
      String name = r.string("name", true);
      String key = r.string("key", false);
      boolean unsigned = r.bool("unsigned");
      if (unsigned == (key != null)) {
        throw new IllegalArgumentException(
            "invalid "
                + r.where
                + " (expected either a key, the path of its OpenPGP key, or \"unsigned\": true)");
      }
      String keyFile =
          key == null ? null : policy.localFile(key, "key of repository '" + name + "'").toString();
      String uri = remote(r.string("uri", true), "uri of repository '" + name + "'");
      return new AptSource(
          name,
          uri,
          r.string("suite", true),
          r.strings("components"),
          keyFile,
          null,
          unsigned,
          false);
    }

    /**
     * A URL a request gives for an archive: http(s) only, a file: URL would read the build host.
     */
    private static String remote(String url, String what) {
      if (!URL.matcher(url).matches()) {
        throw new IllegalArgumentException(
            "invalid "
                + what
                + " '"
                + Checks.excerpt(io.imagebuilder.internal.validate.Secrets.redact(url))
                + "' (expected an http(s) URL: a build request may not name a directory of the build host)");
      }
      return url;
    }

    /** The entries of a list-of-objects field, each checked for unknown keys. */
    private List<Entry> objects(String field, List<String> keys) {
      Object v = request.extra().get(field);
      if (v == null) {
        return List.of();
      }
      List<Entry> out = new ArrayList<>();
      List<?> items = (List<?>) v;
      for (int i = 0; i < items.size(); i++) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) items.get(i);
        out.add(entry(field + "[" + i + "]", m, keys));
      }
      return out;
    }

    /** One object of a list field, checked for unknown keys. */
    private static Entry entry(String where, Map<String, Object> m, List<String> keys) {
      for (String k : m.keySet()) {
        if (!keys.contains(k)) {
          throw new IllegalArgumentException(
              "unknown field '"
                  + Checks.excerpt(k)
                  + "' in "
                  + where
                  + " (expected one of "
                  + new TreeSet<>(keys)
                  + ")");
        }
      }
      return new Entry(where, m);
    }

    private static List<String> stringOrList(Object v) {
      return v instanceof String s ? List.of(s) : list(v);
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Object v) {
      return (List<String>) v;
    }
  }

  /** One object of a list field, whose values are checked for their JSON type as they are read. */
  private record Entry(String where, Map<String, Object> values) {
    String string(String key, boolean required) {
      Object v = values.get(key);
      if (v == null) {
        if (required) {
          throw new IllegalArgumentException(
              where + " has no " + key + " (expected \"" + key + "\": a string)");
        }
        return null;
      }
      if (!(v instanceof String s)) {
        throw wrongType(key, v, "a string");
      }
      return s;
    }

    List<String> strings(String key) {
      Object v = values.get(key);
      if (v == null) {
        return List.of();
      }
      if (!(v instanceof List<?> l) || !l.stream().allMatch(String.class::isInstance)) {
        throw wrongType(key, v, "a list of strings");
      }
      List<String> out =
          new ArrayList<>(new LinkedHashSet<>(l.stream().map(String.class::cast).toList()));
      return out;
    }

    boolean bool(String key) {
      Object v = values.get(key);
      if (v == null) {
        return false;
      }
      if (!(v instanceof Boolean b)) {
        throw wrongType(key, v, "true or false");
      }
      return b;
    }

    private IllegalArgumentException wrongType(String key, Object v, String expected) {
      return new IllegalArgumentException(
          "invalid "
              + where
              + "."
              + key
              + " '"
              + Checks.excerpt(json(v))
              + "' (expected "
              + expected
              + ")");
    }
  }

  /** Starts {@code builder} from the request's base image, when it names one. */
  private static void withBaseImageOf(BuildRequest request, ImageBuilder builder) {
    String base = baseImage(request);
    if (base != null) {
      builder.withBaseImage(base);
    }
  }

  /** The request's {@code board}; pc-amd64 when it names none. */
  private static String boardOf(BuildRequest request) {
    return String.valueOf(request.extra().getOrDefault("board", "pc-amd64"));
  }

  private static String json(Object v) {
    try {
      return io.imagebuilder.internal.json.Json.mapper().writeValueAsString(v);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return String.valueOf(v);
    }
  }

  /** A root filesystem tarball; {@code image} names a base rootfs tarball to start from. */
  static final class RootfsImageType implements ImageType {
    @Override
    public String name() {
      return "rootfs";
    }

    @Override
    public String description() {
      return "a root filesystem tarball";
    }

    @Override
    public Set<String> extraFields() {
      Set<String> fields = new LinkedHashSet<>(SPEC_FIELDS);
      fields.add("arch");
      return Set.copyOf(fields);
    }

    @Override
    public void configure(BuildRequest request, ImageBuilder builder) {
      withBaseImageOf(request, builder);
      if (request.extra().get("arch") instanceof String arch) {
        builder.forArchitecture(arch);
      }
    }
  }

  /** A bootable disk image for {@code board} (default pc-amd64). */
  static final class DiskImageType implements ImageType {
    @Override
    public String name() {
      return "disk";
    }

    @Override
    public String description() {
      return "a bootable disk image for a board";
    }

    @Override
    public Set<String> extraFields() {
      Set<String> fields = new LinkedHashSet<>(SPEC_FIELDS);
      fields.add("board");
      return Set.copyOf(fields);
    }

    @Override
    public void configure(BuildRequest request, ImageBuilder builder) {
      withBaseImageOf(request, builder);
      builder.forBoard(boardOf(request));
    }
  }

  /**
   * A qcow2 cloud image with cloud-init for {@code board} ({@code pc-amd64}, the default, or {@code
   * qemu-arm64}): {@link ImageBuilder#asCloudImage(String)}. No {@code format}: it is qcow2.
   */
  static final class CloudImageType implements ImageType {
    @Override
    public String name() {
      return "cloud";
    }

    @Override
    public String description() {
      return "a qcow2 cloud image with cloud-init (pc-amd64 or qemu-arm64)";
    }

    @Override
    public Set<String> extraFields() {
      Set<String> fields = new LinkedHashSet<>(SPEC_FIELDS);
      fields.remove("format");
      fields.add("board");
      return Set.copyOf(fields);
    }

    @Override
    public void configure(BuildRequest request, ImageBuilder builder) {
      withBaseImageOf(request, builder);
      builder.asCloudImage(boardOf(request));
    }
  }
}

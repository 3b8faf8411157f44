package io.imagebuilder.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.imagebuilder.internal.json.Json;
import io.imagebuilder.internal.validate.Checks;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One image request in the JSON shape CI image builders take: {@code {"image_type": "rootfs",
 * "image": "<base image>", "series": "bookworm", "ppa_list": [...], "package_list": [...],
 * "trigger": "<progress channel>"}}. Fields beyond these are kept in {@link #extra()}: the image
 * type decides whether it accepts them.
 *
 * <p>The fields every standard type knows are checked for their JSON type when the request is read,
 * so {@code "arch": 5} or {@code "format": {}} fails naming the field, the value and the type
 * expected:
 *
 * <table>
 *   <caption>Request fields</caption>
 *   <tr><th>field</th><th>JSON type</th><th>meaning</th></tr>
 *   <tr><td>image_type</td><td>string</td><td>which {@link ImageType} builds it (required)</td></tr>
 *   <tr><td>series</td><td>string</td><td>e.g. {@code bookworm} (required)</td></tr>
 *   <tr><td>image</td><td>string</td><td>a base image: an http(s) URL, or a path the {@link
 *       RequestPolicy} allows</td></tr>
 *   <tr><td>image_sha256</td><td>string</td><td>the base image's sha256 (64 hex digits), checked
 *       after download</td></tr>
 *   <tr><td>ppa_list</td><td>list of strings</td><td>PPAs, see {@link
 *       io.imagebuilder.api.spec.Ppa#parse(String)}</td></tr>
 *   <tr><td>package_list</td><td>list of strings</td><td>packages to install (at most
 *       10,000)</td></tr>
 *   <tr><td>trigger</td><td>string</td><td>the progress channel (at most 128 printable ASCII
 *       characters)</td></tr>
 *   <tr><td>arch, board, variant, hostname, mirror</td><td>string</td><td>as the {@link
 *       ImageBuilder} methods of those names</td></tr>
 *   <tr><td>format</td><td>string or list of strings</td><td>artifact formats, e.g. {@code
 *       tar.zst}</td></tr>
 *   <tr><td>exclude_list</td><td>list of strings</td><td>packages to leave out</td></tr>
 *   <tr><td>source_date_epoch</td><td>integer</td><td>the timestamp clamp</td></tr>
 *   <tr><td>updates, security</td><td>boolean</td><td>{@code false} leaves out the series'
 *       updates or security suite (default true)</td></tr>
 *   <tr><td>users, files, repositories</td><td>list of objects</td><td>see {@link
 *       ImageTypes}</td></tr>
 *   <tr><td>local_packages</td><td>list of strings or objects</td><td>.deb paths the policy
 *       allows, or {@code {"url": "https://.../x.deb", "sha256": "..."}}</td></tr>
 *   <tr><td>lock</td><td>object</td><td>a lock as a build wrote it ({@code <image>.lock}, see
 *       {@link io.imagebuilder.api.spec.Lock}): install exactly its packages</td></tr>
 * </table>
 *
 * @param imageType which {@link ImageType} builds it
 * @param image a base image (path or URL), or null
 * @param series e.g. {@code bookworm}
 * @param ppaList PPAs as {@code ppa:owner/name}, {@code ppa:owner/name=FINGERPRINT} or {@code
 *     ppa:owner/name=KEYFILE} (see {@link io.imagebuilder.api.spec.Ppa#parse(String)})
 * @param packageList packages to install
 * @param trigger the progress channel events of this build carry, or ""
 * @param extra the other fields, as JSON values (String, Number, Boolean, List, Map)
 */
public record BuildRequest(
    String imageType,
    String image,
    String series,
    List<String> ppaList,
    List<String> packageList,
    String trigger,
    Map<String, Object> extra) {

  /** The JSON types of the fields the standard image types know, as a message says them. */
  private enum Kind {
    STRING("a string"),
    STRINGS("a list of strings"),
    STRING_OR_STRINGS("a string or a list of strings"),
    INTEGER("an integer"),
    BOOLEAN("a boolean"),
    STRINGS_OR_OBJECTS("a list of strings or objects"),
    OBJECTS("a list of objects"),
    OBJECT("an object");

    final String expected;

    Kind(String expected) {
      this.expected = expected;
    }
  }

  private static final Map<String, Kind> STANDARD =
      Map.of(
          "image_type", Kind.STRING,
          "image", Kind.STRING,
          "series", Kind.STRING,
          "ppa_list", Kind.STRINGS,
          "package_list", Kind.STRINGS,
          "trigger", Kind.STRING);

  private static final Map<String, Kind> KNOWN_EXTRA = knownExtra();

  /** Refuses a field given twice in one object. */
  private static final JsonFactory STRICT_JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static Map<String, Kind> knownExtra() {
    Map<String, Kind> m = new LinkedHashMap<>();
    for (String s : List.of("image_sha256", "arch", "board", "variant", "hostname", "mirror")) {
      m.put(s, Kind.STRING);
    }
    m.put("format", Kind.STRING_OR_STRINGS);
    m.put("exclude_list", Kind.STRINGS);
    m.put("local_packages", Kind.STRINGS_OR_OBJECTS);
    m.put("source_date_epoch", Kind.INTEGER);
    m.put("updates", Kind.BOOLEAN);
    m.put("security", Kind.BOOLEAN);
    m.put("lock", Kind.OBJECT);
    for (String s : List.of("users", "files", "repositories")) {
      m.put(s, Kind.OBJECTS);
    }
    return Map.copyOf(m);
  }

  /**
   * Checks and copies the values.
   *
   * @throws IllegalArgumentException for a missing image_type or series, a bad trigger or more than
   *     10,000 packages
   * @param imageType which {@link ImageType} builds it
   * @param image a base image (path or URL), or null
   * @param series e.g. {@code bookworm}
   * @param ppaList PPAs, each as {@link io.imagebuilder.api.spec.Ppa#parse(String)} reads it; null
   *     for none
   * @param packageList packages to install; null for none
   * @param trigger the progress channel, or ""
   * @param extra the other fields, as JSON values; null for none
   */
  public BuildRequest {
    if (imageType == null || imageType.isBlank()) {
      throw new IllegalArgumentException(
          "invalid image_type '"
              + Checks.excerpt(imageType)
              + "' (expected a type name such as rootfs)");
    }
    if (series == null) {
      throw new IllegalArgumentException(
          "request without series (expected e.g. \"series\": \"bookworm\")");
    }
    ppaList = List.copyOf(ppaList == null ? List.of() : ppaList);
    packageList =
        List.copyOf(
            Checks.packageCount(
                packageList == null ? List.of() : packageList, "packages in package_list"));
    trigger = Checks.trigger(trigger);
    extra = Map.copyOf(extra == null ? Map.of() : extra);
  }

  /**
   * Reads one request object, or a non-empty list of them, from JSON text. A field given twice, a
   * value of the wrong JSON type or an empty list is refused.
   *
   * @throws IllegalArgumentException naming what is wrong and where (request index, line and column
   *     of a syntax error)
   * @param json the JSON text
   * @return the requests, in order; never empty
   */
  public static List<BuildRequest> parseList(String json) {
    JsonNode root;
    try (JsonParser parser = STRICT_JSON.createParser(json)) {
      root =
          Json.mapper()
              .reader()
              .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
              .readTree(parser);
      if (root != null && parser.nextToken() != null) {
        throw new IllegalArgumentException(
            "invalid request JSON at "
                + at(parser.currentTokenLocation())
                + ": text after the end of the value (expected one object or one list)");
      }
    } catch (JsonProcessingException e) {
      String m = e.getOriginalMessage();
      if (m != null && m.startsWith("Duplicate field")) {
        throw new IllegalArgumentException(
            "invalid request JSON at "
                + at(e.getLocation())
                + ": "
                + m.replace("Duplicate field", "field")
                + " is given twice (expected each field once)",
            e);
      }
      throw new IllegalArgumentException(
          "invalid request JSON at " + at(e.getLocation()) + ": " + Checks.excerpt(m, 200), e);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(
          "invalid request JSON: " + Checks.excerpt(e.getMessage()), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new IllegalArgumentException(
          "empty request JSON (expected a request object or a list of them)");
    }
    List<BuildRequest> out = new ArrayList<>();
    if (root.isArray()) {
      if (root.isEmpty()) {
        throw new IllegalArgumentException(
            "empty request list [] (expected at least one request object)");
      }
      int i = 0;
      for (JsonNode n : root) {
        out.add(fromNode(n, "request [" + i++ + "]"));
      }
    } else {
      out.add(fromNode(root, "request"));
    }
    return out;
  }

  /**
   * Reads requests from the bytes of a file or a message, which must be UTF-8 (a BOM is not
   * allowed), as {@link #parseList(String)}.
   *
   * @throws IllegalArgumentException for bytes that are not UTF-8 (naming the offset) and whatever
   *     {@link #parseList(String)} refuses
   * @param json the UTF-8 bytes
   * @return the requests, in order; never empty
   */
  public static List<BuildRequest> parseList(byte[] json) {
    return parseList(utf8(json, "request JSON"));
  }

  /**
   * {@code bytes} as UTF-8 text, refusing bytes that are not UTF-8 with a message naming the first
   * bad byte and its offset.
   */
  static String utf8(byte[] bytes, String what) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      return decoder.decode(in).toString();
    } catch (CharacterCodingException e) {
      // decode() leaves the buffer at the start of the bad sequence.
      int offset = in.position();
      int line = 1;
      for (int i = 0; i < offset; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new IllegalArgumentException(
          "invalid "
              + what
              + ": byte 0x"
              + String.format("%02x", bytes[offset] & 0xff)
              + " at offset "
              + offset
              + " (line "
              + line
              + ") is not UTF-8 (expected UTF-8 text)",
          e);
    }
  }

  private static String at(JsonLocation l) {
    return l == null ? "an unknown place" : "line " + l.getLineNr() + ", column " + l.getColumnNr();
  }

  private static BuildRequest fromNode(JsonNode n, String where) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException(
          "invalid "
              + where
              + " '"
              + Checks.excerpt(n)
              + "' (expected a JSON object with image_type and series)");
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = n.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      Kind kind =
          STANDARD.containsKey(f.getKey()) ? STANDARD.get(f.getKey()) : KNOWN_EXTRA.get(f.getKey());
      if (kind != null) {
        check(f.getKey(), f.getValue(), kind, where);
      }
      if (!STANDARD.containsKey(f.getKey())) {
        extra.put(f.getKey(), Json.mapper().convertValue(f.getValue(), Object.class));
      }
    }
    try {
      return new BuildRequest(
          text(n, "image_type"),
          text(n, "image"),
          text(n, "series"),
          strings(n, "ppa_list"),
          strings(n, "package_list"),
          text(n, "trigger"),
          extra);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " in " + where, e);
    }
  }

  /** Refuses a value of the wrong JSON type; null counts as not given. */
  private static void check(String field, JsonNode v, Kind kind, String where) {
    if (v.isNull()) {
      return;
    }
    boolean ok =
        switch (kind) {
          case STRING -> v.isTextual();
          case STRINGS -> v.isArray() && allMatch(v, JsonNode::isTextual);
          case STRING_OR_STRINGS ->
              v.isTextual() || (v.isArray() && allMatch(v, JsonNode::isTextual));
          case INTEGER -> v.isIntegralNumber() && v.canConvertToLong();
          case BOOLEAN -> v.isBoolean();
          case OBJECTS -> v.isArray() && allMatch(v, JsonNode::isObject);
          case STRINGS_OR_OBJECTS -> v.isArray() && allMatch(v, e -> e.isTextual() || e.isObject());
          case OBJECT -> v.isObject();
        };
    if (!ok) {
      String entry = "";
      if (v.isArray()) {
        for (int i = 0; i < v.size(); i++) {
          JsonNode e = v.get(i);
          boolean entryOk =
              switch (kind) {
                case OBJECTS -> e.isObject();
                case STRINGS_OR_OBJECTS -> e.isObject() || e.isTextual();
                default -> e.isTextual();
              };
          if (!entryOk) {
            entry = " (entry " + i + " is " + typeOf(v.get(i)) + ")";
            break;
          }
        }
      }
      throw new IllegalArgumentException(
          "invalid "
              + field
              + " '"
              + Checks.excerpt(v)
              + "' in "
              + where
              + " (expected "
              + kind.expected
              + ", got "
              + typeOf(v)
              + entry
              + ")");
    }
  }

  private static boolean allMatch(JsonNode array, java.util.function.Predicate<JsonNode> p) {
    for (JsonNode e : array) {
      if (!p.test(e)) {
        return false;
      }
    }
    return true;
  }

  /** A JSON value's type as a message names it. */
  static String typeOf(JsonNode v) {
    return switch (v.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT, POJO -> "an object";
      case STRING -> "a string";
      case NUMBER -> v.isIntegralNumber() ? "an integer" : "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static List<String> strings(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      out.add(e.asText());
    }
    return out;
  }
}

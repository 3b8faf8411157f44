package io.imagebuilder.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.imagebuilder.internal.json.Json;
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
 * @param imageType which {@link ImageType} builds it
 * @param image a base image (path or URL), or null
 * @param series e.g. {@code bookworm}
 * @param ppaList PPAs as {@code ppa:owner/name}, {@code ppa:owner/name=FINGERPRINT} or {@code
 *     ppa:owner/name=KEYFILE} (see {@link io.imagebuilder.api.spec.Ppa#parse(String)})
 * @param packageList packages to install
 * @param trigger the progress channel events of this build carry, or ""
 * @param extra the other fields, as JSON values
 */
public record BuildRequest(
    String imageType,
    String image,
    String series,
    List<String> ppaList,
    List<String> packageList,
    String trigger,
    Map<String, Object> extra) {
  public BuildRequest {
    if (imageType == null || imageType.isBlank()) {
      throw new IllegalArgumentException(
          "invalid image_type '" + imageType + "' (expected a type name such as rootfs)");
    }
    if (series == null) {
      throw new IllegalArgumentException("request without series (expected e.g. \"series\": \"bookworm\")");
    }
    ppaList = List.copyOf(ppaList == null ? List.of() : ppaList);
    packageList = List.copyOf(packageList == null ? List.of() : packageList);
    trigger = trigger == null ? "" : trigger;
    extra = Map.copyOf(extra == null ? Map.of() : extra);
  }

  /** Reads one request object, or a list of them. */
  public static List<BuildRequest> parseList(String json) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid request JSON: " + e.getOriginalMessage(), e);
    }
    List<BuildRequest> out = new ArrayList<>();
    if (root != null && root.isArray()) {
      int i = 0;
      for (JsonNode n : root) {
        out.add(fromNode(n, "request [" + i++ + "]"));
      }
    } else {
      out.add(fromNode(root, "request"));
    }
    return out;
  }

  private static BuildRequest fromNode(JsonNode n, String where) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException(
          "invalid " + where + " '" + n + "' (expected a JSON object with image_type and series)");
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = n.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (!List.of("image_type", "image", "series", "ppa_list", "package_list", "trigger").contains(f.getKey())) {
        extra.put(f.getKey(), Json.mapper().convertValue(f.getValue(), Object.class));
      }
    }
    try {
      return new BuildRequest(
          text(n, "image_type", where),
          text(n, "image", where),
          text(n, "series", where),
          strings(n, "ppa_list", where),
          strings(n, "package_list", where),
          text(n, "trigger", where),
          extra);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " in " + where, e);
    }
  }

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(
          "invalid " + field + " '" + v + "' in " + where + " (expected a string)");
    }
    return v.asText();
  }

  private static List<String> strings(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (v.getNodeType() != JsonNodeType.ARRAY) {
      throw new IllegalArgumentException(
          "invalid " + field + " '" + v + "' in " + where + " (expected a list of strings)");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw new IllegalArgumentException(
            "invalid entry '" + e + "' of " + field + " in " + where + " (expected a string)");
      }
      out.add(e.asText());
    }
    return out;
  }
}

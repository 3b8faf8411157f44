package io.imagebuilder.console.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.api.BuildRequest;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.ImageTypes;
import io.imagebuilder.api.spec.ImageSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a build submission: an ImageSpec's JSON, one seed request {@code {image_type, series,
 * ...}}, or the seed's JSON list of requests. The library parses and checks them ({@link
 * BuildRequest#parseList(byte[])}, {@link ImageTypes#builderFor(BuildRequest)}, {@link
 * ImageSpec#fromJson(String)}); its messages name the bad field. All are checked before any is
 * queued.
 */
public final class SubmissionReader {
  private final ImageTypes types;
  private final ObjectMapper json;

  public SubmissionReader(ImageTypes types, ObjectMapper json) {
    this.types = types;
    this.json = json;
  }

  /**
   * The builds {@code body} asks for.
   *
   * @throws IllegalArgumentException naming what is wrong, as the library says it
   */
  public List<Submission> read(byte[] body) {
    JsonNode root = null;
    try {
      root = json.readTree(body);
    } catch (java.io.IOException e) {
      // not JSON: the library's parser says where and why
    }
    if (root != null && root.isObject() && !root.has("image_type")) {
      return List.of(fromSpec(new String(body, StandardCharsets.UTF_8)));
    }
    List<Submission> out = new ArrayList<>();
    for (BuildRequest r : BuildRequest.parseList(body)) {
      out.add(fromRequest(r));
    }
    return out;
  }

  /** One request, as a form or a queue message gives it. */
  public Submission fromRequest(BuildRequest request) {
    ImageBuilder builder = types.builderFor(request);
    return checked(new Submission(request.imageType(), builder, request.trigger()));
  }

  private Submission fromSpec(String text) {
    ImageSpec spec;
    try {
      spec = ImageSpec.fromJson(text);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid ImageSpec JSON: " + e.getMessage(), e);
    }
    types.policy().checkSpec(spec);
    return checked(new Submission("spec", ImageBuilder.fromSpec(spec), ""));
  }

  /** Plans the build, so what the library refuses when planning is refused before it is queued. */
  private static Submission checked(Submission s) {
    s.builder().plan();
    return s;
  }
}

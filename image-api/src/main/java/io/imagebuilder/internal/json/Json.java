package io.imagebuilder.internal.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.validate.Checks;
import java.util.stream.Collectors;

/**
 * The one JSON configuration of the library: canonical output (sorted keys, no insignificant
 * whitespace) for hashing, strict input (unknown fields are errors that name the field).
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .build();

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Sorted keys, no whitespace: the bytes that get hashed. */
  public static String canonical(Object value) {
    try {
      // A round trip through the tree sorts the keys of nested maps and records alike.
      Object tree = MAPPER.readValue(MAPPER.writeValueAsBytes(value), Object.class);
      return MAPPER.writeValueAsString(tree);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(
          "cannot write " + value + " as JSON: " + e.getMessage(), e);
    }
  }

  public static String pretty(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot write " + value + " as JSON: " + e.getMessage(), e);
    }
  }

  public static String sha256(String text) {
    return Sha256.ofString(text);
  }

  /**
   * Reads {@code json} as {@code type}; every error is an IllegalArgumentException that names the
   * bad field or value and what was expected.
   */
  public static <T> T read(String json, Class<T> type, String what) {
    try {
      return MAPPER.readValue(json, type);
    } catch (UnrecognizedPropertyException e) {
      String known =
          e.getKnownPropertyIds() == null
              ? ""
              : " (expected one of "
                  + e.getKnownPropertyIds().stream()
                      .map(String::valueOf)
                      .sorted()
                      .collect(Collectors.joining(", "))
                  + ")";
      throw new IllegalArgumentException(
          "unknown field '" + e.getPropertyName() + "' in " + what + known, e);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException) {
        throw new IllegalArgumentException(cause.getMessage() + " in " + what, cause);
      }
      throw new IllegalArgumentException("invalid " + what + ": " + e.getOriginalMessage(), e);
    } catch (InvalidFormatException e) {
      throw new IllegalArgumentException(
          "invalid value '"
              + e.getValue()
              + "' at "
              + path(e)
              + " in "
              + what
              + " (expected "
              + e.getTargetType().getSimpleName()
              + ")",
          e);
    } catch (MismatchedInputException e) {
      // A value of the wrong JSON type: say which, where and what was expected, not Jackson's
      // words.
      String at = path(e);
      String token = "";
      if (e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser p) {
        try {
          token = p.getText() == null ? "" : " '" + Checks.excerpt(p.getText()) + "'";
        } catch (java.io.IOException ignored) {
          // no token text to quote
        }
      }
      throw new IllegalArgumentException(
          "invalid value"
              + token
              + (at.isEmpty() ? "" : " at " + at)
              + " in "
              + what
              + " (expected "
              + expected(e.getTargetType())
              + ")",
          e);
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof IllegalArgumentException) {
        throw new IllegalArgumentException(e.getCause().getMessage() + " in " + what, e.getCause());
      }
      com.fasterxml.jackson.core.JsonLocation l = e.getLocation();
      throw new IllegalArgumentException(
          "invalid "
              + what
              + (l == null ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr())
              + ": "
              + Checks.excerpt(e.getOriginalMessage(), 200),
          e);
    }
  }

  /** A Java type as the JSON a message asks for. */
  private static String expected(Class<?> type) {
    if (type == null) {
      return "another JSON type";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    if (type.isEnum()) {
      return "a string";
    }
    return "an object";
  }

  private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }
}

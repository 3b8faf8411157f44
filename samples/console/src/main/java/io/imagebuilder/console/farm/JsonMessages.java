package io.imagebuilder.console.farm;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

/** The farm's messages: JSON bodies, persistent, so a broker restart loses none that are queued. */
public final class JsonMessages {
  private JsonMessages() {}

  /** {@code value} as a persistent JSON message. */
  public static Message of(ObjectMapper json, Object value) {
    try {
      return MessageBuilder.withBody(json.writeValueAsBytes(value))
          .setContentType(MessageProperties.CONTENT_TYPE_JSON)
          .setContentEncoding("UTF-8")
          .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a message of " + value.getClass(), e);
    }
  }

  /** A message's JSON body as a {@code type}. */
  public static <T> T read(ObjectMapper json, Message message, Class<T> type) {
    try {
      return json.readValue(message.getBody(), type);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "invalid " + type.getSimpleName() + " message: " + e.getMessage(), e);
    }
  }
}

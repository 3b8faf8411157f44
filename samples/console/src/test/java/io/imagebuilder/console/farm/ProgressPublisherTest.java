package io.imagebuilder.console.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/** Progress published while the broker is away waits, in order, and nothing is sent twice. */
class ProgressPublisherTest {
  private final ObjectMapper json = Jackson2ObjectMapperBuilder.json().build();

  /** A broker that can be away; what it took, in order. */
  private static final class Broker extends RabbitTemplate {
    final List<String> took = new ArrayList<>();
    final ObjectMapper json = new ObjectMapper();
    boolean away;

    @Override
    public void send(String exchange, String routingKey, Message message) {
      if (away) {
        throw new AmqpConnectException(new java.net.ConnectException("Connection refused"));
      }
      try {
        took.add(routingKey + " " + json.readTree(message.getBody()).get("error").asText());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void whatTheBrokerDidNotTakeGoesFirstWhenItIsBack() {
    Broker broker = new Broker();
    ProgressPublisher p = new ProgressPublisher(broker, FarmSettings.defaults(), json);
    p.rejected("t.1", "one");
    broker.away = true;
    p.rejected("t.2", "two");
    p.rejected("t.3", "three");
    p.retry();
    assertEquals(List.of("t.1 one"), broker.took);

    broker.away = false;
    p.rejected("t.4", "four");
    assertEquals(List.of("t.1 one", "t.2 two", "t.3 three", "t.4 four"), broker.took);
    p.retry();
    assertEquals(4, broker.took.size(), "nothing sent twice");
  }
}

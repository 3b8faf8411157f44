package io.imagebuilder.console.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.api.ImageTypes;
import io.imagebuilder.console.ConsoleDatabase;
import io.imagebuilder.console.ConsoleSettings;
import io.imagebuilder.console.TestDatabases;
import io.imagebuilder.console.build.BuildQueue;
import io.imagebuilder.console.build.BuildService;
import io.imagebuilder.console.build.BuildStore;
import io.imagebuilder.console.build.BuildView;
import io.imagebuilder.console.build.JdbcBuildStore;
import io.imagebuilder.console.build.SubmissionReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/** A request message delivered again queues nothing twice; the same list sent again is new work. */
class RequestListenerTest {
  @TempDir Path dir;
  @AutoClose private final TestDatabases databases = new TestDatabases();

  /** Never connects: no request here is rejected, so nothing is published. */
  @AutoClose("destroy")
  private final CachingConnectionFactory nowhere = new CachingConnectionFactory("127.0.0.1", 1);

  private final ObjectMapper json = Jackson2ObjectMapperBuilder.json().build();

  private static final class Jobs implements BuildQueue {
    final List<String> ids = new ArrayList<>();

    @Override
    public void submit(BuildView build, Runnable runHere) {
      ids.add(build.id());
    }

    @Override
    public boolean keepsJobs() {
      return true;
    }

    @Override
    public void shutdown() {}
  }

  private static Message message(String body, boolean redelivered) {
    MessageProperties p = new MessageProperties();
    p.setRedelivered(redelivered);
    return new Message(body.getBytes(StandardCharsets.UTF_8), p);
  }

  @Test
  void aMessageDeliveredAgainQueuesOnlyWhatWasNotQueued() {
    ConsoleDatabase db = databases.sqlite(dir.resolve("console.db"));
    BuildStore store = new JdbcBuildStore(db, json);
    Jobs jobs = new Jobs();
    BuildService builds =
        new BuildService(
            new ConsoleSettings(dir.resolve("data"), dir.resolve("cache"), 1, null), store, jobs);
    RequestListener listener =
        new RequestListener(
            new SubmissionReader(ImageTypes.standard(), json),
            builds,
            store,
            new ProgressPublisher(new RabbitTemplate(nowhere), FarmSettings.defaults(), json),
            json,
            "requests");
    String list =
        "[{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"package_list\":[\"hello\"],"
            + "\"trigger\":\"t.1\"},"
            + "{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"package_list\":[\"tree\"],"
            + "\"trigger\":\"t.2\"}]";

    listener.onMessage(message(list, false));
    assertEquals(2, jobs.ids.size());
    // the console stopped before the broker had its acknowledgement: the same delivery again
    listener.onMessage(message(list, true));
    assertEquals(2, jobs.ids.size(), "nothing queued twice");
    assertEquals(2, store.all().size());
    assertTrue(
        store.all().get(0).submittedFrom().matches("amqp:requests [0-9a-f]{16} \\[[01]\\]"),
        store.all().get(0).submittedFrom());

    // the seed publishing the same list again is a new request
    listener.onMessage(message(list, false));
    assertEquals(4, jobs.ids.size());
  }
}

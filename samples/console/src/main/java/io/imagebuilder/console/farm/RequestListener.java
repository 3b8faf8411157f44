package io.imagebuilder.console.farm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.api.BuildRequest;
import io.imagebuilder.console.Sha256;
import io.imagebuilder.console.build.BuildService;
import io.imagebuilder.console.build.BuildStore;
import io.imagebuilder.console.build.BuildView;
import io.imagebuilder.console.build.Submission;
import io.imagebuilder.console.build.SubmissionReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;

/**
 * Reads the seed's JSON list of requests (or one request) from the request queue. Each request is
 * checked on its own by the library ({@link BuildRequest#parseList(String)}, then planned): a bad
 * one is reported REJECTED on its trigger and not queued, the good ones are queued as builds.
 *
 * <p>Each build records the message it came from ({@code amqp:<queue> <sha256 of the body, 16 hex>
 * [<index>]}): a message delivered again (the console stopped, or the broker restarted, before its
 * acknowledgement reached the broker) queues only the requests not queued already.
 */
public final class RequestListener implements MessageListener {
  private static final Logger LOG = LoggerFactory.getLogger(RequestListener.class);

  private final SubmissionReader reader;
  private final BuildService builds;
  private final BuildStore store;
  private final ProgressPublisher progress;
  private final ObjectMapper json;
  private final String source;

  public RequestListener(
      SubmissionReader reader,
      BuildService builds,
      BuildStore store,
      ProgressPublisher progress,
      ObjectMapper json,
      String requestQueue) {
    this.reader = reader;
    this.builds = builds;
    this.store = store;
    this.progress = progress;
    this.json = json;
    this.source = "amqp:" + requestQueue;
  }

  @Override
  public void onMessage(Message message) {
    JsonNode root;
    try {
      root = json.readTree(message.getBody());
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !(root.isArray() || root.isObject())) {
      // no request to name: the library's parser says what is wrong, for the log
      String why;
      try {
        BuildRequest.parseList(message.getBody());
        why = "expected a request object or a list of them";
      } catch (IllegalArgumentException e) {
        why = e.getMessage();
      }
      LOG.warn("a message on {} was dropped: {}", source, why);
      return;
    }
    List<JsonNode> requests = new ArrayList<>();
    if (root.isArray()) {
      root.forEach(requests::add);
    } else {
      requests.add(root);
    }
    String from = source + " " + Sha256.of(message.getBody()).substring(0, 16);
    Set<String> queuedBefore =
        Boolean.TRUE.equals(message.getMessageProperties().getRedelivered())
            ? alreadyQueued(from)
            : Set.of();
    int good = 0;
    int again = 0;
    for (int i = 0; i < requests.size(); i++) {
      JsonNode r = requests.get(i);
      String fromThis = from + " [" + i + "]";
      if (queuedBefore.contains(fromThis)) {
        again++;
        continue;
      }
      try {
        String one = json.writeValueAsString(r);
        Submission s = reader.fromRequest(BuildRequest.parseList(one).get(0));
        builds.submit(List.of(s), "amqp", fromThis);
        good++;
      } catch (IllegalArgumentException | IOException e) {
        String error = "request [" + i + "]: " + e.getMessage();
        String trigger = r.path("trigger").isTextual() ? r.path("trigger").asText() : "";
        LOG.info(
            "rejected {} of {}{}", error, source, trigger.isEmpty() ? "" : " (" + trigger + ")");
        try {
          progress.rejected(trigger, error);
        } catch (RuntimeException bad) {
          LOG.warn("cannot report the rejection on trigger {}: {}", trigger, bad.toString());
        }
      }
    }
    LOG.info(
        "{}: {} builds queued, {} requests rejected{}",
        from,
        good,
        requests.size() - good - again,
        again == 0 ? "" : ", " + again + " queued already (the message was delivered again)");
  }

  private Set<String> alreadyQueued(String from) {
    Set<String> seen = new HashSet<>();
    for (BuildView b : store.all()) {
      if (b.submittedFrom() != null && b.submittedFrom().startsWith(from + " [")) {
        seen.add(b.submittedFrom());
      }
    }
    return seen;
  }
}

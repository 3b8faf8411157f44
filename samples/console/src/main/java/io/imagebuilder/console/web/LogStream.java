package io.imagebuilder.console.web;

import io.imagebuilder.console.build.BuildLog;
import io.imagebuilder.console.build.BuildStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** A build log's follower that sends its lines as server-sent events. */
final class LogStream implements BuildLog.Follower {
  private final SseEmitter emitter;

  LogStream(SseEmitter emitter) {
    this.emitter = emitter;
  }

  @Override
  public void line(long number, String text) {
    send(SseEmitter.event().id(Long.toString(number)).name("line").data(text));
  }

  @Override
  public void end(BuildStatus status) {
    send(SseEmitter.event().name("end").data(status.name()));
    emitter.complete();
  }

  private void send(SseEmitter.SseEventBuilder event) {
    try {
      emitter.send(event);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the client went away: the log lets this follower go
    }
  }
}

package io.imagebuilder.console.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildLogTest {
  @TempDir Path dir;

  /** Records what it is told, as "n:text" and "end:STATUS". */
  private static final class Recorder implements BuildLog.Follower {
    final List<String> seen = new ArrayList<>();

    @Override
    public void line(long number, String text) {
      seen.add(number + ":" + text);
    }

    @Override
    public void end(BuildStatus status) {
      seen.add("end:" + status);
    }
  }

  @Test
  void aLateFollowerGetsEveryLineOnceInOrderThenTheEnd() throws Exception {
    BuildLog log = new BuildLog(dir.resolve("b/build.log"));
    log.append("one");
    log.append("two\nthree");
    Recorder late = new Recorder();
    log.follow(late);
    log.append("four");
    log.end(BuildStatus.SUCCEEDED);
    log.append("after the end");

    assertEquals(List.of("1:one", "2:two", "3:three", "4:four", "end:SUCCEEDED"), late.seen);
    assertEquals(List.of("one", "two", "three", "four"), Files.readAllLines(log.file()));
  }

  @Test
  void aFollowerThatFailsIsLetGoAndTheOthersGoOn() throws Exception {
    BuildLog log = new BuildLog(dir.resolve("build.log"));
    Recorder good = new Recorder();
    log.follow(
        new BuildLog.Follower() {
          @Override
          public void line(long number, String text) {
            throw new IllegalStateException("client went away");
          }

          @Override
          public void end(BuildStatus status) {}
        });
    log.follow(good);
    log.append("a");
    log.append("b");
    log.end(BuildStatus.FAILED);
    assertEquals(List.of("1:a", "2:b", "end:FAILED"), good.seen);
  }

  @Test
  void theLogOfAnEarlierRunIsReadFromItsFile() throws Exception {
    Path file = dir.resolve("build.log");
    Files.writeString(file, "x\ny\n");
    BuildLog log = new BuildLog(file);
    log.end(BuildStatus.CANCELLED);
    Recorder r = new Recorder();
    log.follow(r);
    assertEquals(List.of("1:x", "2:y", "end:CANCELLED"), r.seen);
  }
}

package io.imagebuilder.console.notify;

import io.imagebuilder.console.build.ArtifactView;
import io.imagebuilder.console.build.BuildStatus;
import io.imagebuilder.console.build.BuildView;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * The mail about a build that ended: the subject names the build and its outcome; the body has the
 * build's page, each artifact's name and sha256, and for a failure the failing stage, the error and
 * the log's last lines.
 *
 * @param subject the subject line
 * @param text the plain-text body
 */
public record BuildMail(String subject, String text) {
  /** How many of the log's last lines a failure's mail quotes. */
  public static final int LOG_LINES = 20;

  /** The mail about {@code b}, whose page is {@code url} and whose log's end is {@code logTail}. */
  public static BuildMail of(BuildView b, String url, List<String> logTail) {
    String outcome = b.status().name().toLowerCase(Locale.ROOT);
    String what = b.series() + " " + b.architecture() + " " + b.imageType();
    String subject = "[imagebuilder] build " + b.id() + " " + outcome + " (" + what + ")";
    StringBuilder text = new StringBuilder();
    text.append("Build ").append(b.id()).append(" (").append(what).append(") ").append(outcome);
    text.append(".\n\n").append(url).append("\n\nSpec: ").append(b.specHash()).append('\n');
    if (!b.artifacts().isEmpty()) {
      text.append("\nArtifacts:\n");
      for (ArtifactView a : b.artifacts()) {
        text.append("  ").append(a.name()).append("  sha256 ").append(a.sha256()).append('\n');
      }
    }
    if (b.status() == BuildStatus.FAILED) {
      text.append("\nFailed stage: ")
          .append(b.failedStage() == null ? "(none: before the stages ran)" : b.failedStage());
      text.append("\nError: ").append(b.error()).append('\n');
      text.append("\nThe log's last lines:\n");
      logTail.forEach(l -> text.append("  ").append(l).append('\n'));
    }
    return new BuildMail(oneLine(subject), text.toString());
  }

  /** The last {@code n} lines of {@code file}, none if it does not exist. */
  public static List<String> lastLines(Path file, int n) {
    Deque<String> last = new ArrayDeque<>(n + 1);
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        last.addLast(line);
        if (last.size() > n) {
          last.removeFirst();
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the build log " + file, e);
    }
    return List.copyOf(last);
  }

  /** No line break reaches a header. */
  private static String oneLine(String s) {
    return s.replaceAll("[\\r\\n]+", " ");
  }
}

package io.imagebuilder.console.notify;

import io.imagebuilder.console.account.AccountStore;
import io.imagebuilder.console.build.BuildListener;
import io.imagebuilder.console.build.BuildStatus;
import io.imagebuilder.console.build.BuildView;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.MailSender;
import org.springframework.mail.SimpleMailMessage;

/**
 * Mails the requester (the submitting account's e-mail address, if it has one) when a build
 * succeeds or fails, off the build thread; a mail that cannot be sent is logged and dropped.
 */
public final class MailNotifier implements BuildListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MailNotifier.class);

  private final MailSender mail;
  private final AccountStore accounts;
  private final NotifySettings settings;
  private final Function<BuildView, Path> logFile;
  private final ExecutorService sender =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "build-mail");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param logFile the log file of a build
   */
  public MailNotifier(
      MailSender mail,
      AccountStore accounts,
      NotifySettings settings,
      Function<BuildView, Path> logFile) {
    this.mail = mail;
    this.accounts = accounts;
    this.settings = settings;
    this.logFile = logFile;
  }

  @Override
  public void changed(BuildView b) {
    if (b.status() != BuildStatus.SUCCEEDED && b.status() != BuildStatus.FAILED) {
      return;
    }
    sender.execute(() -> send(b));
  }

  private void send(BuildView b) {
    try {
      String to = accounts.find(b.submittedBy()).map(a -> a.email()).orElse(null);
      if (to == null) {
        return;
      }
      List<String> tail =
          b.status() == BuildStatus.FAILED
              ? BuildMail.lastLines(logFile.apply(b), BuildMail.LOG_LINES)
              : List.of();
      BuildMail m = BuildMail.of(b, settings.buildUrl(b.id()), tail);
      SimpleMailMessage message = new SimpleMailMessage();
      message.setFrom(settings.mailFrom());
      message.setTo(to);
      message.setSubject(m.subject());
      message.setText(m.text());
      mail.send(message);
      LOG.info("mailed {} about build {} ({})", to, b.id(), b.status());
    } catch (RuntimeException e) { // a MailException, or an unreadable log
      // JavaMail and Spring name the server and the addresses in these, never the password
      LOG.warn("cannot mail about build {}: {}", b.id(), e.toString());
    }
  }

  /** Sends the mails already queued (for up to 30 s), then stops. */
  @Override
  public void close() throws InterruptedException {
    sender.shutdown();
    if (!sender.awaitTermination(30, TimeUnit.SECONDS)) {
      LOG.warn("mails still queued at shutdown were dropped");
      sender.shutdownNow();
    }
  }
}

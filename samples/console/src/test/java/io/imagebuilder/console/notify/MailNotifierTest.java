package io.imagebuilder.console.notify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.console.ConsoleDatabase;
import io.imagebuilder.console.TestDatabases;
import io.imagebuilder.console.account.Account;
import io.imagebuilder.console.account.JdbcAccountStore;
import io.imagebuilder.console.account.Role;
import io.imagebuilder.console.build.BuildStatus;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mail.MailSendException;
import org.springframework.mail.MailSender;
import org.springframework.mail.SimpleMailMessage;

/** Who is mailed, when, and that a mail server that fails does not reach the build. */
class MailNotifierTest {
  @TempDir Path dir;
  @AutoClose private final TestDatabases databases = new TestDatabases();

  private final List<SimpleMailMessage> sent = new CopyOnWriteArrayList<>();

  private final MailSender recording =
      new MailSender() {
        @Override
        public void send(SimpleMailMessage... messages) {
          sent.addAll(List.of(messages));
        }
      };

  private MailNotifier notifier(MailSender mail) throws Exception {
    ConsoleDatabase db = databases.sqlite(dir.resolve("console.db"));
    JdbcAccountStore accounts = new JdbcAccountStore(db);
    accounts.save(new Account("erin", Set.of(Role.BUILD), null, List.of(), "erin@example.org"));
    accounts.save(new Account("olaf", Set.of(Role.BUILD), null, List.of()));
    Path log = Files.writeString(dir.resolve("build.log"), "resolving\nunknown package 'nope'\n");
    return new MailNotifier(
        mail,
        accounts,
        new NotifySettings(URI.create("https://ib.example.org"), "ib@example.org", null),
        b -> log);
  }

  @Test
  void theRequesterIsMailedOnSuccessAndFailureOnly() throws Exception {
    MailNotifier n = notifier(recording);
    n.changed(WebhooksTest.build(BuildStatus.RUNNING, List.of(), null, null));
    n.changed(WebhooksTest.build(BuildStatus.CANCELLED, List.of(), "cancelled", null));
    n.changed(WebhooksTest.build(BuildStatus.FAILED, List.of(), "unknown package", "packages"));
    n.changed(WebhooksTest.build(BuildStatus.SUCCEEDED, List.of(), null, null));
    n.close();
    assertEquals(2, sent.size(), sent.toString());
    SimpleMailMessage failed = sent.get(0);
    assertArrayEquals(new String[] {"erin@example.org"}, failed.getTo());
    assertEquals("ib@example.org", failed.getFrom());
    assertEquals("[imagebuilder] build b-42 failed (bookworm amd64 rootfs)", failed.getSubject());
    assertTrue(failed.getText().contains("https://ib.example.org/builds/b-42"), failed.getText());
    assertTrue(failed.getText().contains("  unknown package 'nope'\n"), failed.getText());
    assertTrue(sent.get(1).getSubject().contains(" succeeded "), sent.get(1).getSubject());
  }

  @Test
  void anAccountWithoutAnAddressGetsNoMail() throws Exception {
    MailNotifier n = notifier(recording);
    var b = WebhooksTest.build(BuildStatus.SUCCEEDED, List.of(), null, null);
    n.changed(
        new io.imagebuilder.console.build.BuildView(
            b.id(),
            b.status(),
            b.imageType(),
            b.series(),
            b.architecture(),
            b.board(),
            b.packages(),
            b.trigger(),
            b.specHash(),
            b.specJson(),
            "olaf",
            b.submittedFrom(),
            b.submittedAt(),
            b.startedAt(),
            b.finishedAt(),
            b.stages(),
            b.artifacts(),
            b.error(),
            b.failedStage()));
    n.close();
    assertEquals(List.of(), sent);
  }

  @Test
  void aMailServerThatFailsDoesNotFailTheBuild() throws Exception {
    MailNotifier n =
        notifier(
            new MailSender() {
              @Override
              public void send(SimpleMailMessage... messages) {
                throw new MailSendException("connection refused: 127.0.0.1:1");
              }
            });
    assertDoesNotThrow(
        () -> n.changed(WebhooksTest.build(BuildStatus.FAILED, List.of(), "x", "packages")));
    n.close();
  }
}

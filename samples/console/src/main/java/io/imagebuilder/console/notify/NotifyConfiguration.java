package io.imagebuilder.console.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.account.AccountStore;
import io.imagebuilder.console.build.BuildService;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.MailSender;

/**
 * The build listeners that tell of builds that ended: webhooks (when {@code console.webhooks} are
 * set) and mails (when {@code spring.mail.host} is set, Spring Boot's mail sender).
 */
@Configuration(proxyBeanMethods = false)
public class NotifyConfiguration {
  @Bean(destroyMethod = "close")
  WebhookSender webhookSender(NotifySettings settings, ObjectMapper json) {
    return new WebhookSender(settings.webhooks(), json, Duration.ofSeconds(1));
  }

  /** The build service is looked up when a mail is sent: it is made with this listener. */
  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(name = "spring.mail.host")
  MailNotifier mailNotifier(
      ObjectProvider<MailSender> mail,
      AccountStore accounts,
      NotifySettings settings,
      ObjectProvider<BuildService> builds) {
    return new MailNotifier(
        mail.getObject(), accounts, settings, b -> builds.getObject().log(b).file());
  }
}

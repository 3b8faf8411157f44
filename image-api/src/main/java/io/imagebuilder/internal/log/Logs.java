package io.imagebuilder.internal.log;

import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The library's loggers. SLF4J prints a warning to stderr the first time a logger is asked for with
 * no SLF4J provider on the classpath; the library must never print, so without a provider it hands
 * out a logger that does nothing and never asks SLF4J. With a provider (slf4j-simple, Logback, ...)
 * the loggers are SLF4J's own.
 */
public final class Logs {
  private static final boolean PROVIDER_PRESENT =
      ServiceLoader.load(SLF4JServiceProvider.class, Logs.class.getClassLoader())
              .findFirst()
              .isPresent()
          || ServiceLoader.load(SLF4JServiceProvider.class).findFirst().isPresent();

  private Logs() {}

  /** The logger of {@code type}. */
  public static Logger get(Class<?> type) {
    return PROVIDER_PRESENT ? LoggerFactory.getLogger(type) : NOPLogger.NOP_LOGGER;
  }
}

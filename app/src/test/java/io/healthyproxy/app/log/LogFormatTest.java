package io.healthyproxy.app.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Switching serve's stderr log to JSON, on the logging configuration the jar ships (StderrLogConfigurator). */
class LogFormatTest {

    @Test
    void jsonReplacesTheStderrEncoderAndTextLeavesTheConfigurationAlone() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        @SuppressWarnings("unchecked")
        OutputStreamAppender<ILoggingEvent> stderr = (OutputStreamAppender<ILoggingEvent>)
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(LogFormat.STDERR_APPENDER);
        Encoder<ILoggingEvent> text = stderr.getEncoder();
        try {
            LogFormat.TEXT.apply();
            assertThat(stderr.getEncoder()).isSameAs(text);

            LogFormat.JSON.apply();

            assertThat(stderr.getEncoder()).isInstanceOf(JsonLineEncoder.class);
            assertThat(stderr.isStarted()).isTrue();
        } finally {
            stderr.stop();
            stderr.setEncoder(text);
            stderr.start();
        }
    }
}

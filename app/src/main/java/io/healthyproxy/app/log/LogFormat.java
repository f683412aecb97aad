package io.healthyproxy.app.log;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.LoggerFactory;

/**
 * How {@code serve} writes its log to stderr: {@link #TEXT}, a line for people ({@link StderrLogConfigurator}'s
 * pattern, the default), or {@link #JSON}, one JSON object per line ({@link JsonLineEncoder}). The Maelstrom node
 * never gets here: {@code Main} hands it its own command before picocli and logback are touched, so its stdout
 * and stderr stay as they are.
 */
public enum LogFormat {
    TEXT,
    JSON;

    /** The appender of {@link StderrLogConfigurator} that writes to stderr. */
    static final String STDERR_APPENDER = "STDERR";

    /**
     * Makes the root logger's stderr appender write this format from now on. {@link #TEXT} leaves the
     * configuration as it is.
     *
     * @throws IllegalStateException if SLF4J is not bound to logback or its configuration has no stderr appender
     */
    public void apply() {
        if (this == TEXT) {
            return;
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            throw new IllegalStateException("--log-format json needs logback; SLF4J is bound to "
                    + LoggerFactory.getILoggerFactory().getClass().getName());
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Appender<ILoggingEvent> appender = root.getAppender(STDERR_APPENDER);
        if (!(appender instanceof OutputStreamAppender<ILoggingEvent> stderr)) {
            throw new IllegalStateException("logback's configuration has no " + STDERR_APPENDER + " appender to write "
                    + "JSON with");
        }
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(context);
        encoder.start();
        // Stopped while the encoder is swapped, so that no event is written half in one format and half in the other.
        stderr.stop();
        stderr.setEncoder(encoder);
        stderr.start();
    }
}

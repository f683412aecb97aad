package io.healthyproxy.app.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class JsonLineEncoderTest {

    private final LoggerContext context = new LoggerContext();
    private final JsonLineEncoder encoder = new JsonLineEncoder();

    JsonLineEncoderTest() {
        encoder.setContext(context);
        encoder.start();
    }

    @Test
    void anEventIsOneLineWithTheTimeInUtcAndItsFieldsTyped() {
        LoggingEvent event = event("healthyproxy.access", "127.0.0.1 \"GET / HTTP/1.1\" 200", null);
        event.addKeyValuePair(new KeyValuePair("status", 200));
        event.addKeyValuePair(new KeyValuePair("durationMs", 3.25));
        event.addKeyValuePair(new KeyValuePair("bytes", 12L));
        event.addKeyValuePair(new KeyValuePair("backend", "api-1"));
        event.addKeyValuePair(new KeyValuePair("held", true));

        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

        assertThat(line).endsWith("}\n").doesNotContain("\n{").hasLineCount(1);
        assertThat(FlatJson.parse(line)).containsExactly(Map.entry("time", "2026-12-01T11:53:07.042Z"),
                Map.entry("level", "INFO"), Map.entry("logger", "healthyproxy.access"), Map.entry("thread", "proxy-io-1"),
                Map.entry("message", "127.0.0.1 \"GET / HTTP/1.1\" 200"), Map.entry("status", 200L),
                Map.entry("durationMs", 3.25), Map.entry("bytes", 12L), Map.entry("backend", "api-1"),
                Map.entry("held", true));
    }

    @Test
    void aMessageWithLineBreaksAndControlCharactersStaysOneLine() {
        String line = new String(encoder.encode(event("x", "one\ntwo\u0001\"three\"", null)), StandardCharsets.UTF_8);

        assertThat(line).hasLineCount(1);
        assertThat(FlatJson.parse(line)).containsEntry("message", "one\ntwo\u0001\"three\"");
    }

    @Test
    void aFieldNamedLikeOneOfTheLinesOwnIsKeptUnderAPrefix() {
        LoggingEvent event = event("x", "hello", null);
        event.addKeyValuePair(new KeyValuePair("message", "from a caller"));

        assertThat(FlatJson.parse(new String(encoder.encode(event), StandardCharsets.UTF_8)))
                .containsEntry("message", "hello").containsEntry("kv_message", "from a caller");
    }

    @Test
    void anExceptionComesWithItsStackTraceAndNumbersJsonCannotHoldAsText() {
        LoggingEvent event = event("x", "failed", new IllegalStateException("boom"));
        event.addKeyValuePair(new KeyValuePair("ratio", Double.NaN));

        Map<String, Object> fields = FlatJson.parse(new String(encoder.encode(event), StandardCharsets.UTF_8));

        assertThat((String) fields.get("exception")).startsWith("java.lang.IllegalStateException: boom")
                .contains("\tat io.healthyproxy.app.log.JsonLineEncoderTest");
        assertThat(fields).containsEntry("ratio", "NaN");
    }

    private LoggingEvent event(String logger, String message, Throwable thrown) {
        LoggingEvent event = new LoggingEvent("fqcn", context.getLogger(logger), Level.INFO, message, thrown, null);
        event.setInstant(Instant.parse("2026-12-01T11:53:07.042123Z"));
        event.setThreadName("proxy-io-1");
        return event;
    }
}

package io.healthyproxy.http.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code GET /timeline}: the {@link Timeline}'s recent events, oldest first. Times are milliseconds on the
 * proxy's monotonic clock: {@code atMs} since the proxy started, {@code agoMs} before this answer was written, so
 * a reader needs no synchronised wall clock. The shape is documented in docs/ARCHITECTURE.md ("The dashboard").
 */
final class TimelineJson {

    private static final JsonFactory JSON = new JsonFactory();

    private TimelineJson() {
    }

    static byte[] render(Timeline timeline, long nowNanos) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = JSON.createGenerator(out).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            g.writeNumberField("uptimeMs", millis(nowNanos - timeline.originNanos()));
            g.writeNumberField("maxAgeMs", timeline.maxAge().toMillis());
            g.writeNumberField("capacity", timeline.capacity());
            g.writeArrayFieldStart("events");
            for (Timeline.Event e : timeline.recent()) {
                g.writeStartObject();
                g.writeNumberField("sequence", e.sequence());
                g.writeNumberField("atMs", millis(e.atNanos() - timeline.originNanos()));
                g.writeNumberField("agoMs", Math.max(0, millis(nowNanos - e.atNanos())));
                g.writeStringField("cluster", e.cluster());
                g.writeStringField("backend", e.backend());
                g.writeStringField("kind", e.kind().label());
                if (e.from() != null) {
                    g.writeStringField("from", e.from());
                }
                g.writeStringField("to", e.to());
                g.writeStringField("reason", e.reason());
                g.writeStringField("text", e.text());
                if (e.lengthNanos() > 0) {
                    g.writeNumberField("lengthMs", millis(e.lengthNanos()));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}

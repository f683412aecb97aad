package io.healthyproxy.app.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per log event, one per line, for log shippers (Vector, Fluent Bit, Loki, CloudWatch):
 * <pre>{@code
 * {"time":"2026-12-01T11:53:00.123Z","level":"INFO","logger":"healthyproxy.access","thread":"proxy-io-2",
 *  "message":"127.0.0.1 \"GET / HTTP/1.1\" 200 2B 0.4ms cluster=default ...","method":"GET","status":200,...}
 * }</pre>
 * {@code time} is ISO-8601 in UTC with milliseconds; then {@code level}, {@code logger}, {@code thread},
 * {@code message}, each of the event's SLF4J key-value pairs as a field of its own (numbers and booleans
 * as such, anything else as its string; a key that would clash with one of the fields above gets a
 * {@code kv_} prefix), and {@code exception} with the stack trace when there is one.
 *
 * <p>Why not logback's own {@code JsonEncoder} (1.5): it writes the time as epoch milliseconds, puts the
 * key-value pairs in a {@code kvpList} array of one-entry objects with every value a string, and adds a
 * sequence number, nanoseconds and the logger context to every line; shippers then need a transform to reach
 * what this writes directly. Jackson's streaming generator (already the proxy's, for its admin JSON) does
 * the escaping.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Set<String> OWN_FIELDS = Set.of("time", "level", "logger", "thread", "message", "exception");
    private static final byte[] NOTHING = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", TIME.format(event.getInstant()));
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("thread", event.getThreadName());
            g.writeStringField("message", event.getFormattedMessage());
            List<KeyValuePair> fields = event.getKeyValuePairs();
            if (fields != null) {
                for (KeyValuePair kv : fields) {
                    g.writeFieldName(OWN_FIELDS.contains(kv.key) ? "kv_" + kv.key : kv.key);
                    writeValue(g, kv.value);
                }
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                g.writeStringField("exception", ThrowableProxyUtil.asString(thrown));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);        // a ByteArrayOutputStream does not fail
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeString(Double.toString(d));  // JSON has no NaN or Infinity
            }
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof BigInteger i) {
            g.writeNumber(i);
        } else {
            g.writeString(value.toString());
        }
    }

    @Override
    public byte[] footerBytes() {
        return NOTHING;
    }
}

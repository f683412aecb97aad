package io.healthyproxy.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.healthyproxy.http.internal.RequestPathHarness.Connect;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** The access log's line for people and its fields for a structured log, for requests through the request path. */
class AccessLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("healthyproxy.access");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void listen() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(lines);
    }

    @Test
    void anAnsweredRequestHasEveryFieldAndALineThatNamesClusterAndRoute() {
        RequestPathHarness h = RequestPathHarness.start(2, b -> b.accessLog(true));
        h.backend("b1").thenConnect(Connect.REFUSE);
        HttpRequest head = RequestPathHarness.head(HttpMethod.GET, "/items?id=7");
        head.headers().set("X-Request-Id", "req-1");

        h.send(head);
        h.send(LastHttpContent.EMPTY_LAST_CONTENT);
        h.advanceMillis(3);
        h.backend("b2").last().respond(200, "hello");
        h.answer();

        ILoggingEvent line = lines.list.get(0);
        assertThat(line.getFormattedMessage()).isEqualTo("unknown \"GET /items?id=7 HTTP/1.1\" 200 5B 3.0ms "
                + "cluster=test route=default backend=b2 attempts=2 requestId=req-1");
        assertThat(fields(line)).containsExactly(Map.entry("method", "GET"), Map.entry("path", "/items?id=7"),
                Map.entry("protocol", "HTTP/1.1"), Map.entry("status", 200), Map.entry("cluster", "test"),
                Map.entry("route", "default"), Map.entry("backend", "b2"), Map.entry("attempts", 2),
                Map.entry("durationMs", 3.0), Map.entry("bytes", 5L), Map.entry("client", "unknown"),
                Map.entry("requestId", "req-1"));
    }

    @Test
    void aProxyMadeAnswerHasItsErrorAndNoBackend() {
        RequestPathHarness h = RequestPathHarness.start(1, b -> b.accessLog(true));
        h.backend("b1").thenConnect(Connect.REFUSE);

        h.get("/");
        h.answer();

        Map<String, Object> fields = fields(lines.list.get(0));
        assertThat(fields).containsEntry("status", 502).containsEntry("error", "backend_unreachable")
                .containsEntry("attempts", 1).doesNotContainKey("backend");
        assertThat(lines.list.get(0).getFormattedMessage()).endsWith(" error=backend_unreachable");
    }

    private static Map<String, Object> fields(ILoggingEvent line) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (KeyValuePair kv : line.getKeyValuePairs()) {
            fields.put(kv.key, kv.value);
        }
        return fields;
    }
}

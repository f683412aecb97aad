package io.healthyproxy.http.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.healthyproxy.http.ReloadOutcome;
import io.healthyproxy.http.ReloadSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The answer to {@code POST /reload}: {@code {"reloaded": true, "backendsKept": 3, "backendsAdded": [...], ...}},
 * or {@code {"reloaded": false, "problems": ["proxy.yaml:4: ...", ...]}}.
 */
final class ReloadJson {

    private static final JsonFactory JSON = new JsonFactory();

    private ReloadJson() {
    }

    static byte[] render(ReloadOutcome outcome) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            g.writeBooleanField("reloaded", outcome.applied());
            if (outcome.applied()) {
                ReloadSummary s = outcome.summary();
                g.writeNumberField("backendsKept", s.backendsKept());
                list(g, "backendsAdded", s.backendsAdded());
                list(g, "backendsRemoved", s.backendsRemoved());
                list(g, "clustersAdded", s.clustersAdded());
                list(g, "clustersRemoved", s.clustersRemoved());
                list(g, "clustersChanged", s.clustersChanged());
                g.writeNumberField("routes", s.routes());
                list(g, "needRestart", s.needRestart());
            } else {
                list(g, "problems", outcome.problems());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static void list(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}

package io.healthyproxy.bench.scenario;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HealthyProxy's ejections, from its admin API's {@code /timeline} (docs/ARCHITECTURE.md, "The dashboard"): a
 * backend is taken out each time its circuit opens (again after a failed trial too), its health checks turn it
 * unhealthy, or it is ejected for slowness. Events are told apart from earlier ones by their sequence number.
 */
final class HealthyProxyTimeline implements EjectionProbe {

    /** The start-up line names the admin port the kernel picked: {@code ..., admin on 127.0.0.1:PORT, ...}. */
    private static final Pattern ADMIN = Pattern.compile("admin on 127\\.0\\.0\\.1:(\\d+)");
    private static final JsonFactory JSON = new JsonFactory();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path log;
    private int adminPort;
    private long seenUpTo;

    HealthyProxyTimeline(Path log) {
        this.log = log;
    }

    @Override
    public void start() throws Exception {
        Matcher admin = ADMIN.matcher(Files.readString(log));
        while (admin.find()) {                  // the log is appended to by every run: the last start is this one
            adminPort = Integer.parseInt(admin.group(1));
        }
        if (adminPort == 0) {
            throw new IllegalStateException("no admin port in " + log);
        }
        seenUpTo = lastSequence(timeline());
    }

    @Override
    public Ejections since() throws Exception {
        return Ejections.counted(takenOut(timeline(), seenUpTo));
    }

    private String timeline() throws IOException, InterruptedException {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/timeline"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /timeline: " + r.statusCode());
        }
        return r.body();
    }

    /** The highest event sequence number in a {@code /timeline} answer, 0 for none. */
    static long lastSequence(String json) {
        long[] last = {0};
        events(json, e -> last[0] = Math.max(last[0], e.sequence));
        return last[0];
    }

    /** Per backend, the times it was taken out in events after {@code afterSequence}. */
    static Map<String, Integer> takenOut(String json, long afterSequence) {
        Map<String, Integer> times = new HashMap<>();
        events(json, e -> {
            boolean out = switch (e.kind) {
                case "circuit" -> "open".equals(e.to);
                case "health" -> "unhealthy".equals(e.to);
                case "ejection" -> true;
                default -> false;
            };
            if (out && e.sequence > afterSequence) {
                times.merge(e.backend, 1, Integer::sum);
            }
        });
        return times;
    }

    private static final class Event {
        long sequence;
        String backend = "";
        String kind = "";
        String to = "";
    }

    private static void events(String json, java.util.function.Consumer<Event> each) {
        try (JsonParser p = JSON.createParser(json)) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("events")) {
                    p.nextToken();                  // START_ARRAY
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        each.accept(event(p));
                    }
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not a /timeline answer", e);
        }
    }

    private static Event event(JsonParser p) throws IOException {
        Event e = new Event();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "sequence" -> e.sequence = p.getLongValue();
                case "backend" -> e.backend = p.getText();
                case "kind" -> e.kind = p.getText();
                case "to" -> e.to = p.getText();
                default -> p.skipChildren();
            }
        }
        return e;
    }
}

package io.healthyproxy.maelstrom.node;

import io.healthyproxy.core.Backend;
import io.healthyproxy.core.BackendGroup;
import io.healthyproxy.core.BackendPool;
import io.healthyproxy.core.BackendStatus;
import io.healthyproxy.core.SlownessConfig;
import io.healthyproxy.core.health.ProbeResult;
import io.healthyproxy.core.time.Scheduler;
import io.healthyproxy.core.time.Ticker;
import io.healthyproxy.maelstrom.json.JsonArray;
import io.healthyproxy.maelstrom.json.JsonBoolean;
import io.healthyproxy.maelstrom.json.JsonObject;
import io.healthyproxy.maelstrom.json.JsonString;
import io.healthyproxy.maelstrom.json.JsonValue;
import io.healthyproxy.maelstrom.protocol.Body;
import io.healthyproxy.maelstrom.protocol.Decoded;
import io.healthyproxy.maelstrom.protocol.ErrorCode;
import io.healthyproxy.maelstrom.protocol.Message;
import io.healthyproxy.maelstrom.protocol.ReplyAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The Maelstrom node: a health-aware proxy among its peers. It answers {@code init} and
 * {@code health_check}, routes client {@code echo} and {@code relay_request} messages to a backend whose
 * circuit admits traffic, serves such requests itself when a peer forwards them, and reports its circuits.
 * Every message type, with examples, is in {@code docs/PROTOCOL.md}.
 *
 * <p>Single-threaded by design: every method, and every task it schedules, must run on one thread (the
 * runtime's event loop, or the simulator's). That keeps the node free of locks and its runs reproducible;
 * the core's structures it uses are thread-safe anyway.
 */
public final class ProxyNode {

    private final NodeConfig config;
    private final Scheduler scheduler;
    private final Ticker ticker;
    private final RandomGenerator random;
    private final NodeObserver observer;
    private final Sender sender;
    private final Rpc rpc;

    private String nodeId;
    private List<String> nodeIds;
    private Set<String> peers = Set.of();
    private BackendPool pool;
    private BackendGroup group;
    private Router router;
    private boolean stopped;

    public ProxyNode(NodeConfig config, Outbox outbox, Scheduler scheduler, Ticker ticker, RandomGenerator random,
            NodeObserver observer) {
        this.config = config;
        this.scheduler = scheduler;
        this.ticker = ticker;
        this.random = random;
        this.observer = observer;
        this.sender = new Sender(outbox);
        this.rpc = new Rpc(sender, scheduler);
    }

    /** The node's id once initialised, else null. */
    public String nodeId() {
        return nodeId;
    }

    /** The pool of backends once initialised, else null. */
    public BackendPool pool() {
        return pool;
    }

    /** Handles one decoded frame: a message, or the news that a malformed one arrived. */
    public void onDecoded(Decoded decoded) {
        if (decoded instanceof Decoded.Valid valid) {
            onMessage(valid.message());
        } else {
            onMalformed((Decoded.Malformed) decoded);
        }
    }

    public void onMessage(Message message) {
        if (stopped) {
            return;
        }
        if (message.isReply()) {
            if (!rpc.complete(message)) {
                observer.diagnostic("ignored " + message.body().type() + " from " + message.src()
                        + ": no request of mine has msg_id " + message.body().inReplyTo());
            }
            return;
        }
        Body body = message.body();
        if (body.type().equals("init")) {
            init(message);
            return;
        }
        if (nodeId == null) {
            sender.reply(message, Body.error(ErrorCode.TEMPORARILY_UNAVAILABLE, "not initialised yet: send init first"));
            return;
        }
        if (!message.dest().equals(nodeId)) {
            sender.reply(message, Body.error(ErrorCode.NODE_NOT_FOUND,
                    "this is node " + nodeId + ", not " + message.dest()));
            return;
        }
        switch (body.type()) {
            case "health_check" -> sender.reply(message, Body.of("health_check_ok"));
            case "echo", "relay_request" -> {
                if (peers.contains(message.src())) {
                    serve(message);
                } else {
                    router.route(message);
                }
            }
            case "circuit_status" -> sender.reply(message, Body.of("circuit_status_ok", circuitStatus()));
            case "get_healthy_servers" -> sender.reply(message, Body.of("get_healthy_servers_ok",
                    JsonObject.EMPTY.with("healthy", JsonArray.ofStrings(
                            pool.admitting().stream().map(Backend::id).toList()))));
            default -> sender.reply(message, Body.error(ErrorCode.NOT_SUPPORTED,
                    "unsupported message type: " + body.type()));
        }
    }

    public void onMalformed(Decoded.Malformed malformed) {
        if (stopped) {
            return;
        }
        Optional<ReplyAddress> address = malformed.address();
        if (address.isEmpty() || address.get().wasReply()) {
            observer.diagnostic("dropped malformed message (" + malformed.reason() + ")"
                    + (address.isPresent() ? " from " + address.get().src() + ": replies are never answered" : ""));
            return;
        }
        ReplyAddress to = address.get();
        String from = nodeId != null ? nodeId : to.dest() != null ? to.dest() : "unknown";
        sender.reply(to.src(), to.msgId(), from, Body.error(ErrorCode.MALFORMED_REQUEST, malformed.reason()));
        observer.diagnostic("malformed message from " + to.src() + ": " + malformed.reason());
    }

    /**
     * The input has ended: stop checking, and answer every client request still waiting (error 0, since the
     * backend may have served it), so that nothing is left unanswered.
     */
    public void stop() {
        if (stopped) {
            return;
        }
        if (group != null) {
            group.close();
        }
        if (router != null) {
            router.stop();
        }
        rpc.failAll(new NodeStoppedException());
        stopped = true;
    }

    private void init(Message message) {
        Body body = message.body();
        Optional<String> id = body.string("node_id").filter(s -> !s.isEmpty());
        List<String> ids = stringList(body.fields().get("node_ids").orElse(null));
        if (id.isEmpty() || ids == null) {
            sender.reply(message, Body.error(ErrorCode.MALFORMED_REQUEST,
                    "init needs node_id (a non-empty string) and node_ids (an array of strings)"));
            return;
        }
        if (nodeId != null) {
            if (nodeId.equals(id.get()) && nodeIds.equals(ids)) {
                sender.reply(message, Body.of("init_ok"));     // a repeated init, e.g. a retry: same answer
            } else {
                sender.reply(message, Body.error(ErrorCode.PRECONDITION_FAILED,
                        "already initialised as " + nodeId + " of " + nodeIds));
            }
            return;
        }
        nodeId = id.get();
        nodeIds = ids;
        sender.setSelf(nodeId);
        sender.reply(message, Body.of("init_ok"));
        startRouting();
    }

    private void startRouting() {
        List<String> backendIds = !config.backends().isEmpty() ? config.backends()
                : nodeIds.stream().filter(n -> !n.equals(nodeId)).toList();
        Set<String> known = new LinkedHashSet<>(nodeIds);
        known.addAll(backendIds);
        known.remove(nodeId);
        peers = known;
        // The seed's group: its breaker as configured, no early half-open, no slowness judgement.
        group = BackendGroup.builder()
                .backends(new LinkedHashSet<>(backendIds))
                .balancing(config.balancing())
                .whenNoneAdmits(config.whenNoneAdmits())
                .breaker(config.breaker())
                .halfOpenOnHealthRecovery(false)
                .slowness(SlownessConfig.OFF)
                .healthCheck(config.health(), (backend, timeout) ->
                        rpc.call(backend.id(), Body.of("health_check"), timeout).thenApply(reply ->
                                reply.body().type().equals("health_check_ok") ? ProbeResult.passed("health_check_ok")
                                        : ProbeResult.failed("answered " + reply.body().type())))
                .scheduler(scheduler).ticker(ticker).random(random)
                .circuitListener(observer::circuitTransition)
                .healthListener(observer::healthChanged)
                .build();
        pool = group.pool();
        router = new Router(pool, rpc, sender, config, observer);
        group.start();
    }

    /** A peer forwarded a client's request: this node is the backend now. */
    private void serve(Message request) {
        Body body = request.body();
        if (body.type().equals("echo")) {
            sender.reply(request, Body.of("echo_ok", body.fields()));
        } else {
            String path = body.string("path").orElse("/");
            sender.reply(request, Body.of("relay_response", JsonObject.EMPTY.with("status", 200).with("path", path)));
        }
    }

    private JsonObject circuitStatus() {
        Map<String, JsonValue> backends = new LinkedHashMap<>();
        for (Backend backend : pool.backends()) {
            BackendStatus s = backend.status();
            backends.put(s.id(), JsonObject.EMPTY
                    .with("state", s.circuit().state().label())
                    .with("healthy", JsonBoolean.of(s.health().healthy()))
                    .with("admitting", JsonBoolean.of(s.admitting()))
                    .with("consecutive_failures", s.circuit().consecutiveFailures())
                    .with("times_opened", s.circuit().timesOpened())
                    .with("open_remaining_ms", s.circuit().openRemaining().toMillis())
                    .with("in_flight", s.inFlight())
                    .with("succeeded", s.succeeded())
                    .with("failed", s.failed())
                    .with("last_check", s.health().lastResult() == null ? "none" : s.health().lastResult().detail()));
        }
        return JsonObject.EMPTY.with("backends", new JsonObject(backends));
    }

    private static List<String> stringList(JsonValue value) {
        if (!(value instanceof JsonArray array)) {
            return null;
        }
        List<String> strings = new ArrayList<>();
        for (JsonValue v : array.values()) {
            if (!(v instanceof JsonString s)) {
                return null;
            }
            strings.add(s.value());
        }
        return strings;
    }
}

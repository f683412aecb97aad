package io.healthyproxy.http.internal;

import io.healthyproxy.core.time.HumanDuration;
import io.healthyproxy.core.time.Scheduler;
import io.healthyproxy.core.time.Ticker;
import io.healthyproxy.http.ProxyClock;
import io.healthyproxy.http.config.BackendConfig;
import io.healthyproxy.http.config.DiscoveredBackends;
import io.healthyproxy.http.config.DiscoverySettings;
import io.healthyproxy.http.config.Endpoint;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds backends in DNS, again and again: each {@link DiscoveredBackends} entry of each cluster is resolved
 * every {@code resolveEvery} (or when its answer's TTL runs out), and each answer that differs from the last is
 * handed to a {@link Listener} — {@link Clusters}, which applies it as a reload applies a new config, so an
 * address that stays keeps its backend. A resolution that fails keeps the last good answer and says so
 * ({@link #status}, and one log line when it starts failing and one when it recovers).
 *
 * <p>Its own resolver (Netty's, on one event loop), not the JVM's: names are asked of the configured servers
 * (or the system's), answers are never cached here (each resolution asks), TTLs are known, and SRV records can
 * be read. SRV answers keep only the lowest priority's records (RFC 2782), each target resolved in turn.
 * Thread-safe.
 */
final class Discovery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);
    private static final Duration MIN_TTL = Duration.ofSeconds(1);
    private static final Duration MAX_TTL = Duration.ofMinutes(5);

    /** Hears each changed answer; called on the resolver's event loop. */
    @FunctionalInterface
    interface Listener {
        void found(String cluster, DiscoveredBackends entry, List<BackendConfig> backends);
    }

    /** What is known of one entry: its backends now, and how its last resolution went. */
    record Status(String query, List<BackendConfig> backends, long resolvedAtNanos, String error) {
    }

    private final DnsNameResolver resolver;
    private final EventLoop loop;
    private final Scheduler scheduler;
    private final Ticker ticker;
    private final Listener listener;
    /** By cluster and entry name; guarded by {@code this}. */
    private final Map<String, Watch> watches = new LinkedHashMap<>();
    private volatile boolean closed;

    Discovery(DiscoverySettings settings, EventLoop loop, ProxyClock clock, Listener listener) {
        this.loop = loop;
        this.scheduler = clock.scheduler(loop);
        this.ticker = clock.ticker();
        this.listener = listener;
        DnsNameResolverBuilder b = new DnsNameResolverBuilder(loop)
                .datagramChannelType(NettyTransport.datagramChannel())
                .resolveCache(NoopDnsCache.INSTANCE)
                .cnameCache(NoopDnsCnameCache.INSTANCE)
                .queryTimeoutMillis(settings.timeout().toMillis());
        if (!settings.nameservers().isEmpty()) {
            b.nameServerProvider(new SequentialDnsServerAddressStreamProvider(settings.nameservers().stream()
                    .map(e -> new InetSocketAddress(e.host(), e.port())).toArray(InetSocketAddress[]::new)))
                    .searchDomains(List.of());
        } else {
            b.nameServerProvider(DnsServerAddressStreamProviders.platformDefault());
        }
        this.resolver = b.build();
    }

    /**
     * Makes the watched entries of {@code cluster} exactly {@code entries}: new ones are resolved at once (and
     * again on their schedule), gone ones stop, one whose settings changed starts over. {@code known} is what
     * each entry stands for now, so that only an answer that differs from it is passed on.
     */
    synchronized void watch(String cluster, List<DiscoveredBackends> entries,
            Function<DiscoveredBackends, List<BackendConfig>> known) {
        List<String> keep = new ArrayList<>();
        for (DiscoveredBackends e : entries) {
            String key = key(cluster, e);
            keep.add(key);
            Watch w = watches.get(key);
            if (w == null || !w.entry.equals(e)) {
                if (w != null) {
                    w.stop();
                }
                Watch fresh = new Watch(cluster, e, known.apply(e));
                watches.put(key, fresh);
                loop.execute(fresh::resolve);
            }
        }
        watches.entrySet().removeIf(kv -> {
            boolean gone = kv.getValue().cluster.equals(cluster) && !keep.contains(kv.getKey());
            if (gone) {
                kv.getValue().stop();
            }
            return gone;
        });
    }

    private static String key(String cluster, DiscoveredBackends e) {
        return cluster + "\u0000" + e.name();
    }

    /** Stops watching every entry of {@code cluster} (it is gone). */
    synchronized void forget(String cluster) {
        watch(cluster, List.of(), e -> List.of());
    }

    /**
     * Resolves {@code entry} now and waits for the answer, at most {@code timeout}; empty (and one log line) if
     * there is none by then. Never call it on the resolver's event loop.
     */
    Optional<List<BackendConfig>> resolveNow(String cluster, DiscoveredBackends entry, Duration timeout) {
        Future<Answer> answer = resolveWithTtl(entry);
        // A resolution is a few queries in turn (A then AAAA; SRV then each target's), each up to the timeout.
        if (answer.awaitUninterruptibly(timeout.toMillis() * 3) && answer.isSuccess()) {
            return Optional.of(answer.getNow().backends);
        }
        LOG.warn("cluster {}: {} {} does not resolve ({}); it is asked again every {}", cluster,
                entry.kind() == DiscoveredBackends.Kind.SRV ? "srv" : "dns", entry.query(),
                describe(answer.cause()), HumanDuration.format(entry.resolveEvery()));
        return Optional.empty();
    }

    /** How each entry of {@code cluster} stands now, by entry name. */
    synchronized Map<String, Status> status(String cluster) {
        Map<String, Status> out = new LinkedHashMap<>();
        watches.values().stream().filter(w -> w.cluster.equals(cluster))
                .forEach(w -> out.put(w.entry.name(), new Status(w.entry.query(), w.backends, w.resolvedAt, w.error)));
        return out;
    }

    @Override
    public synchronized void close() {
        closed = true;
        watches.values().forEach(Watch::stop);
        watches.clear();
        resolver.close();
    }

    // ---- one entry ------------------------------------------------------------------------------------

    private final class Watch {
        final String cluster;
        final DiscoveredBackends entry;
        volatile List<BackendConfig> backends;
        /** {@link Long#MIN_VALUE} until the first answer. */
        volatile long resolvedAt = Long.MIN_VALUE;
        volatile String error;
        volatile boolean stopped;

        Watch(String cluster, DiscoveredBackends entry, List<BackendConfig> last) {
            this.cluster = cluster;
            this.entry = entry;
            this.backends = last;
        }

        void stop() {
            stopped = true;
        }

        void resolve() {
            if (stopped || closed) {
                return;
            }
            resolveWithTtl(entry).addListener(f -> {
                if (stopped || closed) {
                    return;
                }
                Duration next = entry.resolveEvery();
                if (f.isSuccess()) {
                    Answer answer = (Answer) f.getNow();
                    if (error != null) {
                        LOG.info("cluster {}: {} resolves again: {}", cluster, entry.query(), names(answer.backends));
                    }
                    error = null;
                    resolvedAt = ticker.read();
                    if (entry.followTtl()) {
                        next = clamp(answer.ttl);
                    }
                    if (!answer.backends.equals(backends)) {
                        backends = answer.backends;
                        listener.found(cluster, entry, answer.backends);
                    }
                } else {
                    String why = describe(f.cause());
                    if (error == null) {
                        LOG.warn("cluster {}: {} does not resolve ({}); keeping its last {} backends", cluster,
                                entry.query(), why, backends.size());
                    }
                    error = why;
                }
                scheduler.schedule(next, this::resolve);
            });
        }
    }

    private static Duration clamp(long ttlSeconds) {
        Duration ttl = Duration.ofSeconds(ttlSeconds);
        return ttl.compareTo(MIN_TTL) < 0 ? MIN_TTL : ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL : ttl;
    }

    private static List<String> names(List<BackendConfig> backends) {
        return backends.stream().map(BackendConfig::name).toList();
    }

    /** Netty's message, and what lies under it (a timeout, a server's refusal), in at most 300 characters. */
    private static String describe(Throwable cause) {
        if (cause == null) {
            return "no answer in time";
        }
        StringBuilder s = new StringBuilder(String.valueOf(cause.getMessage() == null
                ? cause.getClass().getSimpleName() : cause.getMessage()));
        for (Throwable under = cause.getCause(); under != null && under != cause; under = under.getCause()) {
            if (under.getMessage() != null) {
                s.append(": ").append(under.getMessage());
            }
            if (under.getCause() == under) {
                break;
            }
        }
        return s.length() > 300 ? s.substring(0, 300) : s.toString();
    }

    // ---- asking DNS -------------------------------------------------------------------------------------

    /** The backends an entry stands for now, and the shortest TTL among the records that said so. */
    private record Answer(List<BackendConfig> backends, long ttl) {
    }

    private Future<Answer> resolveWithTtl(DiscoveredBackends e) {
        return e.kind() == DiscoveredBackends.Kind.SRV ? srv(e) : addresses(e, e.query(), e.port(), e.weight());
    }

    /** A and AAAA records of {@code host}: one backend per address, named after the entry. */
    private Future<Answer> addresses(DiscoveredBackends e, String host, int port, int weight) {
        Promise<Answer> p = loop.newPromise();
        resolver.resolveAll(new DefaultDnsQuestion(host, DnsRecordType.A)).addListener(a ->
                resolver.resolveAll(new DefaultDnsQuestion(host, DnsRecordType.AAAA)).addListener(aaaa -> {
                    List<BackendConfig> found = new ArrayList<>();
                    long ttl = Long.MAX_VALUE;
                    for (Future<?> f : List.of(a, aaaa)) {
                        if (!f.isSuccess()) {
                            continue;
                        }
                        @SuppressWarnings("unchecked")
                        List<DnsRecord> records = (List<DnsRecord>) f.getNow();
                        for (DnsRecord r : records) {
                            try {
                                InetAddress address = address(host, r);
                                if (address != null) {
                                    Endpoint endpoint = new Endpoint(address.getHostAddress(), port);
                                    found.add(new BackendConfig(e.backendName(endpoint), endpoint, weight));
                                    ttl = Math.min(ttl, r.timeToLive());
                                }
                            } finally {
                                ReferenceCountUtil.release(r);
                            }
                        }
                    }
                    if (found.isEmpty()) {
                        p.setFailure(a.isSuccess() ? new UnknownHostException("no A or AAAA record for " + host)
                                : a.cause());
                    } else {
                        found.sort(Comparator.comparing(BackendConfig::name));
                        p.setSuccess(new Answer(found, ttl));
                    }
                }));
        return p;
    }

    private static InetAddress address(String host, DnsRecord record) throws UnknownHostException {
        if (!(record instanceof DnsRawRecord raw)) {
            return null;
        }
        ByteBuf content = raw.content();
        int n = content.readableBytes();
        if ((record.type() != DnsRecordType.A || n != 4) && (record.type() != DnsRecordType.AAAA || n != 16)) {
            return null;
        }
        byte[] bytes = new byte[n];
        content.getBytes(content.readerIndex(), bytes);
        return InetAddress.getByAddress(host, bytes);
    }

    /** SRV records: the lowest priority's targets, each resolved, on the record's port and with its weight. */
    private Future<Answer> srv(DiscoveredBackends e) {
        Promise<Answer> p = loop.newPromise();
        resolver.resolveAll(new DefaultDnsQuestion(e.query(), DnsRecordType.SRV)).addListener(f -> {
            if (!f.isSuccess()) {
                p.setFailure(f.cause());
                return;
            }
            @SuppressWarnings("unchecked")
            List<DnsRecord> records = (List<DnsRecord>) f.getNow();
            List<Target> targets = new ArrayList<>();
            long ttl = Long.MAX_VALUE;
            for (DnsRecord r : records) {
                try {
                    if (r instanceof DnsRawRecord raw && r.type() == DnsRecordType.SRV) {
                        ByteBuf c = raw.content().duplicate();
                        int priority = c.readUnsignedShort();
                        int weight = c.readUnsignedShort();
                        int port = c.readUnsignedShort();
                        String target = DefaultDnsRecordDecoder.decodeName(c);
                        targets.add(new Target(priority, Math.max(1, Math.min(weight, 1000)), port, trimDot(target)));
                        ttl = Math.min(ttl, r.timeToLive());
                    }
                } finally {
                    ReferenceCountUtil.release(r);
                }
            }
            if (targets.isEmpty()) {
                p.setFailure(new UnknownHostException("no SRV record for " + e.query()));
                return;
            }
            int lowest = targets.stream().mapToInt(Target::priority).min().orElseThrow();
            List<Target> chosen = targets.stream().filter(t -> t.priority == lowest).toList();
            collect(e, chosen, 0, new ArrayList<>(), ttl, p);
        });
        return p;
    }

    private void collect(DiscoveredBackends e, List<Target> targets, int i, List<BackendConfig> found, long ttl,
            Promise<Answer> p) {
        if (i == targets.size()) {
            if (found.isEmpty()) {
                p.setFailure(new UnknownHostException("no SRV target of " + e.query() + " resolves"));
            } else {
                found.sort(Comparator.comparing(BackendConfig::name));
                p.setSuccess(new Answer(found, ttl));
            }
            return;
        }
        Target t = targets.get(i);
        addresses(e, t.host, t.port, t.weight).addListener(f -> {
            long next = ttl;
            if (f.isSuccess()) {
                Answer a = (Answer) f.getNow();
                for (BackendConfig b : a.backends) {
                    if (found.stream().noneMatch(x -> x.name().equals(b.name()))) {
                        found.add(b);
                    }
                }
                next = Math.min(next, a.ttl);
            }
            collect(e, targets, i + 1, found, next, p);
        });
    }

    private static String trimDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private record Target(int priority, int weight, int port, String host) {
    }

    @Override
    public String toString() {
        return "Discovery" + watches.keySet();
    }

}

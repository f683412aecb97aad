package io.healthyproxy.app.config;

import io.healthyproxy.http.config.ProxyConfig;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Loads a {@link ProxyConfig} from YAML. The keys mirror {@link ProxyConfig} in lowerCamelCase, every key is
 * optional but {@code backends} (or {@code clusters}), and a missing key takes the config classes' default:
 *
 * <pre>
 * listen: 127.0.0.1:8080
 * backends:
 *   - 127.0.0.1:9101
 *   - { name: api-2, address: 127.0.0.1:9102, weight: 2 }
 * breaker: { failureThreshold: 5, openDuration: 5s }
 * </pre>
 *
 * or, for several services behind one proxy, {@code clusters} (each with its backends and any top-level section
 * it sets differently, key by key) and {@code routes} to them ({@link ClustersSection}, {@link RoutesSection}).
 * Top-level {@code backends} with {@code clusters} is an error; so are {@code routes} without clusters, and
 * several clusters without routes (one cluster without routes takes every request).
 *
 * See {@code examples/full.yaml} for every key with its default, {@code examples/routes-and-clusters.yaml} for
 * routes.
 *
 * <p>Nothing is guessed or skipped: an unknown key, a value of the wrong type, a value a config class rejects,
 * a duplicate key, a syntax error are all errors. They are collected over the whole file and thrown together,
 * each with file, line, key path, the bad value and what was expected:
 *
 * <pre>
 * proxy.yaml:7: breaker.failureThreshold: 0 (expected: &gt; 0)
 * proxy.yaml:12: backends[1].address: 'localhost' (expected: host:port, e.g. 127.0.0.1:8080)
 * proxy.yaml:15: retries.maxAtempts: unknown key (did you mean maxAttempts?)
 * </pre>
 *
 * A section whose parts are wrong is not also checked as a whole (it would be checked with defaults in place of
 * the wrong parts), nor is the whole config checked (unique backend names, a guarded admin address) while any
 * part is wrong; fixing the reported problems may so reveal more. Stateless and thread-safe.
 */
public final class ProxyConfigLoader {

    private ProxyConfigLoader() {
    }

    /**
     * Reads and checks {@code file}, UTF-8 YAML.
     *
     * @throws ConfigException if the file cannot be read or is not a valid config
     */
    public static ProxyConfig load(Path file) throws ConfigException {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw single(source, "a directory (expected: a YAML file)");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw single(source, "no such file");
        } catch (AccessDeniedException e) {
            throw single(source, "cannot be read: permission denied");
        } catch (CharacterCodingException e) {
            throw single(source, "cannot be read: not UTF-8 text");
        } catch (IOException e) {
            throw single(source, "cannot be read: " + e.getMessage());
        }
        return parse(text, source);
    }

    /**
     * Reads and checks {@code yaml}.
     *
     * @param source names the text in messages, as a file name would, e.g. {@code proxy.yaml}
     * @throws ConfigException if {@code yaml} is not a valid config
     */
    public static ProxyConfig parse(String yaml, String source) throws ConfigException {
        Problems problems = new Problems(source);
        Optional<ProxyConfig> config = YamlDocument.compose(yaml, problems)
                .flatMap(root -> root.isMapping()
                        ? root.mapping(ProxyConfigLoader::read)
                        : root.mismatch(YamlDocument.EXPECTED));
        if (problems.count() > 0 || config.isEmpty()) {
            throw problems.toException();
        }
        return config.get();
    }

    private static Optional<ProxyConfig> read(YamlMapping root) {
        ProxyConfig.Builder b = ProxyConfig.builder();
        root.readInto("listen", ListenerSection::read, listener -> {
            b.listen(listener.address());
            b.tls(listener.tls().orElse(null));
        });
        root.readInto("admin", ListenerSection::read, listener -> {
            b.admin(listener.address());
            b.adminTls(listener.tls().orElse(null));
        });
        root.readInto("adminToken", YamlValue::string, b::adminToken);
        Optional<YamlValue> backends = root.get("backends");
        Optional<YamlValue> clusters = root.get("clusters");
        Optional<YamlValue> routes = root.get("routes");
        ClusterSettings topLevel = ClusterSettings.read(root, ClusterSettings.DEFAULTS, Level.TOP_LEVEL);
        topLevel.applyTo(b);
        root.readInto("limits", value -> value.mapping(LimitsSection::read), b::limits);
        root.readInto("accessLog", YamlValue::bool, b::accessLog);
        if (clusters.isEmpty()) {
            routes.ifPresent(r -> r.reject("without clusters (expected: routes to clusters; top-level backends take "
                    + "every request)"));
            if (backends.isEmpty()) {
                root.require("backends", BackendsSection.EXPECTED + ", or clusters");
            }
            backends.flatMap(BackendsSection::read).ifPresent(read -> {
                read.fixed().forEach(b::backend);
                read.discovered().forEach(b::discover);
            });
        } else if (backends.isPresent()) {
            clusters.get().reject("given with top-level backends at line " + backends.get().line() + " (expected: "
                    + "either top-level backends or clusters; put those backends in a cluster)");
        } else {
            clusters(clusters.get(), routes, topLevel, b);
        }
        root.readInto("http2", value -> value.mapping(Http2Section::read), b::http2);
        root.readInto("discovery", value -> value.mapping(DiscoverySection::read), b::discovery);
        return root.build(b::build);
    }

    private static void clusters(YamlValue clusters, Optional<YamlValue> routes, ClusterSettings topLevel,
            ProxyConfig.Builder b) {
        ClustersSection.Clusters read = ClustersSection.read(clusters, topLevel);
        read.read().values().forEach(c -> b.cluster(c.cluster()));
        if (routes.isPresent()) {
            RoutesSection.read(routes.get(), read, topLevel).ifPresent(list -> list.forEach(b::route));
        } else if (read.declared().size() > 1) {
            clusters.reject("no routes to its " + read.declared().size() + " clusters (expected: routes; with one "
                    + "cluster, no routes means every request goes to it)");
        }
    }

    private static ConfigException single(String source, String message) {
        return new ConfigException(List.of(new ConfigProblem(source, 0, 0, message)));
    }
}

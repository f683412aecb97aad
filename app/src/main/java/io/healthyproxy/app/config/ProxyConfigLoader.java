package io.healthyproxy.app.config;

import io.healthyproxy.core.Balancing;
import io.healthyproxy.core.NoBackendPolicy;
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
 * optional but {@code backends}, and a missing key takes the config classes' default:
 *
 * <pre>
 * listen: 127.0.0.1:8080
 * backends:
 *   - 127.0.0.1:9101
 *   - { name: api-2, address: 127.0.0.1:9102 }
 * breaker: { failureThreshold: 5, openDuration: 5s }
 * </pre>
 *
 * See {@code examples/full.yaml} for every key with its default.
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
        root.require("backends", BackendsSection.EXPECTED).flatMap(BackendsSection::read)
                .ifPresent(backends -> backends.forEach(b::backend));
        root.readInto("balancing", ConfigValues.choice(Balancing.class), b::balancing);
        root.readInto("whenNoneAdmits", ConfigValues.choice(NoBackendPolicy.class), b::whenNoneAdmits);
        root.readInto("breaker", value -> value.mapping(BreakerSection::read), b::breaker);
        root.readInto("healthCheck", value -> value.mapping(HealthCheckSection::read), b::healthCheck);
        root.readInto("slowness", value -> value.mapping(SlownessSection::read), b::slowness);
        root.readInto("failureStatuses", ConfigValues::statusCodes, b::failureStatuses);
        root.readInto("timeouts", value -> value.mapping(TimeoutsSection::read), b::timeouts);
        root.readInto("retries", value -> value.mapping(RetriesSection::read), b::retries);
        root.readInto("limits", value -> value.mapping(LimitsSection::read), b::limits);
        root.readInto("accessLog", YamlValue::bool, b::accessLog);
        root.readInto("http2", value -> value.mapping(Http2Section::read), b::http2);
        return root.build(b::build);
    }

    private static ConfigException single(String source, String message) {
        return new ConfigException(List.of(new ConfigProblem(source, 0, 0, message)));
    }
}

package io.healthyproxy.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckConfigCommandTest {

    private record Result(int exit, String out, String err) {
    }

    @TempDir
    Path dir;

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = HealthyProxyCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private Path file(String yaml) throws IOException {
        return Files.writeString(dir.resolve("proxy.yaml"), yaml);
    }

    @Test
    void aValidConfigPrintsOkAndTheEffectiveConfigAndExitsZero() throws IOException {
        Path config = file("""
                listen: 127.0.0.1:8000
                backends:
                  - 127.0.0.1:9101
                  - { name: api-2, address: 127.0.0.1:9102 }
                healthCheck: { path: /ready }
                breaker: { failureThreshold: 3, openDuration: 2s }
                timeouts: { perTry: 500ms }
                """);

        Result r = run("check-config", config.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith(config + ": OK" + System.lineSeparator())
                .contains("listen    127.0.0.1:8000")
                .contains("admin     127.0.0.1:9901 (no token)")
                .contains("backends  2, round_robin, last_resort when none admits")
                .contains("127.0.0.1:9101")
                .contains("api-2 127.0.0.1:9102")
                .contains("health    GET /ready expecting 2xx, every 2s")
                .contains("breaker   opens after 3 consecutive failures, for 2s")
                .contains("timeouts  connect 5s, per try 500ms, request 1m, response idle 1m");
    }

    @Test
    void aConfigWithClustersPrintsEachClusterAndTheRoutesInOrder() throws IOException {
        Path config = file("""
                clusters:
                  api:
                    backends: [127.0.0.1:9101, { name: api-2, address: 127.0.0.1:9102, weight: 2 }]
                    slowStart: 30s
                    breaker: { failureThreshold: 3 }
                  static: { backends: [127.0.0.1:9201] }
                routes:
                  - { match: { host: api.example.com, pathPrefix: /v1/ }, cluster: api, stripPrefix: /v1 }
                  - { cluster: static }
                """);

        Result r = run("check-config", config.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("cluster   api: 2 backends, round_robin, last_resort when none admits, slow start 30s")
                .contains("api-2 127.0.0.1:9102 (weight 2)")
                .contains("breaker   opens after 3 consecutive failures")
                .contains("cluster   static: 1 backend, round_robin")
                .contains("routes    2, the first that matches wins")
                .contains("host api.example.com, pathPrefix /v1/ -> api, stripPrefix /v1")
                .contains("any host, any path -> static");
    }

    @Test
    void aShadowedRouteAndAnUnknownClusterAreProblemsWithTheirLines() throws IOException {
        Path config = file("""
                clusters:
                  api: { backends: [127.0.0.1:9101] }
                  static: { backends: [127.0.0.1:9201] }
                routes:
                  - { match: { pathPrefix: /api }, cluster: static }
                  - { match: { pathPrefix: /api/v1 }, cluster: api }
                  - { match: { pathPrefix: /x }, cluster: apii }
                """);

        Result r = run("check-config", config.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).containsExactly(
                config + ":6: routes[1]: never matches: routes[0] (line 5) takes every request it would (any host, "
                        + "pathPrefix /api/v1); put the narrower route first, or drop it",
                config + ":7: routes[2].cluster: 'apii' (expected: one of the clusters api, static; did you mean api?)");
    }

    @Test
    void anInvalidConfigPrintsEveryProblemToStderrOnePerLineAndExitsOne() throws IOException {
        Path config = file("""
                backends: [localhost]
                breaker: { failureTreshold: 3 }
                """);

        Result r = run("check-config", config.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).containsExactly(
                config + ":1: backends[0]: 'localhost' (expected: host:port, e.g. 127.0.0.1:8080)",
                config + ":2: breaker.failureTreshold: unknown key (did you mean failureThreshold?)");
    }

    @Test
    void aMissingFileExitsOne() {
        Path missing = dir.resolve("missing.yaml");

        Result r = run("check-config", missing.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo(missing + ": no such file");
    }

    @Test
    void noFileIsAUsageErrorAndExitsTwo() {
        Result r = run("check-config");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required parameter: 'FILE'");
    }

    @Test
    void theHelpPageListsTheExitCodes() {
        Result r = run("check-config", "--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("check-config").contains("FILE").contains("Exit codes:")
                .contains("1   the config has problems");
    }

    @Test
    void theTopLevelHelpListsTheCommand() {
        assertThat(run("--help").out()).contains("check-config");
    }
}

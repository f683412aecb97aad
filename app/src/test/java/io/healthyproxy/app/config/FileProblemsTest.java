package io.healthyproxy.app.config;

import static io.healthyproxy.app.config.ConfigProblemsTest.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Files that are not a config at all: missing, unreadable, empty, not YAML, not a mapping. */
class FileProblemsTest {

    @TempDir
    Path dir;

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> ProxyConfigLoader.load(missing)).isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void aDirectoryIsNotAConfigFile() {
        assertThatThrownBy(() -> ProxyConfigLoader.load(dir)).isInstanceOf(ConfigException.class)
                .hasMessage(dir + ": a directory (expected: a YAML file)");
    }

    @Test
    void aFileThatIsNotUtf8IsNamed() throws IOException {
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, "backends: [caf\u00e9:80]\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> ProxyConfigLoader.load(latin1)).isInstanceOf(ConfigException.class)
                .hasMessage(latin1 + ": cannot be read: not UTF-8 text");
    }

    @Test
    void aFileIsReportedUnderTheNameItWasGivenBy() throws IOException {
        Path file = Files.writeString(dir.resolve("proxy.yaml"), "backends: [127.0.0.1:9101]\nbogus: 1\n");

        assertThatThrownBy(() -> ProxyConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ":2: bogus: unknown key");
    }

    @ParameterizedTest(name = "[{index}]")
    @ValueSource(strings = {"", "\n\n", "# only a comment\n", "---\n"})
    void anEmptyFileSaysWhatItShouldHold(String yaml) {
        assertThat(problems(yaml)).containsExactly("proxy.yaml: empty (expected: a mapping of settings with at "
                + "least backends or clusters, e.g. backends: [127.0.0.1:9101])");
    }

    @Test
    void aListAtTheTopLevelIsNotAConfig() {
        assertThat(problems("- 127.0.0.1:9101\n")).containsExactly("proxy.yaml:1: top level: a list (expected: a "
                + "mapping of settings with at least backends or clusters, e.g. backends: [127.0.0.1:9101])");
    }

    @Test
    void backendsAreRequired() {
        assertThat(problems("listen: 127.0.0.1:8080\n")).containsExactly("proxy.yaml:1: backends: missing "
                + "(expected: a list of backends, e.g. [127.0.0.1:9101, 127.0.0.1:9102], or clusters)");
    }

    @Test
    void atLeastOneBackendIsRequired() {
        assertThat(problems("backends: []\n")).containsExactly(
                "proxy.yaml:1: backends: [] (expected: at least one backend)");
    }

    @Test
    void aSyntaxErrorNamesLineAndColumn() {
        assertThat(problems("""
                backends:
                  - 127.0.0.1:9101
                breaker: { failureThreshold: 5
                """)).containsExactly("proxy.yaml:4:1: YAML syntax: while parsing a flow mapping at line 3, "
                + "column 10: expected ',' or '}', but got <stream end>");
    }

    @Test
    void aSyntaxErrorWithoutContextIsJustTheProblem() {
        assertThat(problems("backends: a: b\n")).containsExactly(
                "proxy.yaml:1:12: YAML syntax: mapping values are not allowed here");
    }

    @Test
    void aSecondDocumentIsAnError() {
        assertThat(problems("backends: [127.0.0.1:9101]\n---\nlisten: 127.0.0.1:8080\n")).containsExactly(
                "proxy.yaml:2:1: YAML syntax: expected a single document in the stream at line 1, column 1: "
                        + "but found another document");
    }

    @Test
    void aDuplicateKeyIsAnErrorNamingBothLines() {
        assertThat(problems("""
                backends: [127.0.0.1:9101]
                breaker:
                  failureThreshold: 3
                  failureThreshold: 4
                backends: [127.0.0.1:9102]
                """)).containsExactly(
                "proxy.yaml:4: breaker.failureThreshold: duplicate key (first at line 3)",
                "proxy.yaml:5: backends: duplicate key (first at line 1)");
    }

    @Test
    void aKeyThatIsNotANameIsAnError() {
        assertThat(problems("backends: [127.0.0.1:9101]\n? [a, b]\n: 1\n")).containsExactly(
                "proxy.yaml:2: top level: a list (expected: a key name)");
    }
}

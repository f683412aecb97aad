package io.healthyproxy.maelstrom.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

    private final JsonCodec codec = new JsonCodec(new JsonLimits(4096, 8, 100, 20));

    private JsonValue read(String json) {
        return codec.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private String write(JsonValue value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var g = codec.generator(out)) {
            JsonCodec.write(g, value);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void roundTripKeepsKeyOrderAndExactNumbers() throws IOException {
        String json = "{\"z\":1,\"a\":[1.50,-0,1e3,12345678901234567890],\"m\":{\"t\":true,\"f\":false,\"n\":null},\"s\":\"\"}";

        assertThat(write(read(json))).isEqualTo(json);
    }

    @Test
    void controlCharactersAndUnicodeSurviveARoundTrip() throws IOException {
        JsonValue value = new JsonString("tab\there \u0001 \"quoted\" é 🙂 </script>");

        assertThat(read(write(value))).isEqualTo(value);
        assertThat(write(value)).contains("\\t").contains("\\u0001").doesNotContain("\u0001");
    }

    @Test
    void integersAreReadableAsLongs() {
        assertThat(new JsonNumber("42").asLong()).hasValue(42);
        assertThat(new JsonNumber("3.0").asLong()).hasValue(3);
        assertThat(new JsonNumber("3.5").asLong()).isEmpty();
        assertThat(new JsonNumber("99999999999999999999").asLong()).isEmpty();
    }

    @Test
    void rejectsDuplicateKeys() {
        assertThatThrownBy(() -> read("{\"a\":1,\"a\":2}")).isInstanceOf(JsonSyntaxException.class)
                .hasMessageContaining("Duplicate field 'a'");
    }

    @Test
    void rejectsTrailingContent() {
        assertThatThrownBy(() -> read("{} {}")).hasMessageContaining("unexpected content after the JSON value");
    }

    @Test
    void rejectsNestingBeyondTheLimit() {
        assertThatThrownBy(() -> read("[[[[[[[[[1]]]]]]]]]")).isInstanceOf(JsonSyntaxException.class)
                .hasMessageContaining("nesting depth");
    }

    @Test
    void rejectsStringsAndNumbersBeyondTheLimits() {
        assertThatThrownBy(() -> read("\"" + "x".repeat(101) + "\"")).hasMessageContaining("String value length");
        assertThatThrownBy(() -> read("1" + "0".repeat(25))).hasMessageContaining("Number value length");
    }

    @Test
    void errorMessagesAreOneLine() {
        assertThatThrownBy(() -> read("{\"a\":}")).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}

package io.healthyproxy.maelstrom.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageFramerTest {

    private static List<String> frames(String input, int max) throws IOException {
        return frames(input.getBytes(StandardCharsets.UTF_8), max);
    }

    private static List<String> frames(byte[] input, int max) throws IOException {
        MessageFramer framer = new MessageFramer(new ByteArrayInputStream(input), max);
        List<String> out = new ArrayList<>();
        for (Frame f; (f = framer.next()) != null; ) {
            String text = new String(f.bytes(), StandardCharsets.UTF_8);
            out.add(f.problem() == Frame.Problem.NONE ? text : f.problem() + ":" + text);
        }
        return out;
    }

    @Test
    void thePrettyPrintedSeedFixtureIsOneFrame() throws IOException {
        byte[] fixture = Files.readAllBytes(Path.of("../../shared/fixtures/seed-init.input"));

        List<String> frames = frames(fixture, 1 << 20);

        assertThat(frames).hasSize(1);
        assertThat(frames.get(0)).startsWith("{").endsWith("}").contains("\"node_ids\"");
    }

    @Test
    void lineDelimitedAndSeveralOnOneLineAreTheSame() throws IOException {
        assertThat(frames("{\"a\":1}\n{\"b\":2}\n", 100)).containsExactly("{\"a\":1}", "{\"b\":2}");
        assertThat(frames("{\"a\":1}{\"b\":2}  {\"c\":[3]}", 100)).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":[3]}");
    }

    @Test
    void bracesAndQuotesInsideStringsDoNotConfuseIt() throws IOException {
        String tricky = "{\"s\":\"}{][\\\"\\\\\",\"t\":\"\\\"}\"}";

        assertThat(frames(tricky + "\n{}", 100)).containsExactly(tricky, "{}");
    }

    @Test
    void aValueCutOffByTheEndOfInputIsTruncated() throws IOException {
        assertThat(frames("{\"a\":1}\n{\"src\":\"c1\",\"body\":{", 100))
                .containsExactly("{\"a\":1}", "TRUNCATED:{\"src\":\"c1\",\"body\":{");
    }

    @Test
    void aNewMessageInColumnZeroResynchronisesAfterAnUnclosedOne() throws IOException {
        assertThat(frames("{\"src\":\"c1\",\"body\":{\"type\":\"echo\"\n{\"src\":\"c2\"}\n", 100))
                .containsExactly("TRUNCATED:{\"src\":\"c1\",\"body\":{\"type\":\"echo\"", "{\"src\":\"c2\"}");
    }

    @Test
    void anOversizedValueIsReportedAndTheNextOneStillArrives() throws IOException {
        String big = "{\"src\":\"c1\",\"pad\":\"" + "x".repeat(200) + "\"}";

        List<String> frames = frames(big + "\n{\"ok\":1}", 50);

        assertThat(frames).hasSize(2);
        assertThat(frames.get(0)).startsWith("TOO_LARGE:{\"src\":\"c1\"").hasSize("TOO_LARGE:".length() + 50);
        assertThat(frames.get(1)).isEqualTo("{\"ok\":1}");
    }

    @Test
    void strayTextAndScalarsBecomeFramesOfTheirOwn() throws IOException {
        assertThat(frames("hello }\n42 \"s\" null{\"a\":1}", 100))
                .containsExactly("hello", "}", "42", "\"s\"", "null", "{\"a\":1}");
    }

    @Test
    void aByteOrderMarkAtTheStartIsSkipped() throws IOException {
        byte[] withBom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};

        assertThat(frames(withBom, 100)).containsExactly("{}");
    }

    @Test
    void emptyAndBlankInputHaveNoFrames() throws IOException {
        assertThat(frames("", 100)).isEmpty();
        assertThat(frames(" \n\t\r\n ", 100)).isEmpty();
    }
}

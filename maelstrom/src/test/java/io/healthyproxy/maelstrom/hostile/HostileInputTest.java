package io.healthyproxy.maelstrom.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.maelstrom.hostile.JsonText.Raw;
import io.healthyproxy.maelstrom.protocol.ErrorCode;
import io.healthyproxy.maelstrom.protocol.Message;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The node under hostile input, many thousands of cases per build. Every case runs the whole node (framer,
 * codec, node, stdout writer: {@link NodeRun}) over an {@code init}, the case, and a probe request, and
 * checks, besides what the case itself expects:
 * <ul>
 *   <li>the run ends normally (the process would live on);</li>
 *   <li>every line on stdout is one strictly valid JSON message ({@link NodeRun}'s parse);</li>
 *   <li>the probe after the case is answered: one bad message costs only itself.</li>
 * </ul>
 * The error a case gets is the one {@code docs/PROTOCOL.md} promises: 12 for anything malformed (whenever a
 * sender can be made out), 10 for an unknown type, 1 for another node, 11 before {@code init}, 22 for a
 * conflicting {@code init}; replies are never answered.
 */
class HostileInputTest {

    private static final String CLIENT = "c1";
    private static final long ID = 7;

    // ---- truncated JSON --------------------------------------------------------------------------------

    @Property(tries = 2000)
    void aMessageCutShortIsAnsweredWith12IfItsSenderCanBeMadeOutAndCostsNothingElse(
            @ForAll("requests") String request, @ForAll @IntRange(min = 0, max = 1_000_000) int where) {
        String cut = request.substring(0, 1 + where % (request.length() - 1));

        List<Message> answers = NodeRun.around(cut).answers();

        assertThat(answers).hasSizeLessThanOrEqualTo(1);
        if (cut.contains("\"src\":\"" + CLIENT + "\",")) {
            assertThat(answers).as("the sender was named before the cut").hasSize(1);
        }
        for (Message answer : answers) {
            assertError(answer, ErrorCode.MALFORMED_REQUEST);
            assertThat(answer.dest()).isEqualTo(CLIENT);
            // The id is answered only if it was whole: "msg_id":12 may be what is left of "msg_id":1234.
            Long inReplyTo = answer.body().inReplyTo();
            if (inReplyTo != null) {
                assertThat(inReplyTo).isEqualTo(ID);
                assertThat(cut).contains("\"msg_id\":" + ID + ",");
            }
        }
    }

    // ---- JSON that is not an object ------------------------------------------------------------------------

    @Property(tries = 1500)
    void aJsonValueThatIsNotAnObjectHasNoSenderAndIsDroppedWithADiagnostic(@ForAll("nonObjects") String value) {
        NodeRun run = NodeRun.around(value);

        assertThat(run.answers()).isEmpty();
        assertThat(run.stderr).contains("dropped malformed message");
    }

    // ---- fields missing or of the wrong type -----------------------------------------------------------------

    /** What is done to one field of a well-formed request. */
    enum Damage {
        NONE, NO_SRC, SRC_NOT_A_STRING, NO_DEST, DEST_NOT_A_STRING, DEST_ANOTHER_NODE, NO_BODY, BODY_NOT_AN_OBJECT,
        NO_TYPE, TYPE_NOT_A_STRING, TYPE_EMPTY, NO_MSG_ID, MSG_ID_NOT_AN_ID, IN_REPLY_TO_UNKNOWN, IN_REPLY_TO_NOT_AN_ID
    }

    @Property(tries = 3000)
    void eachMissingOrMistypedFieldGetsTheErrorTheProtocolPromises(@ForAll("types") String type,
            @ForAll Damage damage, @ForAll("notAString") Object wrong, @ForAll("notAnId") Object badId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("msg_id", ID);
        body.put("payload", "x");
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("src", CLIENT);
        message.put("dest", "n1");
        message.put("body", body);
        switch (damage) {
            case NONE -> { }
            case NO_SRC -> message.remove("src");
            case SRC_NOT_A_STRING -> message.put("src", wrong);
            case NO_DEST -> message.remove("dest");
            case DEST_NOT_A_STRING -> message.put("dest", wrong);
            case DEST_ANOTHER_NODE -> message.put("dest", "n7");
            case NO_BODY -> message.remove("body");
            case BODY_NOT_AN_OBJECT -> message.put("body", wrong instanceof Map<?, ?> ? List.of() : wrong);
            case NO_TYPE -> body.remove("type");
            case TYPE_NOT_A_STRING -> body.put("type", wrong);
            case TYPE_EMPTY -> body.put("type", "");
            case NO_MSG_ID -> body.remove("msg_id");
            case MSG_ID_NOT_AN_ID -> body.put("msg_id", badId);
            case IN_REPLY_TO_UNKNOWN -> body.put("in_reply_to", 424242);
            case IN_REPLY_TO_NOT_AN_ID -> body.put("in_reply_to", badId);
        }

        NodeRun run = NodeRun.around(JsonText.write(message));
        List<Message> answers = run.answers();

        switch (damage) {
            case NO_SRC, SRC_NOT_A_STRING, IN_REPLY_TO_UNKNOWN, IN_REPLY_TO_NOT_AN_ID -> {
                assertThat(answers).as("no sender, or a reply: never answered").isEmpty();
                assertThat(run.stderr).isNotBlank();
            }
            case NO_DEST, DEST_NOT_A_STRING, NO_TYPE, TYPE_NOT_A_STRING, TYPE_EMPTY ->
                    assertOneAnswer(answers, ErrorCode.MALFORMED_REQUEST, ID);
            case NO_BODY, BODY_NOT_AN_OBJECT, MSG_ID_NOT_AN_ID ->
                    assertOneAnswer(answers, ErrorCode.MALFORMED_REQUEST, null);
            case DEST_ANOTHER_NODE -> assertOneAnswer(answers, ErrorCode.NODE_NOT_FOUND, ID);
            case NONE -> assertAnswerToWellFormed(answers, type, ID);
            case NO_MSG_ID -> assertAnswerToWellFormed(answers, type, null);
        }
    }

    // ---- huge strings and arrays, deep nesting: the parser's limits ------------------------------------------

    @Property(tries = 150)
    void aStringIsRefusedExactlyWhenItOrItsMessageExceedsTheLimits(
            @ForAll @IntRange(min = 0, max = 700_000) int length) {
        String message = unknownTypeWith("\"" + "a".repeat(length) + "\"");

        boolean tooBig = length > NodeRun.CODEC.limits().maxStringLength()
                || message.length() > NodeRun.CODEC.limits().maxMessageBytes();
        assertOneAnswer(NodeRun.around(message).answers(),
                tooBig ? ErrorCode.MALFORMED_REQUEST : ErrorCode.NOT_SUPPORTED, ID);
    }

    @Property(tries = 150)
    void anArrayIsRefusedExactlyWhenItsMessageExceedsTheSizeLimit(
            @ForAll @IntRange(min = 0, max = 600_000) int elements) {
        String message = unknownTypeWith("[" + "1,".repeat(elements) + "1]");

        boolean tooBig = message.length() > NodeRun.CODEC.limits().maxMessageBytes();
        assertOneAnswer(NodeRun.around(message).answers(),
                tooBig ? ErrorCode.MALFORMED_REQUEST : ErrorCode.NOT_SUPPORTED, ID);
    }

    @Property(tries = 1000)
    void nestingIsRefusedExactlyBeyondTheDepthLimit(@ForAll @IntRange(min = 1, max = 200) int depth,
            @ForAll boolean objects) {
        String value = objects ? "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)
                : "[".repeat(depth) + "]".repeat(depth);
        String message = unknownTypeWith(value);

        // The message is depth 1 and its body depth 2: the value's outermost container is depth 3.
        boolean tooDeep = depth + 2 > NodeRun.CODEC.limits().maxDepth();
        assertOneAnswer(NodeRun.around(message).answers(),
                tooDeep ? ErrorCode.MALFORMED_REQUEST : ErrorCode.NOT_SUPPORTED, ID);
    }

    // ---- control characters and the rest of Unicode --------------------------------------------------------

    @Property(tries = 1000)
    void anyTextEscapedAsJsonRequiresComesBackIdenticalInAnEcho(@ForAll("anyText") String text) {
        // n2 is a peer: its echo is served by this node, which answers with the same fields.
        String echo = "{\"src\":\"n2\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"msg_id\":" + ID + ",\"echo\":"
                + JsonText.quote(text) + "}}";

        List<Message> answers = NodeRun.around(echo, "n1", "n2").answers();

        assertThat(answers).hasSize(1);
        assertThat(answers.get(0).body().type()).isEqualTo("echo_ok");
        assertThat(answers.get(0).body().inReplyTo()).isEqualTo(ID);
        assertThat(answers.get(0).body().string("echo")).contains(text);
    }

    @Property(tries = 500)
    void aRawControlCharacterInAStringIsMalformedAndTheRestOfTheInputIsRead(@ForAll("anyText") String text) {
        String echo = "{\"src\":\"n2\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"msg_id\":" + ID + ",\"echo\":"
                + JsonText.quoteRaw(text) + "}}";
        boolean valid = text.chars().noneMatch(c -> c < 0x20);

        List<Message> answers = NodeRun.around(echo, "n1", "n2").answers();

        assertThat(answers).hasSize(1);
        if (valid) {
            assertThat(answers.get(0).body().type()).isEqualTo("echo_ok");
        } else {
            assertError(answers.get(0), ErrorCode.MALFORMED_REQUEST);
            assertThat(answers.get(0).dest()).isEqualTo("n2");
        }
    }

    // ---- arbitrary bytes -------------------------------------------------------------------------------------

    @Property(tries = 1500)
    void arbitraryBytesAndTokenSoupNeverStopTheNodeNorLeakOntoStdout(@ForAll("garbage") byte[] garbage) {
        NodeRun run = NodeRun.around(garbage);

        run.assertInitialisedAndStillServing();
        for (Message answer : run.answers()) {
            assertThat(answer.body().type()).as("an answer to garbage").isEqualTo("error");
        }
    }

    // ---- order: before init, init twice, replies nobody asked for ------------------------------------------

    /** One step of a conversation with a node that may not have been initialised yet. */
    enum Step { INIT, SAME_INIT, OTHER_INIT, HEALTH_CHECK, UNKNOWN_TYPE, UNKNOWN_REPLY, BAD_JSON }

    @Property(tries = 1000)
    void everyStepGetsTheAnswerItsPlaceInTheConversationCallsFor(@ForAll("conversations") List<Step> steps) {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            input.append(line(steps.get(i), 100 + i)).append('\n');
        }

        NodeRun run = NodeRun.of(input.toString().getBytes(StandardCharsets.UTF_8));

        assertThat(run.exit).isZero();
        List<Message> out = run.messages.stream().filter(m -> !m.body().type().equals("health_check")).toList();
        String identity = null;                         // which init the node took: "A" or "B"
        int next = 0;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step == Step.UNKNOWN_REPLY) {
                continue;                                       // never answered
            }
            assertThat(out).as("an answer to step %d (%s) in %s", i, step, steps).hasSizeGreaterThan(next);
            Message answer = out.get(next++);
            assertThat(answer.body().inReplyTo()).isEqualTo(100L + i);
            assertThat(answer.src()).as("answered in the name of the node addressed").isEqualTo("n1");
            switch (step) {
                case INIT, SAME_INIT, OTHER_INIT -> {
                    String ids = step == Step.OTHER_INIT ? "B" : "A";
                    if (identity == null || identity.equals(ids)) {
                        identity = ids;
                        assertThat(answer.body().type()).isEqualTo("init_ok");
                    } else {
                        assertError(answer, ErrorCode.PRECONDITION_FAILED);
                    }
                }
                case HEALTH_CHECK -> {
                    if (identity != null) {
                        assertThat(answer.body().type()).isEqualTo("health_check_ok");
                    } else {
                        assertError(answer, ErrorCode.TEMPORARILY_UNAVAILABLE);
                    }
                }
                case UNKNOWN_TYPE -> assertError(answer,
                        identity != null ? ErrorCode.NOT_SUPPORTED : ErrorCode.TEMPORARILY_UNAVAILABLE);
                case BAD_JSON -> assertError(answer, ErrorCode.MALFORMED_REQUEST);
                default -> throw new AssertionError(step);
            }
        }
        assertThat(out).as("nothing but the answers").hasSize(next);
    }

    private static String line(Step step, long id) {
        String head = "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"msg_id\":" + id + ",";
        return switch (step) {
            case INIT, SAME_INIT -> head + "\"type\":\"init\",\"node_id\":\"n1\",\"node_ids\":[\"n1\"]}}";
            case OTHER_INIT -> head + "\"type\":\"init\",\"node_id\":\"n1\",\"node_ids\":[\"n1\",\"n5\"]}}";
            case HEALTH_CHECK -> head + "\"type\":\"health_check\"}}";
            case UNKNOWN_TYPE -> head + "\"type\":\"subscribe\"}}";
            case UNKNOWN_REPLY -> "{\"src\":\"n5\",\"dest\":\"n1\",\"body\":{\"type\":\"echo_ok\",\"in_reply_to\":"
                    + id + "}}";
            case BAD_JSON -> head + "\"type\":\"echo\",\"echo\":tru}}";
        };
    }

    // ---- generators ------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<String> types() {
        return Arbitraries.of("echo", "relay_request", "health_check", "get_healthy_servers", "circuit_status",
                "subscribe", "Echo", "init_ok");
    }

    /** Well-formed client requests with assorted extra fields, written compactly, src first. */
    @Provide
    Arbitrary<String> requests() {
        return Combinators.combine(types(), Arbitraries.strings().ofMaxLength(40), jsonValues(2))
                .as((type, text, extra) -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("type", type);
                    body.put("msg_id", ID);
                    body.put("echo", text);
                    body.put("extra", extra);
                    Map<String, Object> message = new LinkedHashMap<>();
                    message.put("src", CLIENT);
                    message.put("dest", "n1");
                    message.put("body", body);
                    return JsonText.write(message);
                });
    }

    @Provide
    Arbitrary<String> nonObjects() {
        return Arbitraries.oneOf(scalars(), jsonValues(3).filter(v -> !(v instanceof Map<?, ?>)))
                .map(JsonText::write);
    }

    @Provide
    Arbitrary<Object> notAString() {
        return Arbitraries.oneOf(Arbitraries.of(new Raw("null"), true, false, 0, -1, 3.5, List.of(), Map.of()),
                jsonValues(2).filter(v -> !(v instanceof String)));
    }

    @Provide
    Arbitrary<Object> notAnId() {
        return Arbitraries.of("7", -1, -7.0, 1.5, true, new Raw("null"), List.of(7), Map.of("id", 7),
                new Raw("123456789012345678901234567890"), new Raw("1e400"), new Raw("-0.5"));
    }

    /** Text over all of Unicode, heavy on what needs escaping: control characters, quotes, backslashes. */
    @Provide
    Arbitrary<String> anyText() {
        Arbitrary<Character> awkward = Arbitraries.of('"', '\\', '/', '\u007f', '\u2028', '\u2029', '\ufeff',
                '\u0000', '\n', '\r', '\t', '\b', '\f');
        Arbitrary<Character> controls = Arbitraries.chars().range('\u0000', '\u001f');
        Arbitrary<String> supplementary = Arbitraries.integers().between(0x10000, 0x10FFFF)
                .map(cp -> new String(Character.toChars(cp)));
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.strings().ascii().ofMaxLength(8)),
                net.jqwik.api.Tuple.of(3, awkward.map(String::valueOf)),
                net.jqwik.api.Tuple.of(2, controls.map(String::valueOf)),
                net.jqwik.api.Tuple.of(2, Arbitraries.chars().range('\u0080', '\ud7ff').map(String::valueOf)),
                net.jqwik.api.Tuple.of(1, supplementary));
        return piece.list().ofMaxSize(20).map(parts -> String.join("", parts));
    }

    /** Random bytes, and soups of JSON tokens that come close to a message without being one. */
    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        Arbitrary<byte[]> soup = Arbitraries.of("{", "}", "[", "]", "\"", ":", ",", "\"src\"", "\"dest\"", "\"body\"",
                        "\"type\"", "\"msg_id\"", "\"in_reply_to\"", "\"c1\"", "\"n1\"", "1", "-1", "1e9", "true", "null",
                        "\n", "\n{", " ", "\\", "\\u00", "\u0000", "\u00e9", "\ud83d\ude00", "\"echo\"")
                .list().ofMaxSize(60).map(tokens -> String.join("", tokens).getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(bytes, soup);
    }

    @Provide
    Arbitrary<List<Step>> conversations() {
        return Arbitraries.of(Step.class).list().ofMinSize(1).ofMaxSize(12);
    }

    private static Arbitrary<Object> scalars() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
                Arbitraries.longs().map(n -> (Object) n), Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b), Arbitraries.just(new Raw("null")));
    }

    private static Arbitrary<Object> jsonValues(int depth) {
        if (depth == 0) {
            return scalars();
        }
        Arbitrary<Object> inner = jsonValues(depth - 1);
        Arbitrary<Object> lists = inner.list().ofMaxSize(4).map(l -> (Object) l);
        Arbitrary<Object> maps = Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6), inner)
                .ofMaxSize(4).map(m -> (Object) new LinkedHashMap<>(m));
        return Arbitraries.oneOf(scalars(), lists, maps);
    }

    // ---- oracles ------------------------------------------------------------------------------------------------

    private static String unknownTypeWith(String value) {
        return "{\"src\":\"" + CLIENT + "\",\"dest\":\"n1\",\"body\":{\"type\":\"blob\",\"msg_id\":" + ID
                + ",\"value\":" + value + "}}";
    }

    /** The answer a node alone in its cluster gives a well-formed request of {@code type}. */
    private static void assertAnswerToWellFormed(List<Message> answers, String type, Long inReplyTo) {
        switch (type) {
            // No backend: routing a client's request fails at once.
            case "echo", "relay_request" -> assertOneAnswer(answers, ErrorCode.TEMPORARILY_UNAVAILABLE, inReplyTo);
            case "health_check", "get_healthy_servers", "circuit_status" -> {
                assertThat(answers).hasSize(1);
                assertThat(answers.get(0).body().type()).isEqualTo(type + "_ok");
                assertThat(answers.get(0).body().inReplyTo()).isEqualTo(inReplyTo);
            }
            default -> assertOneAnswer(answers, ErrorCode.NOT_SUPPORTED, inReplyTo);
        }
    }

    private static void assertOneAnswer(List<Message> answers, ErrorCode code, Long inReplyTo) {
        assertThat(answers).as("answers").hasSize(1);
        Message answer = answers.get(0);
        assertError(answer, code);
        assertThat(answer.dest()).isEqualTo(CLIENT);
        assertThat(answer.body().inReplyTo()).isEqualTo(inReplyTo);
    }

    private static void assertError(Message answer, ErrorCode code) {
        assertThat(answer.body().type()).as("type of %s", answer).isEqualTo("error");
        assertThat(answer.body().integer("code")).as("code of %s", answer).hasValue(code.code());
        assertThat(answer.body().string("text")).as("text of %s", answer).get().asString().isNotBlank();
    }
}

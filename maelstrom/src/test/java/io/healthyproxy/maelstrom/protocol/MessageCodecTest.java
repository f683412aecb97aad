package io.healthyproxy.maelstrom.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.maelstrom.json.JsonLimits;
import io.healthyproxy.maelstrom.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    private final MessageCodec codec = new MessageCodec(JsonLimits.DEFAULT);

    private Decoded decode(String json) {
        return codec.decode(new Frame(json.getBytes(StandardCharsets.UTF_8), Frame.Problem.NONE));
    }

    private Message valid(String json) {
        Decoded d = decode(json);
        assertThat(d).isInstanceOf(Decoded.Valid.class);
        return ((Decoded.Valid) d).message();
    }

    @Test
    void writesTheSeedsInitOkByteForByte() {
        Message reply = new Message("n1", "c0", Body.of("init_ok").withMsgId(0).inReplyTo(1L));

        assertThat(new String(codec.encode(reply), StandardCharsets.UTF_8))
                .isEqualTo("{\"src\":\"n1\",\"dest\":\"c0\",\"body\":{\"type\":\"init_ok\",\"in_reply_to\":1,\"msg_id\":0}}\n");
    }

    @Test
    void bodyKeysComeTypeInReplyToMsgIdThenTheRestInOrder() {
        Body body = Body.of("echo_ok", JsonObject.EMPTY.with("echo", "hi").with("backend", "n2")).withMsgId(7).inReplyTo(3L);

        assertThat(new String(codec.encode(new Message("n1", "c1", body)), StandardCharsets.UTF_8)).isEqualTo(
                "{\"src\":\"n1\",\"dest\":\"c1\",\"body\":{\"type\":\"echo_ok\",\"in_reply_to\":3,\"msg_id\":7,\"echo\":\"hi\",\"backend\":\"n2\"}}\n");
    }

    @Test
    void decodesAMessageKeepingUnknownFieldsAndIgnoringExtraTopLevelKeys() {
        Message m = valid("{\"id\":9,\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"echo\":{\"x\":[1]},\"type\":\"echo\",\"msg_id\":4}}");

        assertThat(m.src()).isEqualTo("c1");
        assertThat(m.body().type()).isEqualTo("echo");
        assertThat(m.body().msgId()).isEqualTo(4L);
        assertThat(m.body().inReplyTo()).isNull();
        assertThat(m.body().fields().members()).containsOnlyKeys("echo");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "[1,2]                                                         | a message must be a JSON object, not array | ",
            "{\"dest\":\"n1\",\"body\":{\"type\":\"echo\"}}                | missing field src                          | ",
            "{\"src\":5,\"dest\":\"n1\",\"body\":{\"type\":\"echo\"}}      | src must be a string, not number           | ",
            "{\"src\":\"c1\",\"body\":{\"type\":\"echo\",\"msg_id\":1}}    | missing field dest                         | c1",
            "{\"src\":\"c1\",\"dest\":\"n1\"}                              | missing field body                         | c1",
            "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":[]}                  | body must be an object, not array          | c1",
            "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"msg_id\":1}}      | missing field body.type                    | c1",
            "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":7}}        | body.type must be a non-empty string       | c1",
            "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"\"}}     | body.type must be a non-empty string       | c1",
            "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"msg_id\":\"1\"}} | body.msg_id must be a non-negative integer | c1",
            "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"msg_id\":-1}}   | body.msg_id must be a non-negative integer | c1",
            "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"msg_id\":1.5}}  | body.msg_id must be a non-negative integer | c1",
            "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"x\",\"in_reply_to\":\"a\"}} | body.in_reply_to must be a non-negative integer | c1",
    })
    void namesWhatIsWrongAndWhomToTell(String json, String reason, String replyTo) {
        Decoded d = decode(json);

        assertThat(d).isInstanceOf(Decoded.Malformed.class);
        Decoded.Malformed m = (Decoded.Malformed) d;
        assertThat(m.reason()).isEqualTo(reason);
        assertThat(m.address().map(ReplyAddress::src)).isEqualTo(Optional.ofNullable(replyTo));
    }

    @Test
    void invalidJsonStillGetsAnAnswerWhenTheSenderCanBeMadeOut() {
        Decoded.Malformed m = (Decoded.Malformed) decode("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"msg_id\":5,\"echo\":tru}}");

        assertThat(m.reason()).startsWith("invalid JSON: ");
        assertThat(m.address()).contains(new ReplyAddress("c1", "n1", 5L, false));
    }

    @Test
    void truncatedAndOversizedFramesAreMalformedWithTheirSenderIfKnown() {
        byte[] prefix = "{\"src\":\"c2\",\"body\":{\"msg_id\":8,\"type\":\"echo\",\"echo\":\"xxxx".getBytes(StandardCharsets.UTF_8);

        Decoded.Malformed truncated = (Decoded.Malformed) codec.decode(new Frame(prefix, Frame.Problem.TRUNCATED));
        Decoded.Malformed tooLarge = (Decoded.Malformed) codec.decode(new Frame(prefix, Frame.Problem.TOO_LARGE));

        assertThat(truncated.reason()).isEqualTo("incomplete JSON: the message ended before it was closed");
        assertThat(truncated.address()).contains(new ReplyAddress("c2", null, 8L, false));
        assertThat(tooLarge.reason()).isEqualTo("message larger than 1048576 bytes");
    }

    @Test
    void aNumberCutShortIsNotTakenForTheId() {
        byte[] cut = "{\"src\":\"c2\",\"dest\":\"n1\",\"body\":{\"msg_id\":12".getBytes(StandardCharsets.UTF_8);
        byte[] whole = "{\"src\":\"c2\",\"dest\":\"n1\",\"body\":{\"msg_id\":12}".getBytes(StandardCharsets.UTF_8);

        Decoded.Malformed cutShort = (Decoded.Malformed) codec.decode(new Frame(cut, Frame.Problem.TRUNCATED));
        Decoded.Malformed followed = (Decoded.Malformed) codec.decode(new Frame(whole, Frame.Problem.TRUNCATED));

        assertThat(cutShort.address()).contains(new ReplyAddress("c2", "n1", null, false));
        assertThat(followed.address()).contains(new ReplyAddress("c2", "n1", 12L, false));
    }

    @Test
    void aMalformedReplyIsMarkedSoThatNobodyAnswersIt() {
        Decoded.Malformed m = (Decoded.Malformed) decode("{\"src\":\"n2\",\"dest\":\"n1\",\"body\":{\"type\":5,\"in_reply_to\":3}}");

        assertThat(m.address()).hasValueSatisfying(a -> assertThat(a.wasReply()).isTrue());
    }
}

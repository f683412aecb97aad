package io.healthyproxy.maelstrom.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthyproxy.maelstrom.protocol.Message;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The node's handlers, message by message, with the exact lines it writes. */
class ProxyNodeTest {

    private final NodeHarness h = NodeHarness.quiet();

    @Test
    void answersTheSeedsInitExactly() {
        h.deliver("{\"src\":\"c0\",\"dest\":\"n1\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\"n1\",\"node_ids\":[\"n1\"]}}");

        assertThat(h.next()).isEqualTo("{\"src\":\"n1\",\"dest\":\"c0\",\"body\":{\"type\":\"init_ok\",\"in_reply_to\":1,\"msg_id\":0}}");
    }

    @Test
    void aSingleNodeClusterSaysNothingItWasNotAskedFor() {
        NodeHarness busy = new NodeHarness(NodeConfig.defaults());
        busy.init("n1", "n1");

        busy.run(Duration.ofMinutes(5));

        assertThat(busy.unread()).isEmpty();
    }

    @Test
    void healthChecksEveryOtherNodeAndAnswersHealthChecks() {
        NodeHarness busy = new NodeHarness(NodeConfig.defaults());
        busy.init("n1", "n1", "n2", "n3");

        busy.run(Duration.ofMillis(1000));
        assertThat(busy.unread()).hasSize(2).allSatisfy(line -> assertThat(line).contains("\"type\":\"health_check\""))
                .anySatisfy(line -> assertThat(line).contains("\"dest\":\"n2\""))
                .anySatisfy(line -> assertThat(line).contains("\"dest\":\"n3\""));

        busy.deliver("{\"src\":\"n2\",\"dest\":\"n1\",\"body\":{\"type\":\"health_check\",\"msg_id\":9}}");
        assertThat(busy.unread()).last().asString().contains("\"type\":\"health_check_ok\",\"in_reply_to\":9");
    }

    @Test
    void msgIdsStartAtZeroAndCountEveryMessageSent() {
        h.init("n1", "n1", "n2");
        h.deliver("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"msg_id\":5,\"echo\":\"a\"}}");
        h.deliver("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"circuit_status\",\"msg_id\":6}}");

        assertThat(h.nextMessage().body().msgId()).isEqualTo(1L);     // init_ok was 0; forwarded echo is 1
        assertThat(h.nextMessage().body().msgId()).isEqualTo(2L);
    }

    @Test
    void routesAClientEchoToABackendAndRelaysItsAnswerWithTheBackendsName() {
        h.init("n1", "n1", "n2");
        h.deliver("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"msg_id\":5,\"echo\":\"hello\"}}");

        assertThat(h.next()).isEqualTo("{\"src\":\"n1\",\"dest\":\"n2\",\"body\":{\"type\":\"echo\",\"msg_id\":1,\"echo\":\"hello\"}}");
        h.deliver("{\"src\":\"n2\",\"dest\":\"n1\",\"body\":{\"type\":\"echo_ok\",\"in_reply_to\":1,\"msg_id\":0,\"echo\":\"hello\"}}");

        assertThat(h.next()).isEqualTo("{\"src\":\"n1\",\"dest\":\"c1\",\"body\":{\"type\":\"echo_ok\",\"in_reply_to\":5,\"msg_id\":2,\"echo\":\"hello\",\"backend\":\"n2\"}}");
    }

    @Test
    void servesRequestsForwardedByAPeerItself() {
        h.init("n2", "n1", "n2");

        h.deliver("{\"src\":\"n1\",\"dest\":\"n2\",\"body\":{\"type\":\"echo\",\"msg_id\":3,\"echo\":{\"deep\":[1,2]}}}");
        h.deliver("{\"src\":\"n1\",\"dest\":\"n2\",\"body\":{\"type\":\"relay_request\",\"msg_id\":4,\"path\":\"/api/x\"}}");
        h.deliver("{\"src\":\"n1\",\"dest\":\"n2\",\"body\":{\"type\":\"relay_request\",\"msg_id\":5}}");

        assertThat(h.next()).isEqualTo("{\"src\":\"n2\",\"dest\":\"n1\",\"body\":{\"type\":\"echo_ok\",\"in_reply_to\":3,\"msg_id\":1,\"echo\":{\"deep\":[1,2]}}}");
        assertThat(h.next()).isEqualTo("{\"src\":\"n2\",\"dest\":\"n1\",\"body\":{\"type\":\"relay_response\",\"in_reply_to\":4,\"msg_id\":2,\"status\":200,\"path\":\"/api/x\"}}");
        assertThat(h.next()).contains("\"status\":200,\"path\":\"/\"");
    }

    @Test
    void aTimedOutAttemptIsRetriedOnceOnADifferentBackend() {
        h.init("n1", "n1", "n2", "n3");
        h.deliver("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"relay_request\",\"msg_id\":5,\"path\":\"/p\"}}");
        Message first = h.nextMessage();

        h.run(Duration.ofSeconds(1));
        Message retry = h.nextMessage();

        assertThat(retry.dest()).isNotEqualTo(first.dest());
        assertThat(retry.body().type()).isEqualTo("relay_request");
        h.deliver("{\"src\":\"" + retry.dest() + "\",\"dest\":\"n1\",\"body\":{\"type\":\"relay_response\",\"in_reply_to\":"
                + retry.body().msgId() + ",\"status\":200,\"path\":\"/p\"}}");
        assertThat(h.next()).contains("\"type\":\"relay_response\",\"in_reply_to\":5").contains("\"backend\":\"" + retry.dest() + "\"");

        // A late answer from the first backend is nobody's business any more.
        h.deliver("{\"src\":\"" + first.dest() + "\",\"dest\":\"n1\",\"body\":{\"type\":\"relay_response\",\"in_reply_to\":"
                + first.body().msgId() + ",\"status\":200}}");
        assertThat(h.unread()).isEmpty();
        assertThat(h.diagnostics).last().asString().contains("no request of mine has msg_id " + first.body().msgId());
    }

    @Test
    void whenEveryAttemptTimesOutTheClientGetsAnIndefiniteError() {
        h.init("n1", "n1", "n2", "n3");
        h.deliver("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"msg_id\":5,\"echo\":\"x\"}}");

        h.run(Duration.ofSeconds(2));

        assertThat(h.unread()).hasSize(3).last().asString()
                .startsWith("{\"src\":\"n1\",\"dest\":\"c1\",\"body\":{\"type\":\"error\",\"in_reply_to\":5,")
                .contains("\"code\":0").contains("did not answer echo within 1s");
    }

    @Test
    void aBackendThatSaysTheRequestIsMalformedIsRelayedNotRetried() {
        h.init("n1", "n1", "n2", "n3");
        h.deliver("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"msg_id\":5}}");
        Message forwarded = h.nextMessage();

        h.deliver("{\"src\":\"" + forwarded.dest() + "\",\"dest\":\"n1\",\"body\":{\"type\":\"error\",\"in_reply_to\":"
                + forwarded.body().msgId() + ",\"code\":12,\"text\":\"bad\"}}");

        assertThat(h.next()).contains("\"type\":\"error\",\"in_reply_to\":5").contains("\"code\":12").contains("\"backend\"");
        assertThat(h.node.pool().find(forwarded.dest()).orElseThrow().breaker().snapshot().consecutiveFailures()).isZero();
    }

    @Test
    void aBackendThatCrashesCountsAsAFailureAndTheRequestGoesElsewhere() {
        h.init("n1", "n1", "n2", "n3");
        h.deliver("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"msg_id\":5}}");
        Message forwarded = h.nextMessage();

        h.deliver("{\"src\":\"" + forwarded.dest() + "\",\"dest\":\"n1\",\"body\":{\"type\":\"error\",\"in_reply_to\":"
                + forwarded.body().msgId() + ",\"code\":13,\"text\":\"crashed\"}}");

        assertThat(h.nextMessage().dest()).isNotEqualTo(forwarded.dest());
        assertThat(h.node.pool().find(forwarded.dest()).orElseThrow().breaker().snapshot().consecutiveFailures()).isOne();
    }

    @Test
    void withNoBackendAtAllTheClientGetsError11() {
        h.init("n1", "n1");

        h.deliver("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"msg_id\":5}}");

        assertThat(h.next()).isEqualTo("{\"src\":\"n1\",\"dest\":\"c1\",\"body\":{\"type\":\"error\",\"in_reply_to\":5,\"msg_id\":1,\"code\":11,\"text\":\"no backend available: this node has no backends\"}}");
    }

    @Test
    void whenEveryCircuitIsOpenTheClientGetsError11AtOnce() {
        NodeConfig d = NodeConfig.defaults();
        NodeHarness one = new NodeHarness(d.withBreaker(d.breaker().toBuilder().failureThreshold(1).build())
                .withHealth(d.health().toBuilder().interval(Duration.ofHours(1)).build()));
        one.init("n1", "n1", "n2");
        one.deliver("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"msg_id\":5}}");
        one.run(Duration.ofSeconds(1));
        one.unread();

        one.deliver("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"msg_id\":6}}");

        assertThat(one.next()).contains("\"in_reply_to\":6").contains("\"code\":11")
                .contains("no backend available: n2 circuit open");
    }

    @Test
    void reportsCircuitsAndHealthyServers() {
        h.init("n1", "n1", "n2", "n3");

        h.deliver("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"get_healthy_servers\",\"msg_id\":1}}");
        h.deliver("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"circuit_status\",\"msg_id\":2}}");

        assertThat(h.next()).isEqualTo("{\"src\":\"n1\",\"dest\":\"c1\",\"body\":{\"type\":\"get_healthy_servers_ok\",\"in_reply_to\":1,\"msg_id\":1,\"healthy\":[\"n2\",\"n3\"]}}");
        assertThat(h.next()).startsWith("{\"src\":\"n1\",\"dest\":\"c1\",\"body\":{\"type\":\"circuit_status_ok\",\"in_reply_to\":2,\"msg_id\":2,\"backends\":{\"n2\":{\"state\":\"closed\",\"healthy\":true,\"admitting\":true,\"consecutive_failures\":0,\"times_opened\":0,");
    }

    @Test
    void unknownTypesGetError10() {
        h.init("n1", "n1");

        h.deliver("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"txn\",\"msg_id\":3}}");

        assertThat(h.next()).isEqualTo("{\"src\":\"n1\",\"dest\":\"c1\",\"body\":{\"type\":\"error\",\"in_reply_to\":3,\"msg_id\":1,\"code\":10,\"text\":\"unsupported message type: txn\"}}");
    }

    @Test
    void messagesBeforeInitGetError11AnsweredInTheAddresseesName() {
        h.deliver("{\"src\":\"c1\",\"dest\":\"n7\",\"body\":{\"type\":\"echo\",\"msg_id\":3}}");

        assertThat(h.next()).isEqualTo("{\"src\":\"n7\",\"dest\":\"c1\",\"body\":{\"type\":\"error\",\"in_reply_to\":3,\"msg_id\":0,\"code\":11,\"text\":\"not initialised yet: send init first\"}}");
    }

    @Test
    void messagesForAnotherNodeGetError1() {
        h.init("n1", "n1");

        h.deliver("{\"src\":\"c1\",\"dest\":\"n9\",\"body\":{\"type\":\"echo\",\"msg_id\":3}}");

        assertThat(h.next()).contains("\"code\":1,").contains("this is node n1, not n9");
    }

    @Test
    void aRepeatedInitIsAnsweredAgainButAConflictingOneIsRefused() {
        h.init("n1", "n1", "n2");

        h.deliver("{\"src\":\"c0\",\"dest\":\"n1\",\"body\":{\"type\":\"init\",\"msg_id\":2,\"node_id\":\"n1\",\"node_ids\":[\"n1\",\"n2\"]}}");
        h.deliver("{\"src\":\"c0\",\"dest\":\"n1\",\"body\":{\"type\":\"init\",\"msg_id\":3,\"node_id\":\"n5\",\"node_ids\":[\"n5\"]}}");

        assertThat(h.next()).contains("\"type\":\"init_ok\",\"in_reply_to\":2");
        assertThat(h.next()).contains("\"in_reply_to\":3").contains("\"code\":22").contains("already initialised as n1");
    }

    @Test
    void anInitWithBadFieldsIsMalformed() {
        h.deliver("{\"src\":\"c0\",\"dest\":\"n1\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\"n1\",\"node_ids\":\"n1\"}}");

        assertThat(h.next()).contains("\"code\":12").contains("init needs node_id");
        assertThat(h.node.nodeId()).isNull();
    }

    @Test
    void malformedMessagesAreAnsweredWhenPossibleAndTheNodeCarriesOn() {
        h.init("n1", "n1");

        h.deliver("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"msg_id\":\"x\"}}");
        h.deliver("[1,2,3]");
        h.deliver("{\"src\":\"n2\",\"dest\":\"n1\",\"body\":{\"type\":7,\"in_reply_to\":1}}");
        h.deliver("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"get_healthy_servers\",\"msg_id\":9}}");

        assertThat(h.next()).isEqualTo("{\"src\":\"n1\",\"dest\":\"c1\",\"body\":{\"type\":\"error\",\"msg_id\":1,\"code\":12,\"text\":\"body.msg_id must be a non-negative integer\"}}");
        assertThat(h.next()).contains("get_healthy_servers_ok");
        assertThat(h.diagnostics).anySatisfy(d -> assertThat(d).contains("a message must be a JSON object"))
                .anySatisfy(d -> assertThat(d).contains("replies are never answered"));
    }

    @Test
    void stoppingAnswersEveryWaitingClientSoNothingIsLost() {
        h.init("n1", "n1", "n2");
        h.deliver("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"msg_id\":5}}");
        h.deliver("{\"src\":\"c2\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"msg_id\":6}}");
        h.unread();

        h.node.stop();

        assertThat(h.unread()).hasSize(2).allSatisfy(line -> assertThat(line).contains("\"code\":0")
                .contains("node stopped before n2 answered"));
        assertThat(h.node.pool().find("n2").orElseThrow().breaker().snapshot().consecutiveFailures())
                .as("stopping is not the backend's fault").isZero();
        h.run(Duration.ofMinutes(1));
        assertThat(h.unread()).as("no health checks after stopping").isEmpty();
    }
}

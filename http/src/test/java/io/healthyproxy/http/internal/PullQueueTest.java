package io.healthyproxy.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PullQueueTest {

    private final List<Object> delivered = new ArrayList<>();
    private int socketReads;

    @Test
    void nothingIsDeliveredUntilAskedFor() {
        PullQueue queue = new PullQueue(delivered::add, () -> socketReads++);

        queue.offer("head");
        queue.offer("body");

        assertThat(delivered).isEmpty();
        assertThat(queue.queued()).isEqualTo(2);
    }

    @Test
    void eachPullDeliversOneQueuedMessageWithoutTouchingTheSocket() {
        PullQueue queue = new PullQueue(delivered::add, () -> socketReads++);
        queue.offer("head");
        queue.offer("body");

        queue.pull();
        queue.pull();

        assertThat(delivered).containsExactly("head", "body");
        assertThat(socketReads).isZero();
    }

    @Test
    void aPullWithNothingQueuedReadsTheSocketAndTheNextMessageGoesStraightThrough() {
        PullQueue queue = new PullQueue(delivered::add, () -> socketReads++);

        queue.pull();
        queue.offer("late");

        assertThat(socketReads).isOne();
        assertThat(delivered).containsExactly("late");
    }

    @Test
    void aPullFromInsideADeliveryIsServedByTheSameLoopOrByTheSocket() {
        List<PullQueue> self = new ArrayList<>();
        PullQueue queue = new PullQueue(message -> {
            delivered.add(message);
            self.get(0).pull();                    // the consumer asks for more while being handed a message
        }, () -> socketReads++);
        self.add(queue);
        queue.offer("a");
        queue.offer("b");
        queue.offer("c");

        queue.pull();

        assertThat(delivered).containsExactly("a", "b", "c");
        assertThat(socketReads).as("the last re-entrant pull found nothing queued").isOne();

        queue.offer("d");
        assertThat(delivered).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aMessagePutBackIsDeliveredFirstAndTheRestKeepTheirOrder() {
        PullQueue queue = new PullQueue(delivered::add, () -> socketReads++);
        queue.offer("head");
        queue.offer("body");
        queue.offer("next request");

        queue.pull();                              // "head"
        queue.pull();                              // "body", which the consumer cannot take yet:
        queue.pushFront(delivered.remove(1));
        queue.pushFront("earlier still");

        assertThat(queue.queued()).isEqualTo(3);
        queue.pull();
        queue.pull();
        queue.pull();
        assertThat(delivered).containsExactly("head", "earlier still", "body", "next request");
        assertThat(queue.queued()).isZero();
        assertThat(socketReads).isZero();
    }

    @Test
    void aMessagePutBackIntoAnEmptyQueueIsTheNextOne() {
        PullQueue queue = new PullQueue(delivered::add, () -> socketReads++);

        queue.pushFront("back");
        queue.offer("after");
        queue.pull();

        assertThat(delivered).containsExactly("back");
        assertThat(queue.queued()).isOne();
    }

    @Test
    void clearingReleasesEveryQueuedMessage() {
        PullQueue queue = new PullQueue(delivered::add, () -> socketReads++);
        ByteBuf first = Unpooled.buffer(4);
        ByteBuf second = Unpooled.buffer(4);
        ByteBuf third = Unpooled.buffer(4);
        queue.offer(first);
        queue.offer(second);
        queue.pushFront(third);

        queue.clear();

        assertThat(queue.queued()).isZero();
        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();
        assertThat(third.refCnt()).isZero();
        queue.pull();
        assertThat(delivered).isEmpty();
        assertThat(socketReads).as("an empty queue reads the socket").isOne();
    }
}

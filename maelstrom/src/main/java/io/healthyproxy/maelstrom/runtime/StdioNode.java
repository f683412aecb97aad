package io.healthyproxy.maelstrom.runtime;

import io.healthyproxy.core.time.ExecutorScheduler;
import io.healthyproxy.core.time.Jitter;
import io.healthyproxy.core.time.Ticker;
import io.healthyproxy.maelstrom.json.JsonLimits;
import io.healthyproxy.maelstrom.node.NodeConfig;
import io.healthyproxy.maelstrom.node.NodeObserver;
import io.healthyproxy.maelstrom.node.ProxyNode;
import io.healthyproxy.maelstrom.protocol.Decoded;
import io.healthyproxy.maelstrom.protocol.Frame;
import io.healthyproxy.maelstrom.protocol.Message;
import io.healthyproxy.maelstrom.protocol.MessageCodec;
import io.healthyproxy.maelstrom.protocol.MessageFramer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link ProxyNode} on stdin/stdout: the {@code healthy-proxy maelstrom} command.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>the reader (the calling thread) frames and decodes stdin, and hands each message to</li>
 *   <li>the node thread, a single-threaded scheduled executor that runs everything the node does: handlers,
 *       health checks, timeouts, and every write to stdout (so stdout has exactly one writer).</li>
 * </ul>
 * At most {@link #MAX_QUEUED} decoded messages wait for the node thread; beyond that the reader stops
 * reading, so a flood on stdin back-pressures the sender instead of filling the heap. Both threads are
 * daemons: once the input has ended and the node has answered what it owes, nothing keeps the JVM alive.
 */
public final class StdioNode {

    /** Decoded messages that may wait for the node thread before the reader pauses. */
    static final int MAX_QUEUED = 10_000;

    private final NodeConfig config;
    private final JsonLimits limits;
    private final boolean verbose;

    public StdioNode(NodeConfig config, JsonLimits limits, boolean verbose) {
        this.config = config;
        this.limits = limits;
        this.verbose = verbose;
    }

    /**
     * Reads {@code in} to its end, then stops the node and returns the exit code: 0 normally, 1 if the
     * output broke (nothing more could be delivered).
     */
    public int run(InputStream in, OutputStream out, PrintStream err) throws InterruptedException {
        ScheduledThreadPoolExecutor loop = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "healthy-proxy-node");
            t.setDaemon(true);
            return t;
        });
        loop.setRemoveOnCancelPolicy(true);
        Ticker ticker = Ticker.system();
        StderrLog log = new StderrLog(err, ticker, verbose);
        MessageCodec codec = new MessageCodec(limits);
        StdoutWriter writer = new StdoutWriter(out, codec, log);
        ProxyNode node = new ProxyNode(config, writer, new ExecutorScheduler(loop), ticker,
                Jitter.threadLocalRandom(), log);
        Semaphore queued = new Semaphore(MAX_QUEUED);
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            MessageFramer framer = new MessageFramer(in, limits.maxMessageBytes());
            for (Frame frame; (frame = framer.next()) != null; ) {
                Decoded decoded = codec.decode(frame);
                queued.acquire();
                loop.execute(() -> {
                    try {
                        node.onDecoded(decoded);
                    } catch (RuntimeException e) {
                        log.diagnostic("node failed handling a message, carrying on: " + e);
                    } finally {
                        queued.release();
                    }
                });
            }
        } catch (IOException e) {
            log.diagnostic("reading stdin failed, stopping as at its end: " + e.getMessage());
        }
        loop.execute(() -> {
            node.stop();
            writer.flush();
            stopped.countDown();
        });
        stopped.await();
        loop.shutdownNow();
        loop.awaitTermination(1, TimeUnit.SECONDS);
        return writer.broken() ? 1 : 0;
    }

    /** Writes each message as one line and flushes it; owned by the node thread. */
    private static final class StdoutWriter implements io.healthyproxy.maelstrom.node.Outbox {
        private final OutputStream out;
        private final MessageCodec codec;
        private final NodeObserver log;
        private boolean broken;

        StdoutWriter(OutputStream out, MessageCodec codec, NodeObserver log) {
            this.out = out;
            this.codec = codec;
            this.log = log;
        }

        @Override
        public void send(Message message) {
            if (broken) {
                return;
            }
            try {
                out.write(codec.encode(message));
                out.flush();
            } catch (IOException e) {
                broken = true;
                log.diagnostic("stdout failed, no more messages can be sent: " + e.getMessage());
            }
        }

        void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                broken = true;
            }
        }

        boolean broken() {
            return broken;
        }
    }
}

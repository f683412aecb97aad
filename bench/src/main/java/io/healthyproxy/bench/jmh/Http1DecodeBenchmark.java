package io.healthyproxy.bench.jmh;

import io.healthyproxy.http.internal.h1.DecoderLimits;
import io.healthyproxy.http.internal.h1.RequestDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding a client's request: Netty's {@code HttpRequestDecoder}, configured as the proxy configured it
 * (8 KiB line, 16 KiB headers, 64 KiB pieces), against the proxy's own {@link RequestDecoder}, which checks
 * every rule of RFC 9112 that Netty leaves out. Each operation hands one request, in a pooled direct buffer as
 * a socket read delivers it, to the decoder on an {@link EmbeddedChannel}, and releases what comes out.
 * {@code none} passes the buffer through untouched: the cost of that harness, which is in every other figure.
 *
 * <p>Inputs ({@link Http1Requests}): a browser's GET (12 header fields, 521 bytes), an API client's POST
 * with a 200-byte body, an upload in four 1 KiB chunks.
 *
 * Run: {@code bench/run-jmh Http1DecodeBenchmark} (with {@code -prof gc}: bytes allocated per request).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Http1DecodeBenchmark {

    /** Which decoder. */
    public enum Decoder { NETTY, HEALTHY_PROXY, NONE }

    @Param({"BROWSER_GET", "SMALL_POST", "CHUNKED_POST"})
    public String request;

    @Param({"NETTY", "HEALTHY_PROXY", "NONE"})
    public Decoder decoder;

    private EmbeddedChannel channel;
    private ByteBuf bytes;

    @Setup(Level.Trial)
    public void setUp() throws ReflectiveOperationException {
        String text = (String) Http1Requests.class.getDeclaredField(request).get(null);
        byte[] raw = text.getBytes(StandardCharsets.ISO_8859_1);
        bytes = PooledByteBufAllocator.DEFAULT.directBuffer(raw.length).writeBytes(raw);
        channel = new EmbeddedChannel(handler(decoder));
        channel.config().setAllocator(PooledByteBufAllocator.DEFAULT);      // as the proxy's channels
    }

    static ChannelHandler handler(Decoder decoder) {
        return switch (decoder) {
            case NETTY -> new HttpRequestDecoder(new HttpDecoderConfig().setMaxInitialLineLength(8192)
                    .setMaxHeaderSize(16384).setMaxChunkSize(64 * 1024).setAllowPartialChunks(true));
            case HEALTHY_PROXY -> new RequestDecoder(new DecoderLimits(8192, 16384, 64 * 1024));
            case NONE -> new ChannelInboundHandlerAdapter();
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
        bytes.release();
    }

    @Benchmark
    public int decode() {
        channel.writeInbound(bytes.retainedDuplicate());
        int messages = 0;
        for (Object m; (m = channel.readInbound()) != null; ) {
            messages++;
            ReferenceCountUtil.release(m);
        }
        return messages;
    }
}

package io.healthyproxy.bench.jmh;

import io.healthyproxy.http.internal.h1.RequestEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpVersion;
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
 * Encoding the request the proxy sends a backend: Netty's {@code HttpRequestEncoder} against the proxy's
 * {@link RequestEncoder}. The request is what the proxy makes of {@link Http1Requests#BROWSER_GET} or
 * {@link Http1Requests#SMALL_POST} (Connection gone, X-Forwarded-* added) decoded by the same codec's
 * decoder (Netty's headers for Netty's encoder, {@code WireHeaders} for ours, as in the proxy), one
 * {@code DefaultFullHttpRequest} per operation over those headers, as each attempt builds one; the encoder
 * writes it on an {@link EmbeddedChannel} and the bytes are released. {@code NONE} passes the request
 * through unencoded: the cost of that harness, which is in every other figure.
 *
 * Run: {@code bench/run-jmh Http1EncodeBenchmark} (with {@code -prof gc}: bytes allocated per request).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Http1EncodeBenchmark {

    /** Which encoder; NONE passes the request through untouched: the cost of the harness. */
    public enum Encoder { NETTY, HEALTHY_PROXY, NONE }

    @Param({"BROWSER_GET", "SMALL_POST"})
    public String request;

    @Param({"NETTY", "HEALTHY_PROXY", "NONE"})
    public Encoder encoder;

    private EmbeddedChannel channel;
    private HttpMethod method;
    private String uri;
    private HttpHeaders headers;
    private ByteBuf body;

    @Setup(Level.Trial)
    public void setUp() throws ReflectiveOperationException {
        // The head as each codec's decoder hands it over, then changed as the proxy changes it.
        String text = (String) Http1Requests.class.getDeclaredField(request).get(null);
        EmbeddedChannel decoding = new EmbeddedChannel(Http1DecodeBenchmark.handler(encoder == Encoder.NETTY
                ? Http1DecodeBenchmark.Decoder.NETTY : Http1DecodeBenchmark.Decoder.HEALTHY_PROXY));
        decoding.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
        HttpRequest head = decoding.readInbound();
        decoding.finishAndReleaseAll();
        method = head.method();
        uri = head.uri();
        headers = head.headers();
        headers.remove(HttpHeaderNames.CONNECTION);
        headers.add("x-forwarded-for", "203.0.113.9").add("x-forwarded-proto", "http")
                .add("x-forwarded-host", headers.get(HttpHeaderNames.HOST));
        body = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(
                text.substring(text.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1)));
        channel = new EmbeddedChannel(switch (encoder) {
            case NETTY -> new HttpRequestEncoder();
            case HEALTHY_PROXY -> new RequestEncoder();
            case NONE -> new ChannelOutboundHandlerAdapter();
        });
        channel.config().setAllocator(PooledByteBufAllocator.DEFAULT);      // as the proxy's channels
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public int encode() {
        FullHttpRequest upstream = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, body.duplicate(),
                headers, EmptyHttpHeaders.INSTANCE);
        channel.writeOutbound(upstream);
        int bytes = 0;
        for (Object m; (m = channel.readOutbound()) != null; ) {
            bytes += m instanceof ByteBuf b ? b.readableBytes() : 1;
            ReferenceCountUtil.release(m);
        }
        return bytes;
    }
}

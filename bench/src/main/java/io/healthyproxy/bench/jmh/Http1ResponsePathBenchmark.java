package io.healthyproxy.bench.jmh;

import io.healthyproxy.http.internal.h1.DecoderLimits;
import io.healthyproxy.http.internal.h1.ResponseEncoder;
import io.healthyproxy.http.internal.h1.UpstreamCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
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
 * A response's way through the proxy: decoded from the backend (Netty's {@code HttpClientCodec}, or the
 * proxy's {@link UpstreamCodec}), its Connection field removed, and written to the client (Netty's
 * {@code HttpResponseEncoder}, or the proxy's {@link ResponseEncoder}). This is where the decoder's headers
 * meet the client's encoder: Netty's asks the headers for every field and value, which costs
 * {@code WireHeaders} an entry and a view per field; ours copies the fields as they were read.
 *
 * Run: {@code bench/run-jmh Http1ResponsePathBenchmark} (with {@code -prof gc}: bytes allocated per response).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Http1ResponsePathBenchmark {

    /** What an NGINX-fronted application answers: 11 header fields, a 512-byte page. */
    static final String RESPONSE = "HTTP/1.1 200 OK\r\n"
            + "Date: Mon, 30 Nov 2026 10:00:00 GMT\r\n"
            + "Server: nginx/1.25.3\r\n"
            + "Content-Type: text/html; charset=utf-8\r\n"
            + "Content-Length: 512\r\n"
            + "Connection: keep-alive\r\n"
            + "Cache-Control: private, max-age=0\r\n"
            + "ETag: \"5f2a9c41d8e07b65\"\r\n"
            + "Vary: Accept-Encoding\r\n"
            + "X-Content-Type-Options: nosniff\r\n"
            + "Strict-Transport-Security: max-age=31536000\r\n"
            + "Set-Cookie: session=3f2a9c41d8e07b65; Path=/; HttpOnly\r\n"
            + "\r\n"
            + "p".repeat(512);

    /**
     * Which codecs: Netty's on both sides; the proxy's {@link UpstreamCodec} with Netty's response encoder
     * (what swapping the upstream codec alone gives); the proxy's on both sides ({@link ResponseEncoder}).
     */
    public enum Codec { NETTY, UPSTREAM_CODEC_ONLY, HEALTHY_PROXY }

    @Param({"NETTY", "UPSTREAM_CODEC_ONLY", "HEALTHY_PROXY"})
    public Codec codec;

    private EmbeddedChannel backend;
    private EmbeddedChannel client;
    private ByteBuf bytes;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] raw = RESPONSE.getBytes(StandardCharsets.ISO_8859_1);
        bytes = PooledByteBufAllocator.DEFAULT.directBuffer(raw.length).writeBytes(raw);
        backend = new EmbeddedChannel(codec == Codec.NETTY
                ? new HttpClientCodec(new HttpDecoderConfig().setMaxInitialLineLength(8192).setMaxHeaderSize(64 * 1024)
                        .setMaxChunkSize(64 * 1024), true, false)
                : new UpstreamCodec(DecoderLimits.BACKENDS));
        client = new EmbeddedChannel(codec == Codec.HEALTHY_PROXY ? new ResponseEncoder() : new HttpResponseEncoder());
        backend.config().setAllocator(PooledByteBufAllocator.DEFAULT);
        client.config().setAllocator(PooledByteBufAllocator.DEFAULT);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.finishAndReleaseAll();
        client.finishAndReleaseAll();
        bytes.release();
    }

    @Benchmark
    public int relay() {
        backend.writeInbound(bytes.retainedDuplicate());
        for (Object m; (m = backend.readInbound()) != null; ) {
            if (m instanceof HttpResponse head) {
                head.headers().remove(HttpHeaderNames.CONNECTION);
            }
            client.write(m);
        }
        client.flush();
        int written = 0;
        for (Object m; (m = client.readOutbound()) != null; ) {
            written += ((ByteBuf) m).readableBytes();
            ReferenceCountUtil.release(m);
        }
        return written;
    }
}

package io.healthyproxy.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The two messages of the standard gRPC health check ({@code grpc/health/v1/health.proto}), encoded and decoded
 * by hand, since the proxy carries no protobuf runtime for two one-field messages:
 * {@code HealthCheckRequest { string service = 1; }} and {@code HealthCheckResponse { ServingStatus status = 1; }},
 * each in gRPC's length-prefixed framing (one byte "compressed" flag, four bytes of length, the message).
 */
final class GrpcHealthMessages {

    /** {@code ServingStatus.SERVING}: the one answer that passes. */
    static final int SERVING = 1;
    private static final String[] STATUS_NAMES = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};

    private GrpcHealthMessages() {
    }

    /** A framed {@code HealthCheckRequest} for {@code service} ({@code ""}: the server as a whole). */
    static ByteBuf request(ByteBufAllocator alloc, String service) {
        byte[] name = service.getBytes(StandardCharsets.UTF_8);
        int length = name.length == 0 ? 0 : 1 + varintSize(name.length) + name.length;   // an empty string is left out
        ByteBuf out = alloc.buffer(5 + length);
        out.writeByte(0).writeInt(length);
        if (name.length > 0) {
            out.writeByte(1 << 3 | 2);                      // field 1, length-delimited
            writeVarint(out, name.length);
            out.writeBytes(name);
        }
        return out;
    }

    /**
     * The {@code status} of a framed {@code HealthCheckResponse} (0, UNKNOWN, when the field is absent, as
     * protobuf's default).
     *
     * @throws IllegalArgumentException if the bytes are not one uncompressed, well-formed message
     */
    static int status(ByteBuf framed) {
        if (framed.readableBytes() < 5) {
            throw new IllegalArgumentException("a gRPC message needs 5 bytes of framing, got " + framed.readableBytes());
        }
        if (framed.readByte() != 0) {
            throw new IllegalArgumentException("compressed health answer (none was accepted)");
        }
        long length = framed.readUnsignedInt();
        if (length != framed.readableBytes()) {
            throw new IllegalArgumentException("message of " + length + " bytes announced, " + framed.readableBytes()
                    + " sent");
        }
        int status = 0;
        while (framed.isReadable()) {
            long tag = readVarint(framed);
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            switch (wireType) {
                case 0 -> {
                    long value = readVarint(framed);
                    if (field == 1) {
                        status = (int) value;
                    }
                }
                case 1 -> skip(framed, 8);
                case 2 -> skip(framed, readVarint(framed));
                case 5 -> skip(framed, 4);
                default -> throw new IllegalArgumentException("protobuf wire type " + wireType + " is not valid here");
            }
        }
        return status;
    }

    /** {@code SERVING}, {@code NOT_SERVING}, ... or the number of a status this proxy does not know. */
    static String statusName(int status) {
        return status >= 0 && status < STATUS_NAMES.length ? STATUS_NAMES[status] : "status " + status;
    }

    private static void skip(ByteBuf in, long bytes) {
        if (bytes < 0 || bytes > in.readableBytes()) {
            throw new IllegalArgumentException("a field runs past the message's end");
        }
        in.skipBytes((int) bytes);
    }

    private static long readVarint(ByteBuf in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!in.isReadable()) {
                throw new IllegalArgumentException("a varint runs past the message's end");
            }
            byte b = in.readByte();
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("a varint longer than 10 bytes");
    }

    private static void writeVarint(ByteBuf out, int value) {
        while ((value & ~0x7f) != 0) {
            out.writeByte(value & 0x7f | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    private static int varintSize(int value) {
        int size = 1;
        while ((value & ~0x7f) != 0) {
            size++;
            value >>>= 7;
        }
        return size;
    }
}

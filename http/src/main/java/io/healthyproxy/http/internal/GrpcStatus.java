package io.healthyproxy.http.internal;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * The {@code grpc-status} of a gRPC call's answer: in the trailers of an ordinary answer, in the head of a
 * "trailers-only" one (an error before any message, a HEADERS frame with END_STREAM).
 */
final class GrpcStatus {

    static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
    /** Not a status: the field is missing or is not a number. */
    static final int NONE = -1;

    private GrpcStatus() {
    }

    /** The status in {@code headers}, or {@link #NONE}. */
    static int of(HttpHeaders headers) {
        String value = headers.get(GRPC_STATUS);
        if (value == null || value.isEmpty() || value.length() > 3) {
            return NONE;
        }
        int code = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return NONE;
            }
            code = code * 10 + (c - '0');
        }
        return code;
    }
}

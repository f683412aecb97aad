package io.healthyproxy.http.internal;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * The {@code grpc-status} of a gRPC call's answer: in the trailers of an ordinary answer, in the head of a
 * "trailers-only" one (an error before any message, a HEADERS frame with END_STREAM).
 */
final class GrpcStatus {

    static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
    /** What a trailers-only answer carries in its head that belongs in trailers. */
    private static final List<AsciiString> STATUS_FIELDS = List.of(GRPC_STATUS, AsciiString.cached("grpc-message"),
            AsciiString.cached("grpc-status-details-bin"));
    /** Not a status: the field is missing or is not a number. */
    static final int NONE = -1;

    private GrpcStatus() {
    }

    /**
     * Takes the status fields out of a trailers-only answer's head, to be sent as the trailers of an answer with
     * no message. The proxy relays a head and its end apart (HEADERS, then DATA with END_STREAM), and a gRPC
     * client takes a status only from the frame that ends the stream; headers then trailers with no message
     * between them mean the same to gRPC (the spec's "Response-Headers *Length-Prefixed-Message Trailers").
     */
    static HttpHeaders takeStatusFields(HttpHeaders head) {
        HttpHeaders taken = new DefaultHttpHeaders();
        for (AsciiString name : STATUS_FIELDS) {
            for (String value : head.getAll(name)) {
                taken.add(name, value);
            }
            head.remove(name);
        }
        return taken;
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

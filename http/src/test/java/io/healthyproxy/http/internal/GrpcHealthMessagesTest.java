package io.healthyproxy.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-made health messages against protobuf's own encoding of the same messages (grpc-java's classes). */
class GrpcHealthMessagesTest {

    private static byte[] framed(byte[] message) {
        ByteBuf out = Unpooled.buffer().writeByte(0).writeInt(message.length).writeBytes(message);
        return ByteBufUtil.getBytes(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "shop.Orders", "a.very.long.service.name.that.needs.more.than.one.byte.of.length."
            + "0123456789012345678901234567890123456789012345678901234567890123456789"})
    void aRequestIsWhatProtobufWouldWrite(String service) {
        ByteBuf ours = GrpcHealthMessages.request(UnpooledByteBufAllocator.DEFAULT, service);

        assertThat(ByteBufUtil.getBytes(ours))
                .isEqualTo(framed(HealthCheckRequest.newBuilder().setService(service).build().toByteArray()));
    }

    @ParameterizedTest
    @EnumSource(value = ServingStatus.class, names = "UNRECOGNIZED", mode = EnumSource.Mode.EXCLUDE)
    void everyStatusProtobufWritesIsRead(ServingStatus status) {
        byte[] bytes = framed(HealthCheckResponse.newBuilder().setStatus(status).build().toByteArray());

        assertThat(GrpcHealthMessages.status(Unpooled.wrappedBuffer(bytes))).isEqualTo(status.getNumber());
    }

    @Test
    void fieldsThisProxyDoesNotKnowAreSkipped() {
        // field 2 (length-delimited "xy"), field 3 (varint 300), then status = SERVING
        byte[] message = {0x12, 2, 'x', 'y', 0x18, (byte) 0xac, 0x02, 0x08, 1};

        assertThat(GrpcHealthMessages.status(Unpooled.wrappedBuffer(framed(message)))).isEqualTo(1);
    }

    @Test
    void compressedTruncatedAndMisframedAnswersAreRefused() {
        assertThatThrownBy(() -> GrpcHealthMessages.status(Unpooled.wrappedBuffer(new byte[] {1, 0, 0, 0, 0})))
                .hasMessageContaining("compressed");
        assertThatThrownBy(() -> GrpcHealthMessages.status(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0, 5, 8})))
                .hasMessageContaining("announced");
        assertThatThrownBy(() -> GrpcHealthMessages.status(Unpooled.wrappedBuffer(framed(new byte[] {0x12, 9, 'x'}))))
                .hasMessageContaining("past the message's end");
        assertThatThrownBy(() -> GrpcHealthMessages.status(Unpooled.wrappedBuffer(new byte[] {0, 0})))
                .hasMessageContaining("5 bytes");
    }

    @Test
    void statusesAreNamedAsGrpcNamesThem() {
        assertThat(GrpcHealthMessages.statusName(1)).isEqualTo("SERVING");
        assertThat(GrpcHealthMessages.statusName(3)).isEqualTo("SERVICE_UNKNOWN");
        assertThat(GrpcHealthMessages.statusName(9)).isEqualTo("status 9");
    }
}

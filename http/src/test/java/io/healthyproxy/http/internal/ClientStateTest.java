package io.healthyproxy.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ClientStateTest {

    @ParameterizedTest
    @EnumSource(value = ClientState.class, names = "CLOSED", mode = EnumSource.Mode.EXCLUDE)
    void everyStateButClosedCanClose(ClientState state) {
        assertThat(state.canMoveTo(ClientState.CLOSED)).isTrue();
    }

    @Test
    void closedIsFinalAndLingeringOnlyEndsInClosed() {
        for (ClientState target : ClientState.values()) {
            assertThat(ClientState.CLOSED.canMoveTo(target)).as("CLOSED -> " + target).isFalse();
            assertThat(ClientState.LINGER.canMoveTo(target)).as("LINGER -> " + target)
                    .isEqualTo(target == ClientState.CLOSED);
        }
    }

    @Test
    void aConnectionWaitsForTheNextRequestOnlyAfterAnExchange() {
        Set<ClientState> intoIdle = EnumSet.noneOf(ClientState.class);
        for (ClientState from : ClientState.values()) {
            if (from.canMoveTo(ClientState.IDLE)) {
                intoIdle.add(from);
            }
        }
        assertThat(intoIdle).containsExactly(ClientState.EXCHANGE);
    }

    @Test
    void anExchangeRunsOnlyWhileUploadingOrAfterTheWholeRequest() {
        assertThat(EnumSet.allOf(ClientState.class)).filteredOn(ClientState::hasExchange)
                .containsExactlyInAnyOrder(ClientState.UPLOADING, ClientState.EXCHANGE);
        assertThat(ClientState.IDLE.canMoveTo(ClientState.EXCHANGE)).as("a head is accepted first").isFalse();
        assertThat(ClientState.EXCHANGE.canMoveTo(ClientState.UPLOADING)).as("an upload never resumes").isFalse();
    }
}

package io.healthyproxy.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScenarioRunnerTest {

    @Test
    void theRecordedCommandIsWhatTheUserTypedWithoutTheRootTheScriptAdds() {
        assertThat(ScenarioRunner.commandLine(new String[] {"--root", "/work/main", "--rounds", "7"}))
                .isEqualTo("--rounds 7");
        assertThat(ScenarioRunner.commandLine(new String[] {"--quick", "--root", "/x"})).isEqualTo("--quick");
        assertThat(ScenarioRunner.commandLine(new String[0])).isEmpty();
    }
}

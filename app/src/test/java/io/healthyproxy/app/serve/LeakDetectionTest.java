package io.healthyproxy.app.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** serve runs without Netty's leak sampling unless a level is asked for. */
class LeakDetectionTest {

    private final ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();

    @AfterEach
    void restore() {
        System.clearProperty(LeakDetection.PROPERTY);
        ResourceLeakDetector.setLevel(before);
    }

    @Test
    void withoutTheNettyPropertyLeakDetectionIsOff() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);

        LeakDetection.offUnlessAsked();

        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);
    }

    @Test
    void aLevelAskedForOnTheCommandLineIsLeftAsNettySetIt() {
        System.setProperty(LeakDetection.PROPERTY, "paranoid");
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);

        LeakDetection.offUnlessAsked();

        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }
}

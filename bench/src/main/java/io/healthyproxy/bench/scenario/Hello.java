package io.healthyproxy.bench.scenario;

/** The floor for start-up times: a JVM that prints one line and exits. */
public final class Hello {

    private Hello() {
    }

    public static void main(String[] args) {
        System.out.println("{\"hello\":\"world\"}");
    }
}

package io.healthyproxy.app.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@code bin/healthy-proxy} as a separate process, as a user or Maelstrom would. */
final class Launcher {

    /** The repository root: the app module's parent. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path FIXTURES = ROOT.resolve("../shared/fixtures").normalize();

    private Launcher() {
    }

    static ProcessBuilder command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("bin/healthy-proxy").toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(ROOT.toFile());
    }

    static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(FIXTURES.resolve(name));
    }
}

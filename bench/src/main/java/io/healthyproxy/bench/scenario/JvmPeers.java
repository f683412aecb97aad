package io.healthyproxy.bench.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The JVM peers' jars: each peer is a standalone Maven project in {@code bench/peers/jvm/<name>} (not a module of
 * the repository's build, so {@code ./mvnw verify} never downloads Spring, Vert.x or Armeria), packaged here the
 * first time it is needed and again whenever its sources are newer than its jar.
 */
final class JvmPeers {

    private static final long BUILD_MINUTES = 15;

    private JvmPeers() {
    }

    static synchronized Path jar(Path root, ProxyPeer.Kind kind) {
        Path project = root.resolve("bench/peers/jvm").resolve(kind.dirName());
        Path jar = project.resolve("target/peer.jar");
        if (!Files.exists(jar) || newerThan(project, jar)) {
            build(root, project, kind);
        }
        return jar;
    }

    private static boolean newerThan(Path project, Path jar) {
        try (Stream<Path> files = Files.walk(project)) {
            long built = Files.getLastModifiedTime(jar).toMillis();
            return files.filter(f -> !f.startsWith(project.resolve("target")) && Files.isRegularFile(f))
                    .anyMatch(f -> f.toFile().lastModified() > built);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void build(Path root, Path project, ProxyPeer.Kind kind) {
        System.err.println("[scenarios] building the " + kind.label + " peer in " + project + " (first use: minutes)");
        String mvn = onPath("mvn") ? "mvn" : root.resolve("mvnw").toString();
        Path log = project.resolve("target/build.log");
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(List.of(mvn, "-q", "-B", "-Dstyle.color=never", "-f",
                    project.resolve("pom.xml").toString(), "package"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(kind.label + " peer: the build took over " + BUILD_MINUTES + " minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(kind.label + " peer: the build failed, see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}

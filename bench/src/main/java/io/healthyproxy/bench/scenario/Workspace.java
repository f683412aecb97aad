package io.healthyproxy.bench.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run's working directory (configs, logs, pid files) and the repository it works from: the peer config
 * templates in {@code bench/peers} and the HealthyProxy jar.
 */
final class Workspace {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_0-9]+)}");

    final Path root;
    final Path dir;

    Workspace(Path root, Path dir) {
        this.root = root;
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code bench/peers/<template>} with its placeholders filled to {@code name} in the work dir. */
    Path render(String template, String name, Map<String, String> values) {
        try {
            String text = Files.readString(root.resolve("bench/peers").resolve(template));
            Matcher m = PLACEHOLDER.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String key = m.group(1);
                String value = key.equals("WORK") ? dir.toString() : values.get(key);
                if (value == null) {
                    throw new IllegalArgumentException(template + ": no value for ${" + key + "}");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            Path file = dir.resolve(name);
            Files.writeString(file, out.toString());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path file(String name) {
        return dir.resolve(name);
    }
}

package io.healthyproxy.app.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a config builder's complaint about a field ({@code failureThreshold: 0 (expected: > 0)}) into one
 * about the flag the user typed ({@code --failure-threshold: 0 (expected: > 0)}).
 */
final class ConfigErrors {

    private static final Pattern FIELD = Pattern.compile("^([a-z][A-Za-z]*): ");

    private ConfigErrors() {
    }

    static String toFlags(String message) {
        Matcher m = FIELD.matcher(message);
        if (!m.find()) {
            return message;
        }
        String flag = "--" + m.group(1).replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        return flag + message.substring(m.end(1));
    }
}

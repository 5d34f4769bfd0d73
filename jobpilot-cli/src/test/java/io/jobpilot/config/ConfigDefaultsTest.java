package io.jobpilot.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * config/application.properties is the one place a setting gets its default: every setting the code reads is there
 * (and so commented for users), and the code writes no default of its own beside it.
 */
class ConfigDefaultsTest {
    private static final Pattern READ = Pattern.compile("\\b(?:config|cfg)\\.(get|require|duration|integer|decimal|bool)\\(\"(jobpilot\\.[a-z0-9.-]+)\"(, )?");

    @Test
    void everySettingTheCodeReadsHasItsDefaultInTheOneFile() throws IOException {
        Set<String> read = new TreeSet<>();
        Set<String> withFallback = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("."))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")).toList()) {
                Matcher m = READ.matcher(Files.readString(source));
                while (m.find()) {
                    read.add(m.group(2));
                    if (m.group(3) != null && !m.group(2).equals("jobpilot.db.password")) {
                        withFallback.add(m.group(2) + " in " + source);
                    }
                }
            }
        }
        assertThat(read).as("settings read by the code").hasSizeGreaterThan(50);
        assertThat(read).as("settings without a default in config/application.properties").isSubsetOf(JobpilotConfig.defaults().keySet());
        assertThat(withFallback).as("defaults written in code beside the file").isEmpty();
    }
}

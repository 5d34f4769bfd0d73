package io.jobpilot.runtime;

import io.jobpilot.run.WorkflowSpec;
import io.jobpilot.run.Workflows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which route files a runtime loads, as camel.main.routes-include-pattern: every {@code *.camel.yaml} of the given
 * directories under the home, or, for a command that runs one workflow, all of them but the other workflows' own
 * files ({@code routes/<workflow>.camel.yaml}). Files named after no workflow (the run lifecycle, the start call,
 * notifications, the IICS session both IICS workflows use) are shared and always loaded.
 */
final class RouteFiles {
    private static final String SUFFIX = ".camel.yaml";

    private final Path home;
    private final Set<String> skipped;

    /** @param workflow the one workflow to load, or null for all of them */
    RouteFiles(Path home, Workflows workflows, String workflow) {
        this.home = home;
        this.skipped = workflow == null ? Set.of() : workflows.all().stream().map(WorkflowSpec::name)
                .filter(name -> !name.equals(workflow)).map(name -> name + SUFFIX).collect(Collectors.toSet());
    }

    String in(List<String> dirs) {
        List<String> patterns = new ArrayList<>();
        for (String d : dirs) {
            Path dir = home.resolve(d).toAbsolutePath();
            if (skipped.isEmpty()) {
                patterns.add("file:" + dir + "/*" + SUFFIX);
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(SUFFIX) && !skipped.contains(n)).sorted()
                        .forEach(n -> patterns.add("file:" + dir.resolve(n)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the routes in " + dir, e);
            }
        }
        return String.join(",", patterns);
    }
}

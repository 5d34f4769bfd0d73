package io.jobpilot.runtime;

import io.jobpilot.run.WorkflowSpec;
import io.jobpilot.run.Workflows;

import java.util.ArrayList;
import java.util.List;

/**
 * Which of jobpilot's route files (on the classpath, under {@value #ROOT}) a Camel application loads: the shared ones
 * (the run lifecycle, the start call, notifications, the IICS session both IICS workflows use) and each workflow's own
 * {@code <workflow>.camel.yaml}, or only the one workflow a command runs (Camel then builds a third of the routes).
 * Optional files live in folders: {@value #CALLBACKS} (needs an HTTP server) and serve's own. Files are named one by
 * one (a classpath folder cannot be listed inside a jar).
 */
public final class RouteFiles {
    public static final String ROOT = "jobpilot/routes/";
    /** The callback intake: loaded where an HTTP server (camel-platform-http) takes the vendors' callbacks. */
    public static final String CALLBACKS = "callbacks/iics-callbacks";
    static final List<String> SHARED = List.of("jobpilot-shared", "jobpilot-start", "jobpilot-notify", "iics-session");
    private static final String SUFFIX = ".camel.yaml";

    private final List<String> names;

    /** @param workflow the one workflow to load, or null for all of them */
    public RouteFiles(Workflows workflows, String workflow) {
        List<String> all = new ArrayList<>(SHARED);
        workflows.all().stream().map(WorkflowSpec::name).filter(name -> workflow == null || name.equals(workflow)).forEach(all::add);
        this.names = List.copyOf(all);
    }

    /** The files, with the {@code extra} ones (names under {@value #ROOT}, without the suffix), as classpath locations. */
    public List<String> files(List<String> extra) {
        List<String> locations = new ArrayList<>();
        names.forEach(name -> locations.add(location(name)));
        extra.forEach(name -> locations.add(location(name)));
        return locations;
    }

    /** The same, as camel.main.routes-include-pattern. */
    public String includePattern(List<String> extra) {
        return String.join(",", files(extra));
    }

    /** A route file's classpath location from its name under {@value #ROOT}, without the suffix. */
    public static String location(String name) {
        return "classpath:" + ROOT + name + SUFFIX;
    }
}

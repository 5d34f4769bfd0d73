package io.jobpilot.runtime;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Progress;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Adds jobpilot to a Camel application that is not jobpilot's own: binds the beans, hands over the configuration as
 * property placeholders, and loads the YAML routes from {@code <home>/routes}. Call it before or after the context
 * starts; then send a RunRequest or a Map of parameters to {@code direct:<workflow>}.
 */
public final class JobpilotRoutes {
    private JobpilotRoutes() {
    }

    /** @return the beans, to close when the host application stops (ledger connections, thread pools) */
    public static JobpilotBeans install(CamelContext context, Path home, JobpilotConfig config) throws Exception {
        JobpilotBeans beans = new JobpilotBeans(config, Progress.parse(config.get("jobpilot.progress", "log"), new PrintWriter(System.err, true)));
        try {
            beans.bindTo(context.getRegistry()::bind);
            beans.attachTo(context);
            config.toProperties().forEach((k, v) -> context.getPropertiesComponent().addInitialProperty((String) k, (String) v));
            beans.routeProperties().forEach(context.getPropertiesComponent()::addInitialProperty);
            PluginHelper.getRoutesLoader(context).loadRoutes(routeFiles(context, home.resolve("routes")));
            return beans;
        } catch (Exception | Error e) {
            beans.close();
            throw e;
        }
    }

    static List<Resource> routeFiles(CamelContext context, Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).sorted()
                    .map(f -> ResourceHelper.resolveResource(context, "file:" + f.toAbsolutePath())).toList();
        }
    }
}

package io.jobpilot.app;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.runtime.JobpilotBeans;
import io.jobpilot.runtime.RouteFiles;
import io.jobpilot.serve.ServerHost;
import org.apache.camel.main.Main;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** The camel-main a runtime starts: jobpilot's configuration and beans, its routes, and the HTTP server when asked. */
final class CamelMains {
    private CamelMains() {
    }

    /** @param routes camel.main.routes-include-pattern (see {@link RouteFiles}) */
    static Main newMain(JobpilotConfig config, JobpilotBeans beans, String routes, Map<String, String> extra) {
        Main main = new Main();
        Properties props = config.toProperties();
        props.putAll(beans.routeProperties());
        props.putAll(extra);
        props.putIfAbsent("camel.main.name", "jobpilot");
        props.putIfAbsent("camel.main.jmx-enabled", "false");
        // past the timeout Camel would interrupt what is still running, and a thread interrupted while H2 writes its
        // file closes the whole embedded database (every later ledger write fails): let it finish instead
        props.putIfAbsent("camel.main.shutdown-now-on-timeout", "false");
        props.putIfAbsent("camel.main.shutdown-timeout", String.valueOf(config.duration("jobpilot.serve.shutdown-timeout").toSeconds()));
        // large answers (an IICS export package) spool to a temp file on their way to disk instead of the heap
        props.putIfAbsent("camel.main.stream-caching-spool-enabled", "true");
        props.setProperty("camel.main.routes-include-pattern", routes);
        main.setInitialProperties(props);
        beans.bindTo(main::bind);
        return main;
    }

    /** Camel's HTTP server on jobpilot.server.port and .host (loopback unless configured). */
    static Map<String, String> serverProperties(JobpilotConfig config) {
        Map<String, String> p = new HashMap<>();
        p.put("camel.server.enabled", "true");
        p.put("camel.server.port", String.valueOf(config.integer("jobpilot.server.port")));
        p.put("camel.server.host", ServerHost.of(config));
        // the server reads a whole body before any route sees it: cap it so no request can fill the heap
        p.put("camel.server.max-body-size", String.valueOf(config.integer("jobpilot.server.max-body")));
        return p;
    }

    static void requireStarted(Main main) {
        if (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
            throw new IllegalStateException("Camel did not start (see the log above)");
        }
    }
}

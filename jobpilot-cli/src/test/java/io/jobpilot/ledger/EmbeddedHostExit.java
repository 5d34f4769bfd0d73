package io.jobpilot.ledger;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Progress;
import io.jobpilot.runtime.JobpilotBeans;

import java.io.PrintWriter;
import java.util.Map;

/**
 * A host JVM that embeds jobpilot and exits with its beans open, closing them from its own shutdown hook as Spring Boot
 * does (which runs alongside H2's). Argument: the ledger URL. Prints "beans open" once the ledger is in use.
 */
public final class EmbeddedHostExit {
    private EmbeddedHostExit() {
    }

    public static void main(String[] args) {
        JobpilotBeans beans = new JobpilotBeans(JobpilotConfig.of(Map.of("jobpilot.db.url", args[0])),
                Progress.parse("off", new PrintWriter(System.err, true)));
        Runtime.getRuntime().addShutdownHook(new Thread(beans::close, "host-shutdown"));
        beans.ledger().list(null, null, 1);
        System.out.println("beans open");
        System.exit(0);
    }
}

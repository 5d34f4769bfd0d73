package io.jobpilot.serve;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.config.JobpilotConfig.ConfigException;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The address jobpilot's HTTP server listens on (serve, and a command-line run's callback listener):
 * {@code jobpilot.server.host}, loopback unless configured. The API starts and stops jobs, so serve refuses to open it
 * beyond this machine without an API token, unless the user opts in with {@code jobpilot.server.allow-open-api=true}.
 */
public final class ServerHost {
    public static final String DEFAULT = "127.0.0.1";

    private ServerHost() {
    }

    public static String of(JobpilotConfig config) {
        return config.require("jobpilot.server.host").trim();
    }

    /** Throws a ConfigException (exit 2) when serve would expose an API without a token to other machines. */
    public static void requireGuardedApi(JobpilotConfig config) {
        String host = of(config);
        if (isLoopback(host) || config.get("jobpilot.server.api-token") != null
                || config.bool("jobpilot.server.allow-open-api")) {
            return;
        }
        throw new ConfigException("jobpilot.server.host=" + host + " opens the API (it starts and stops jobs) to other machines "
                + "without a token: set one (JOBPILOT_SERVER_API_TOKEN=... or --set jobpilot.server.api-token=...), listen on "
                + DEFAULT + ", or opt in with jobpilot.server.allow-open-api=true");
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new ConfigException("jobpilot.server.host=" + host + " is not an address of this machine");
        }
    }
}

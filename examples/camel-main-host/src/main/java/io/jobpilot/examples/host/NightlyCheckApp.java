package io.jobpilot.examples.host;

import org.apache.camel.main.Main;

/**
 * The host application: camel-main with its own routes and application.properties. Nothing here mentions jobpilot;
 * having jobpilot-core on the classpath is what lets routes/nightly-check.camel.yaml send to jobpilot:.
 */
public final class NightlyCheckApp {
    private NightlyCheckApp() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(NightlyCheckApp.class);
        System.exit(main.run(args));
    }
}

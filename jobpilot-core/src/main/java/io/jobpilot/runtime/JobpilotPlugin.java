package io.jobpilot.runtime;

import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedCamelContext;
import org.apache.camel.spi.ContextServicePlugin;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * What makes adding jobpilot-core to a Camel application enough (found by Camel through
 * META-INF/services/org.apache.camel.spi.ContextServicePlugin): as the host's context initializes, once its properties
 * are configured and before its routes are built, jobpilot's beans and routes are added ({@link JobpilotRoutes}), so
 * the host's routes can send to {@code jobpilot:<workflow>}. Set {@code jobpilot.embedded=false} to add them yourself,
 * or not at all. jobpilot's own command line sets its context up itself, and this sees it and does nothing.
 */
public final class JobpilotPlugin implements ContextServicePlugin {
    /**
     * jobpilot's secret settings whose last word Camel does not treat as sensitive already (password, api-key do):
     * the host's start-up summary shows them masked.
     */
    static final String SENSITIVE_WORDS = "restkey,signingsecret,apitoken,jwt";

    @Override
    public void load(CamelContext context) {
        ExtendedCamelContext extension = context.getCamelContextExtension();
        String words = extension.getAdditionalSensitiveKeywords();
        extension.setAdditionalSensitiveKeywords(words == null || words.isBlank() ? SENSITIVE_WORDS : words + "," + SENSITIVE_WORDS);
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextInitializing(CamelContext initializing) {
                boolean wanted = initializing.getPropertiesComponent().resolveProperty("jobpilot.embedded").map(Boolean::parseBoolean).orElse(true);
                if (wanted && initializing.getRegistry().lookupByName(JobpilotRoutes.BEANS) == null) {
                    JobpilotRoutes.install(initializing);
                }
            }
        });
    }
}

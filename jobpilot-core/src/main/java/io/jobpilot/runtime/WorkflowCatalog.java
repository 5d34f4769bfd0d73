package io.jobpilot.runtime;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.iics.IicsExportSpec;
import io.jobpilot.iics.IicsImportSpec;
import io.jobpilot.iics.IicsJobSpec;
import io.jobpilot.iics.IicsTaskflowSpec;
import io.jobpilot.exago.ExagoBatchSpec;
import io.jobpilot.infolink.InfoLinkJobSpec;
import io.jobpilot.oneintegrate.OneIntegrateSessionSpec;
import io.jobpilot.run.Workflows;

import java.util.List;

/** The workflows jobpilot ships; each has a routes/<name>.camel.yaml with a direct:<name> entry point. */
public final class WorkflowCatalog {
    private WorkflowCatalog() {
    }

    /** The workflows, with what the configuration allows (iics-job callbacks need jobpilot.callback.public-url). */
    public static Workflows workflows(JobpilotConfig config) {
        return new Workflows(List.of(new OneIntegrateSessionSpec(), new IicsExportSpec(),
                new IicsJobSpec(config.get("jobpilot.callback.public-url") != null), new ExagoBatchSpec(),
                new InfoLinkJobSpec(), new IicsTaskflowSpec(), new IicsImportSpec()));
    }
}

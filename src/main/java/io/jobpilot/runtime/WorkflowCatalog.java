package io.jobpilot.runtime;

import io.jobpilot.iics.IicsExportSpec;
import io.jobpilot.iics.IicsJobSpec;
import io.jobpilot.exago.ExagoBatchSpec;
import io.jobpilot.infolink.InfoLinkJobSpec;
import io.jobpilot.oneintegrate.OneIntegrateSessionSpec;
import io.jobpilot.run.Workflows;

import java.util.List;

/** The workflows jobpilot ships; each has a routes/<name>.camel.yaml with a direct:<name> entry point. */
public final class WorkflowCatalog {
    private WorkflowCatalog() {
    }

    public static Workflows workflows() {
        return new Workflows(List.of(new OneIntegrateSessionSpec(), new IicsExportSpec(), new IicsJobSpec(), new ExagoBatchSpec(),
                new InfoLinkJobSpec()));
    }
}

package io.jobpilot.cli;

import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.WorkflowSpec;
import io.jobpilot.runtime.WorkflowCatalog;
import io.jobpilot.support.JobpilotTestSupport;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each workflow's definition (jobpilot/routes/&lt;workflow&gt;.workflow.yaml) is where its parameters are written: the table in
 * docs/workflows.md is the definition's, word for word, and `jobpilot run WORKFLOW --help` shows them.
 */
class WorkflowDefinitionsTest extends JobpilotTestSupport {
    @Test
    void theReferencesParameterTablesAreTheDefinitions() throws Exception {
        String reference = Files.readString(Path.of("docs/workflows.md"));
        for (WorkflowSpec spec : WorkflowCatalog.workflows(JobpilotConfig.of(Map.of())).all()) {
            assertThat(reference).as("docs/workflows.md's table of " + spec.name() + " (regenerate it from its .workflow.yaml)")
                    .contains(spec.definition().markdownTable());
        }
    }

    @Test
    void runWorkflowHelpShowsItsParametersAndExitsZero() {
        Cli help = jobpilot("run", "iics-job", "--help");
        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.out()).contains("iics-job (An IICS task run)").contains("task-type").contains("DMASK|DRS|DSS|MTT|PCS|WORKFLOW")
                .contains("Exactly one of: task-id, task-federated-id, task-name");
    }

    @Test
    void runWithoutAWorkflowNamesTheWorkflows() {
        Cli cli = jobpilot("run");
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err().strip()).startsWith("jobpilot: run: which workflow? Give one of ").contains("iics-job").doesNotContain("\n");
    }
}

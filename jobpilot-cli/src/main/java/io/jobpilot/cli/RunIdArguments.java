package io.jobpilot.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The run a command acts on, and whether to print it as JSON: shared by resume, stop and show. */
final class RunIdArguments {
    @Parameters(index = "0", paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--json", description = "Print the run as one JSON object on stdout.")
    boolean json;
}

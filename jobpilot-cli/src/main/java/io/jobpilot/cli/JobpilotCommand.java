package io.jobpilot.cli;

import io.jobpilot.app.StartupWarmup;
import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.UsageException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Set;

/** {@code jobpilot}: the command line of the contract in DESIGN.md. */
@Command(name = "jobpilot", mixinStandardHelpOptions = true, version = "jobpilot 0.1.0",
        description = "Runs jobs on remote data-integration platforms and sees them through.",
        subcommands = {RunCommand.class, ResumeCommand.class, StopCommand.class, RunsCommand.class, ShowCommand.class, ServeCommand.class,
                SimulateCommand.class, DemoCommand.class, CommandLine.HelpCommand.class, AutoComplete.GenerateCompletion.class})
public final class JobpilotCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line in this JVM and returns its exit code (tests use this). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length > 0 && STARTS_RUNTIME.contains(args[0])) {
            StartupWarmup.begin();                  // before picocli reads its annotations: see StartupWarmup
        }
        CommandLine cl = new CommandLine(new JobpilotCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(t -> Outcome.USAGE_EXIT_CODE);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Throwable t = e;
            while (t.getCause() != null && !(t instanceof UsageException) && !(t instanceof JobpilotConfig.ConfigException)) {
                t = t.getCause();
            }
            if (t instanceof UsageException || t instanceof JobpilotConfig.ConfigException) {
                commandLine.getErr().println("jobpilot: " + t.getMessage());
                return Outcome.USAGE_EXIT_CODE;
            }
            commandLine.getErr().println("jobpilot: " + e.getMessage());
            return Outcome.FAILED.exitCode();
        });
        // `jobpilot generate-completion` prints a bash/zsh completion script; it is not a command to list in the help
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter errors = ex.getCommandLine().getErr();
            errors.println("jobpilot: " + ex.getMessage());
            if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
                CommandSuggestions.closest(unmatched).ifPresent(name -> errors.println("Did you mean: " + name + "?"));
            }
            errors.println("(see " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            return Outcome.USAGE_EXIT_CODE;
        });
        return cl.execute(args);
    }

    /** The commands that start Camel and the ledger, whose start-up {@link StartupWarmup} shortens; the subcommand is the first argument, as jobpilot has no options of its own but --help and --version. */
    private static final Set<String> STARTS_RUNTIME = Set.of("run", "resume", "stop", "demo", "serve");
}

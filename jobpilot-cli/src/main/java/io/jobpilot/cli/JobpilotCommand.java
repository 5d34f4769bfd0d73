package io.jobpilot.cli;

import io.jobpilot.app.StartupWarmup;
import io.jobpilot.config.JobpilotConfig;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.UsageException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code jobpilot}: the command line of the contract in DESIGN.md. */
@Command(name = "jobpilot", mixinStandardHelpOptions = true, version = "jobpilot 0.1.0",
        description = "Runs jobs on remote data-integration platforms and sees them through.")
public final class JobpilotCommand implements Runnable {
    /**
     * The commands, in the order the help lists them. picocli reads a command's annotations by reflection when it is
     * added (an eighth of `jobpilot run`'s start-up for all of them), so a command line that names one of the
     * {@link #ALONE} gets only that one; any other (help, completion, a mistyped name) gets them all.
     */
    private static final Map<String, Class<?>> COMMANDS = commands();
    private static final Set<String> ALONE = Set.of("run", "resume", "stop", "runs", "show", "serve", "simulate", "demo");

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
        String alone = args.length > 0 && ALONE.contains(args[0]) ? args[0] : null;
        COMMANDS.forEach((name, type) -> {
            if (alone == null || alone.equals(name)) {
                cl.addSubcommand(name, type);
            }
        });
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
        if (alone == null) {
            cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(true);
        }
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

    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> all = new LinkedHashMap<>();
        all.put("run", RunCommand.class);
        all.put("resume", ResumeCommand.class);
        all.put("stop", StopCommand.class);
        all.put("runs", RunsCommand.class);
        all.put("show", ShowCommand.class);
        all.put("serve", ServeCommand.class);
        all.put("simulate", SimulateCommand.class);
        all.put("demo", DemoCommand.class);
        all.put("help", CommandLine.HelpCommand.class);
        all.put("generate-completion", AutoComplete.GenerateCompletion.class);
        return Collections.unmodifiableMap(all);
    }

    /** The commands that start Camel and the ledger, whose start-up {@link StartupWarmup} shortens; the subcommand is the first argument, as jobpilot has no options of its own but --help and --version. */
    private static final Set<String> STARTS_RUNTIME = Set.of("run", "resume", "stop", "demo", "serve");
}

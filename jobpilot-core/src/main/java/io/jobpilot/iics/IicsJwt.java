package io.jobpilot.iics;

import io.jobpilot.config.Durations;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.RunFailure;
import io.jobpilot.run.UsageException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Where the JWT of an SSO login ({@code POST /ma/api/v2/user/loginOAuth}) comes from: {@code jobpilot.iics.jwt} (or
 * JOBPILOT_IICS_JWT), {@code jobpilot.iics.jwt-file} (read again at each login) or {@code jobpilot.iics.jwt-command}
 * (run at each login; it prints a fresh token). IICS takes a JWT for one login only (its jti prevents replay,
 * vendor-apis-more.md §b), so a token already used is never sent again: a re-login after the session expired fails
 * here, saying where a fresh one must come from, instead of at IICS. The token is never part of a message.
 */
public final class IicsJwt {
    static final String STEP = "log in";
    private final String value;
    private final Path file;
    private final String command;
    private final Duration commandTimeout;
    private String lastUsed;

    private IicsJwt(String value, Path file, String command, Duration commandTimeout) {
        this.value = value;
        this.file = file;
        this.command = command;
        this.commandTimeout = commandTimeout;
    }

    /** The one source configured, or null when none is (the login is by user and password). */
    public static IicsJwt of(String value, String file, String command, Duration commandTimeout) {
        int given = (blank(value) ? 0 : 1) + (blank(file) ? 0 : 1) + (blank(command) ? 0 : 1);
        if (given == 0) {
            return null;
        }
        if (given > 1) {
            throw new UsageException("IICS SSO login: set only one of jobpilot.iics.jwt, jobpilot.iics.jwt-file and "
                    + "jobpilot.iics.jwt-command");
        }
        return new IicsJwt(blank(value) ? null : value.trim(), blank(file) ? null : Path.of(file.trim()),
                blank(command) ? null : command.trim(), commandTimeout);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** A token for this login, one that has not been sent before. */
    public synchronized String next() {
        String token = value != null ? value : file != null ? readFile() : runCommand();
        if (token.isEmpty()) {
            throw failure("gave an empty token");
        }
        if (token.equals(lastUsed)) {
            throw failure("gave the token already used for the last login, and IICS accepts a JWT for one login only"
                    + (value != null ? "; for runs that outlive a session (30 minutes idle) use jobpilot.iics.jwt-file or "
                    + "jobpilot.iics.jwt-command, which can give a fresh token at each login" : "; it must give a fresh one"));
        }
        lastUsed = token;
        return token;
    }

    /** Where the token comes from, for messages. */
    String source() {
        return value != null ? "jobpilot.iics.jwt" : file != null ? "jobpilot.iics.jwt-file " + file : "jobpilot.iics.jwt-command";
    }

    private String readFile() {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw failure("cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Runs the command through the shell; the first line it prints is the token. Its output goes to a private temporary
     * file (so a command that hangs is cut at the timeout) which is deleted at once; its error output is not kept.
     */
    private String runCommand() {
        Path out = null;
        try {
            out = Files.createTempFile("jobpilot-jwt", ".out");
            Process p = new ProcessBuilder("sh", "-c", command).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(commandTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw failure("did not finish within " + Durations.format(commandTimeout) + " (jobpilot.iics.jwt-command-timeout)");
            }
            if (p.exitValue() != 0) {
                throw failure("exited with " + p.exitValue());
            }
            String text = Files.readString(out, StandardCharsets.UTF_8).trim();
            int line = text.indexOf('\n');
            return line < 0 ? text : text.substring(0, line).trim();
        } catch (IOException e) {
            throw failure("could not be run (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("was interrupted");
        } finally {
            deleteQuietly(out);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a temporary file the OS cleans up; the token in it was never logged
        }
    }

    private RunFailure failure(String what) {
        return new RunFailure(ErrorKind.AUTHENTICATION, STEP, null, "IICS SSO login: " + source() + " " + what);
    }
}

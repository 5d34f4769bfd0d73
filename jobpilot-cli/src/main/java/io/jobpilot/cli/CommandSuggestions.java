package io.jobpilot.cli;

import picocli.CommandLine;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * "Did you mean" for a mistyped command or option: picocli's own suggestion when it has one, else the subcommand or
 * option name closest to what was typed (at most two edits away), so `jobpilot rn` points at `jobpilot run`.
 */
final class CommandSuggestions {
    private static final int MAX_EDITS = 2;

    private CommandSuggestions() {
    }

    static Optional<String> closest(CommandLine.UnmatchedArgumentException unmatched) {
        List<String> picocli = unmatched.getSuggestions();
        if (!picocli.isEmpty()) {
            return Optional.of(picocli.get(0));
        }
        List<String> typed = unmatched.getUnmatched();
        if (typed.isEmpty()) {
            return Optional.empty();
        }
        String word = typed.get(0);
        CommandLine.Model.CommandSpec spec = unmatched.getCommandLine().getCommandSpec();
        List<String> names = word.startsWith("-") ? spec.optionsMap().keySet().stream().toList() : List.copyOf(spec.subcommands().keySet());
        return names.stream().filter(name -> edits(word, name) <= MAX_EDITS).min(Comparator.comparingInt(name -> edits(word, name)))
                .map(name -> word.startsWith("-") ? name : spec.qualifiedName() + " " + name);
    }

    /** Levenshtein distance. */
    static int edits(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            previous = current;
        }
        return previous[b.length()];
    }
}

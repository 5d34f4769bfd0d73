package io.jobpilot.run;

/**
 * Checks a request's --notify URL before anything is recorded: a {@link UsageException} naming the problem, else
 * nothing. What a valid URL is belongs to the notify package ({@code NotifyUrl::require}), which builds on this one;
 * {@link Runs} is handed the check so it asks without depending on notify.
 */
@FunctionalInterface
public interface NotifyUrlCheck {
    void require(String url);
}
